import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import * as Y from "yjs";
import { runCli, spawnServer } from "./helpers/child-server.ts";
import { api, connect, eventually, synced, temporaryDataDir } from "./helpers/server.ts";
import { temporaryDir } from "./helpers/temporary.ts";

const cli = (dataDir: string, ...args: string[]) => runCli(args, { COCANVAS_DATA_DIR: dataDir });

test("user create, token create (token alone on the last line), canvas import/list/export", async () => {
  const dataDir = temporaryDataDir();
  const created = await cli(dataDir, "user", "create", "--email", "Ops@Example.com", "--password", "long enough password", "--admin");
  expect(created.code, created.stderr).toBe(0);
  expect(created.stdout).toMatch(/ops@example\.com.*admin/);
  const duplicate = await cli(dataDir, "user", "create", "--email", "ops@example.com", "--password", "long enough password");
  expect(duplicate.code).toBe(2);
  expect(duplicate.stderr).toMatch(/already exists/);

  const issued = await cli(dataDir, "token", "create", "--email", "ops@example.com");
  expect(issued.code).toBe(0);
  const token = issued.stdout.trim().split("\n").pop()!;
  expect(token).toMatch(/^cc_[\w-]{43}$/);

  const server = await spawnServer(dataDir);
  try {
    const ops = { token } as any;
    const workspace = await api({ url: server.url } as any, ops, "POST", "/api/workspaces", { name: "Ops" });
    expect(workspace.status).toBe(201);

    const file = path.join(temporaryDir("md"), "Runbook.md");
    fs.writeFileSync(file, "# Runbook\n\n- restart the server\n");
    const imported = await cli(dataDir, "canvas", "import", file, "--workspace", workspace.body.id);
    expect(imported.code, imported.stderr).toBe(0);
    const canvasId = imported.stdout.trim().split("\n").pop()!;

    const listed = await cli(dataDir, "canvas", "list");
    expect(listed.stdout).toContain(`${canvasId}  doc   Ops / Runbook`);

    // The running server serves what the CLI imported.
    const client = connect(server.url, canvasId, token);
    await synced(client.provider);
    expect(client.document.getXmlFragment("content").toString()).toContain("restart the server");
    client.destroy();

    const exported = await cli(dataDir, "canvas", "export", canvasId, "--format", "md");
    expect(exported.stdout).toBe("# Runbook\n\n- restart the server\n");
    const missing = await cli(dataDir, "canvas", "export", "nope");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/No canvas nope/);
  } finally {
    server.process.kill("SIGTERM");
  }
});

test("backup while the server runs and clients type; restore into a new folder serves the same content", async () => {
  const dataDir = temporaryDataDir();
  await cli(dataDir, "user", "create", "--email", "ops@example.com", "--password", "long enough password");
  const token = (await cli(dataDir, "token", "create", "--email", "ops@example.com")).stdout.trim().split("\n").pop()!;
  const server = await spawnServer(dataDir);
  const backupFile = path.join(temporaryDataDir(), "backup.db");
  try {
    const ops = { token } as any;
    const workspace = await api({ url: server.url } as any, ops, "POST", "/api/workspaces", { name: "Live" });
    const canvas = await api({ url: server.url } as any, ops, "POST", `/api/workspaces/${workspace.body.id}/canvases`, { title: "Busy", kind: "doc" });
    const client = connect(server.url, canvas.body.id, token);
    await synced(client.provider);
    const text = client.document.getText("log");
    for (let index = 0; index < 200; index++) text.insert(text.length, `${index};`);
    await eventually(() => client.provider.unsyncedChanges === 0, "acknowledgements");
    let typing = true;
    const typist = (async () => {
      while (typing) {
        text.insert(text.length, "x");
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();

    const backup = await cli(dataDir, "backup", backupFile);
    expect(backup.code, backup.stderr).toBe(0);
    typing = false;
    await typist;
    client.destroy();

    const refused = await cli(dataDir, "restore", backupFile);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/is running/);

    const restoredDir = temporaryDataDir();
    const restored = await cli(restoredDir, "restore", backupFile);
    expect(restored.code, restored.stderr).toBe(0);
    const second = await spawnServer(restoredDir);
    try {
      const reader = connect(second.url, canvas.body.id, token, new Y.Doc());
      await synced(reader.provider);
      expect(reader.document.getText("log").toString()).toMatch(/^0;1;2;.*199;/);
      reader.destroy();
    } finally {
      second.process.kill("SIGTERM");
    }

    const garbage = path.join(temporaryDataDir(), "garbage.db");
    fs.writeFileSync(garbage, "not a database at all");
    const bad = await cli(temporaryDataDir(), "restore", garbage);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a Cocanvas backup|cannot be opened|damaged/);
  } finally {
    server.process.kill("SIGTERM");
  }
});
