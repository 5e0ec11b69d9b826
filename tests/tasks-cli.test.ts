import { expect, test } from "vitest";
import { runCli, spawnServer } from "./helpers/child-server.ts";
import { api, eventually, signUp, temporaryDataDir, workspaceWithCanvas } from "./helpers/server.ts";

test("cocanvas task create|list|run|pause|resume|delete on a running server's data folder", async () => {
  const dataDir = temporaryDataDir();
  const server = await spawnServer(dataDir, undefined, { COCANVAS_SCHEDULER_POLL_SECONDS: "1" });
  const running = { url: server.url } as any;
  try {
    const alice = await signUp(running, "alice@example.com");
    const { workspaceId } = await workspaceWithCanvas(running, alice);
    const cli = (...args: string[]) => runCli(["task", ...args, "--data-dir", dataDir]);

    const refused = await cli("create", "--workspace", workspaceId, "--owner", alice.email, "--name", "Too often", "--instruction", "x", "--reminder", "--every", "every 10 seconds");
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/at most once every 60 s/);

    const created = await cli("create", "--workspace", workspaceId, "--owner", alice.email, "--name", "Report", "--instruction", "Send the report", "--reminder", "--every", "every friday at 16:00", "--time-zone", "Europe/Paris");
    expect(created.code, created.stderr).toBe(0);
    const lines = created.stdout.trim().split("\n");
    const id = lines.at(-1)!;
    expect(lines.filter((line) => line.startsWith("next: "))).toHaveLength(5);

    const listed = await cli("list", "--workspace", workspaceId);
    expect(listed.stdout).toContain(`${id}  active    Report  [every friday at 16:00, Europe/Paris]  reminder`);
    // The API sees the same task.
    expect((await api(running, alice, "GET", `/api/workspaces/${workspaceId}/tasks`)).body.items.map((task: any) => task.id)).toEqual([id]);

    // Run now: the running server picks the queued run up on its next look.
    expect((await cli("run", id)).code).toBe(0);
    await eventually(async () => (await api(running, alice, "GET", `/api/tasks/${id}/runs`)).body.items[0]?.status === "done", "the server to run it", 30_000);

    expect((await cli("pause", id)).stdout).toContain("Paused Report.");
    expect((await api(running, alice, "GET", `/api/tasks/${id}`)).body).toMatchObject({ status: "paused", nextRunAt: null });
    expect((await cli("delete", id)).code).toBe(0);
    expect((await api(running, alice, "GET", `/api/tasks/${id}`)).status).toBe(404);
  } finally {
    server.process.kill("SIGTERM");
    await new Promise((resolve) => server.process.once("exit", resolve));
  }
}, 600_000);
