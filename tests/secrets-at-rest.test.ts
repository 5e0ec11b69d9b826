/**
 * What a copy of the data folder's database gives away: provider keys are encrypted under
 * the folder's secret.key, files are private to the account running Cocanvas, and a
 * database restored without its key file says so for the keys and works for the rest.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "vitest";
import { runCli } from "./helpers/child-server.ts";
import { api, signUp, startTestServer, temporaryDataDir } from "./helpers/server.ts";

const openaiKey = "sk-admin-openai-SECRET-9999";
// Every model setting explicit, so keys in the environment running the tests change nothing.
const modelOptions = { model: "", openaiApiKey: "", openaiBaseUrl: "", anthropicApiKey: "", openaiCompatibleApiKey: "", openaiCompatibleBaseUrl: "" };
// Each test starts servers and runs the CLI (a process start each): give them time on a busy machine.
const slow = 120_000;
const mode = (file: string) => fs.statSync(file).mode & 0o777;
const storedSettings = (dataDir: string) => {
  const db = new Database(path.join(dataDir, "cocanvas.db"), { readonly: true });
  try {
    return Object.fromEntries((db.prepare("SELECT key, value FROM settings").all() as { key: string; value: string }[]).map((row) => [row.key, row.value]));
  } finally {
    db.close();
  }
};

test("keys set in the app are stored encrypted; the database, WAL, key file and backups are 0600", async () => {
  const dataDir = temporaryDataDir();
  const server = await startTestServer({ dataDir, ...modelOptions });
  try {
    const admin = await signUp(server, "admin@example.com");
    expect((await api(server, admin, "PUT", "/api/admin/models", { defaultModel: "openai:gpt-4.1-mini", keys: { openai: openaiKey } })).status).toBe(200);
    expect((await api(server, admin, "GET", "/api/models")).body.providers.find((provider: any) => provider.name === "openai").available).toBe(true);

    const stored = storedSettings(dataDir)["models.openai.apiKey"]!;
    expect(stored).toMatch(/^enc:v1:/);
    expect(fs.readFileSync(path.join(dataDir, "cocanvas.db")).includes(openaiKey)).toBe(false);
    for (const name of ["cocanvas.db", "cocanvas.db-wal", "cocanvas.db-shm", "secret.key"]) expect(mode(path.join(dataDir, name)), name).toBe(0o600);
    expect(mode(dataDir)).toBe(0o700);

    const backupFile = path.join(temporaryDataDir(), "backup.db");
    const backup = await runCli(["backup", backupFile], { COCANVAS_DATA_DIR: dataDir });
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toContain("secret.key");
    expect(mode(backupFile)).toBe(0o600);
    expect(fs.readFileSync(backupFile).includes(openaiKey)).toBe(false);
  } finally {
    await server.close();
  }
}, slow);

test("a plaintext key from before encryption is encrypted when the server starts, and still works", async () => {
  const dataDir = temporaryDataDir();
  const first = await startTestServer({ dataDir, ...modelOptions });
  await first.storage.setSetting("models.anthropic.apiKey", "sk-ant-OLD-PLAINTEXT");
  await first.close();
  fs.chmodSync(path.join(dataDir, "cocanvas.db"), 0o644); // a folder from before files were private

  const second = await startTestServer({ dataDir, ...modelOptions });
  try {
    expect(storedSettings(dataDir)["models.anthropic.apiKey"]).toMatch(/^enc:v1:/);
    expect(mode(path.join(dataDir, "cocanvas.db"))).toBe(0o600);
    const admin = await signUp(second, "admin@example.com");
    expect((await api(second, admin, "GET", "/api/admin/models")).body.keys.anthropic).toEqual({ set: true, source: "admin", variable: "ANTHROPIC_API_KEY", withheld: false });
    expect((await api(second, admin, "GET", "/api/models")).body.providers.find((provider: any) => provider.name === "anthropic").available).toBe(true);
  } finally {
    await second.close();
  }
}, slow);

test("a backup restored without its key file serves everything, and says clearly that the keys need the file", async () => {
  const dataDir = temporaryDataDir();
  const original = await startTestServer({ dataDir, ...modelOptions });
  const admin = await signUp(original, "admin@example.com");
  await api(original, admin, "PUT", "/api/admin/models", { defaultModel: "openai:gpt-4.1-mini", keys: { openai: openaiKey } });
  const workspace = await api(original, admin, "POST", "/api/workspaces", { name: "Kept" });
  const canvas = await api(original, admin, "POST", `/api/workspaces/${workspace.body.id}/canvases`, { title: "Plan", kind: "doc" });
  await original.close();
  const backupFile = path.join(temporaryDataDir(), "backup.db");
  expect((await runCli(["backup", backupFile], { COCANVAS_DATA_DIR: dataDir })).code).toBe(0);

  const restoredDir = temporaryDataDir();
  const restore = await runCli(["restore", backupFile], { COCANVAS_DATA_DIR: restoredDir });
  expect(restore.code, restore.stderr).toBe(0);
  expect(restore.stderr).toMatch(/models\.openai\.apiKey cannot be decrypted/);
  expect(mode(path.join(restoredDir, "cocanvas.db"))).toBe(0o600);

  const restored = await startTestServer({ dataDir: restoredDir, ...modelOptions });
  try {
    expect((await api(restored, admin, "GET", "/api/health")).status).toBe(200);
    expect((await api(restored, admin, "GET", `/api/canvases/${canvas.body.id}`)).status).toBe(200);
    const view = (await api(restored, admin, "GET", "/api/admin/models")).body;
    expect(view.keys.openai.problem).toMatch(/secret\.key is missing/);
    expect(JSON.stringify(view)).not.toContain(openaiKey);
    const run = await api(restored, admin, "POST", `/api/canvases/${canvas.body.id}/ai/runs`, { instruction: "Say hi" });
    expect(run.status).toBe(503);
    expect(run.body.error.code).toBe("model_unavailable");
    expect(run.body.error.message).toMatch(/cannot be decrypted.*secret\.key/);
  } finally {
    await restored.close();
  }

  // With the key file copied over, the key works again.
  fs.copyFileSync(path.join(dataDir, "secret.key"), path.join(restoredDir, "secret.key"));
  const withKey = await startTestServer({ dataDir: restoredDir, ...modelOptions });
  try {
    expect((await api(withKey, admin, "GET", "/api/admin/models")).body.keys.openai).toEqual({ set: true, source: "admin", variable: "OPENAI_API_KEY", withheld: false });
  } finally {
    await withKey.close();
  }
}, slow);
