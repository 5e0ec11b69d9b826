import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import * as Y from "yjs";
import { readDocMarkdown, readSuggestions, writeDocMarkdown } from "@cocanvas/content";
import type { RunningServer } from "@cocanvas/server";
import { lastUserText, rateLimitError, scriptedModels, type ScriptItem } from "./fixtures/scripted-model.ts";
import { api, connect, eventually, signUp, startTestServer, synced, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";

const models = scriptedModels({ tokensPerSecond: 200, charsPerToken: 3 });
const finishedRuns: { taskId: string; status: string; changed: boolean }[] = [];
const paused: { taskId: string; reason: string }[] = [];
let server: RunningServer;
let alice: TestUser;
let bob: TestUser;
const open: (() => void)[] = [];

beforeAll(async () => {
  server = await startTestServer({
    models,
    taskRetrySeconds: 0,
    taskEvents: {
      onRunFinished: (task, run, changed) => void finishedRuns.push({ taskId: task.id, status: run.status, changed }),
      onTaskPaused: (task, reason) => void paused.push({ taskId: task.id, reason }),
    },
  });
  alice = await signUp(server, "alice@example.com");
  bob = await signUp(server, "bob@example.com");
});
afterAll(() => server.close());
afterEach(() => {
  while (open.length) open.pop()!();
});

/** The model writes `text` as one insertion with an empty `after`, then says it is done. */
function writes(text: string): ScriptItem[][] {
  return [[{ tool: "insert", input: { after: "", text } }], [{ text: "Wrote today's part." }]];
}

async function storyCanvas() {
  const { workspaceId, canvasId } = await workspaceWithCanvas(server, alice, "doc", [[bob, "editor"]]);
  const client = connect(server.url, canvasId, alice.token);
  open.push(client.destroy);
  await synced(client.provider);
  writeDocMarkdown(client.document, "# Harbour Lights\n\nThe ferry came in late.");
  await eventually(() => client.provider.unsyncedChanges === 0, "the story to be saved");
  return { workspaceId, canvasId };
}

async function createTask(workspaceId: string, body: object, user = alice) {
  return api(server, user, "POST", `/api/workspaces/${workspaceId}/tasks`, { name: "Continue the story", agentId: "builtin:writer", instruction: "Continue the story.", timeZone: "Europe/Paris", ...body });
}

async function runAndWait(taskId: string, user = alice) {
  const before = (await api(server, user, "GET", `/api/tasks/${taskId}/runs`)).body.items.length;
  const started = await api(server, user, "POST", `/api/tasks/${taskId}/run`);
  expect(started.status).toBe(202);
  await eventually(async () => {
    const runs = (await api(server, user, "GET", `/api/tasks/${taskId}/runs`)).body.items;
    return runs.length > before && runs.every((run: any) => run.status !== "running") && (await api(server, user, "GET", `/api/tasks/${taskId}`)).body.running === false;
  }, "the run to finish", 30_000);
  return (await api(server, user, "GET", `/api/tasks/${taskId}/runs`)).body.items as any[];
}

describe("a task that continues the story every morning at 7", () => {
  test("its run streams a dated section into the canvas for someone watching, as the agent, with the task in its provenance", async () => {
    const { workspaceId, canvasId } = await storyCanvas();
    const created = await createTask(workspaceId, { target: { kind: "canvas", canvasId, mode: "append" }, schedule: { phrase: "every morning at 7" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: "active", schedule: { kind: "cron", cron: "0 7 * * *", phrase: "every morning at 7" }, timeZone: "Europe/Paris", ownerName: expect.any(String) });
    expect(created.body.nextRuns).toHaveLength(5);
    for (const at of created.body.nextRuns) expect(new Date(at).toLocaleTimeString("en-GB", { timeZone: "Europe/Paris" })).toBe("07:00:00");

    // Bob watches the canvas: what he sees is recorded as it happens.
    const watcher = connect(server.url, canvasId, bob.token, new Y.Doc());
    open.push(watcher.destroy);
    await synced(watcher.provider);
    const seenLengths = new Set<number>();
    const seenStatuses = new Set<string>();
    watcher.document.on("update", () => {
      for (const suggestion of readSuggestions(watcher.document)) if (suggestion.status === "streaming") seenLengths.add(suggestion.newText.length);
    });
    watcher.provider.awareness!.on("change", () => {
      for (const state of watcher.provider.awareness!.getStates().values()) if (state.agent) seenStatuses.add(`${state.user.name}: ${state.agent.invokedBy}`);
    });

    const section = "The harbour lights came on one by one, and Mara counted them the way her father had taught her.";
    models.use(writes(section));
    const [run] = await runAndWait(created.body.id);
    expect(run).toMatchObject({ status: "done", trigger: "manual", attempt: 1, canvasId, model: "scripted:scripted-1", changed: true, kept: true, error: null });
    expect(run.output).toBe(section);
    expect(run.tokensOut).toBeGreaterThan(0);
    expect(run.durationMs).toBeGreaterThanOrEqual(0);

    // The text grew in front of Bob, and the Writer was present on the canvas as Alice's task.
    expect(seenLengths.size).toBeGreaterThan(3);
    expect([...seenStatuses].some((seen) => /^Writer: .+'s task “Continue the story”$/.test(seen))).toBe(true);
    // It waits for review under today's dated heading.
    await eventually(() => readSuggestions(watcher.document).some((suggestion) => suggestion.status === "pending" && suggestion.newText === section), "the pending suggestion");
    const today = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(new Date());
    expect(readDocMarkdown(watcher.document)).toContain(`## ${today}`);
    expect(readDocMarkdown(watcher.document)).toContain("The ferry came in late.");

    // Provenance of the agent run names the task and the run.
    const aiRun = (await api(server, alice, "GET", `/api/ai/runs/${run.aiRunId}`)).body;
    expect(aiRun).toMatchObject({ taskId: created.body.id, taskRunId: run.id, agent: "Writer" });
    expect(lastUserText(models.model.calls.at(-2)!)).toContain("Continue the story.");
    expect(finishedRuns.filter((event) => event.taskId === created.body.id)).toEqual([{ taskId: created.body.id, status: "done", changed: true }]);
  });

  test("'only keep when something changed' drops a run whose output equals the previous one, and shows the diff when it differs", async () => {
    const { workspaceId, canvasId } = await storyCanvas();
    const created = await createTask(workspaceId, { target: { kind: "canvas", canvasId, mode: "append" }, schedule: { phrase: "every morning at 7" }, onlyWhenChanged: true });
    const reader = connect(server.url, canvasId, bob.token, new Y.Doc());
    open.push(reader.destroy);
    await synced(reader.provider);

    models.use(writes("Nothing new at the harbour."));
    await runAndWait(created.body.id);
    const runs = await runAndWait(created.body.id);
    expect(runs.map((run) => [run.status, run.changed, run.kept])).toEqual([["done", false, false], ["done", true, true]]);
    expect(runs[0].note).toMatch(/Nothing changed/);
    // The unchanged run left nothing behind: one suggestion, one dated heading.
    await eventually(() => readSuggestions(reader.document).length === 1, "the dropped run's suggestion to go");
    expect(readDocMarkdown(reader.document).match(/^## /gm)).toHaveLength(1);

    models.use(writes("A storm came in from the west."));
    const [third] = await runAndWait(created.body.id);
    expect(third).toMatchObject({ status: "done", changed: true, kept: true });
    const detail = (await api(server, alice, "GET", `/api/task-runs/${third.id}`)).body;
    expect(detail.previousRunId).toBe(runs[1].id);
    expect(detail.diff).toEqual([
      { type: "remove", text: "Nothing new at the harbour." },
      { type: "add", text: "A storm came in from the west." },
    ]);
  });
});

describe("rights are read when a task runs", () => {
  test("a demoted owner's task can no longer edit; a removed owner's task is paused at once, with the reason", async () => {
    const { workspaceId, canvasId } = await storyCanvas();
    const created = await createTask(workspaceId, { target: { kind: "canvas", canvasId, mode: "append" }, schedule: { phrase: "every weekday at 8" } }, bob);
    expect(created.status).toBe(201);
    models.use(writes("Bob's paragraph."));

    await api(server, alice, "PATCH", `/api/workspaces/${workspaceId}/members/${bob.id}`, { role: "commenter" });
    const [demoted] = await runAndWait(created.body.id, bob);
    expect(demoted).toMatchObject({ status: "failed" });
    expect(demoted.error).toMatch(/may no longer edit "Plan" \(now commenter\)/);
    expect(readSuggestions(storedDoc(canvasId))).toEqual([]);

    await api(server, alice, "DELETE", `/api/workspaces/${workspaceId}/members/${bob.id}`);
    await eventually(async () => (await api(server, alice, "GET", `/api/tasks/${created.body.id}`)).body.status === "paused", "the task to be paused");
    const task = (await api(server, alice, "GET", `/api/tasks/${created.body.id}`)).body;
    expect(task.pausedReason).toMatch(/no longer a member of this workspace/);
    expect(task.nextRunAt).toBeNull();
    expect(paused).toContainEqual({ taskId: created.body.id, reason: task.pausedReason });
    // The former member sees nothing, and an owner cannot resume it for them.
    expect((await api(server, bob, "GET", `/api/tasks/${created.body.id}`)).status).toBe(404);
    expect((await api(server, alice, "POST", `/api/tasks/${created.body.id}/resume`)).status).toBe(409);
  });
});

/** The canvas's document as the server stored it. */
function storedDoc(canvasId: string): Y.Doc {
  const { snapshot, updates } = server.storage.documents.load(canvasId);
  const doc = new Y.Doc();
  if (snapshot) Y.applyUpdate(doc, snapshot);
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}

describe("model errors, reminders, schedules and bad input", () => {
  test("a rate-limited run is retried with backoff, then fails with the reason", async () => {
    const { workspaceId, canvasId } = await storyCanvas();
    const created = await createTask(workspaceId, { target: { kind: "canvas", canvasId, mode: "suggest" }, schedule: { phrase: "every day at 9" }, retries: 1 });
    models.use([[{ error: rateLimitError() }]]);
    await api(server, alice, "POST", `/api/tasks/${created.body.id}/run`);
    await eventually(async () => {
      const items = (await api(server, alice, "GET", `/api/tasks/${created.body.id}/runs`)).body.items;
      return items.length === 2 && items.every((run: any) => run.status === "failed");
    }, "both attempts to fail", 30_000);
    const runs = (await api(server, alice, "GET", `/api/tasks/${created.body.id}/runs`)).body.items;
    expect(runs.map((run: any) => [run.trigger, run.attempt])).toEqual([["retry", 2], ["manual", 1]]);
    for (const run of runs) expect(run.error).toMatch(/rate-limiting requests \(HTTP 429\)/);
    // The task goes on by its schedule.
    const task = (await api(server, alice, "GET", `/api/tasks/${created.body.id}`)).body;
    expect(task.status).toBe("active");
    expect(new Date(task.nextRunAt).toLocaleTimeString("en-GB", { timeZone: "Europe/Paris" })).toBe("09:00:00");
  });

  test("remind me on Friday 16:00 to send the report: a one-off reminder whose run tells its listener", async () => {
    const { workspaceId } = await workspaceWithCanvas(server, alice);
    const created = await createTask(workspaceId, { name: "Report", instruction: "Send the report", target: { kind: "reminder" }, schedule: { phrase: "remind me on Friday 16:00" } });
    expect(created.body.schedule.kind).toBe("once");
    expect(new Date(created.body.nextRunAt).toLocaleString("en-GB", { timeZone: "Europe/Paris", weekday: "long", hour: "2-digit", minute: "2-digit" })).toBe("Friday 16:00");
    const [run] = await runAndWait(created.body.id);
    expect(run).toMatchObject({ status: "done", output: "Send the report", canvasId: null });
    expect(finishedRuns).toContainEqual({ taskId: created.body.id, status: "done", changed: true });
    // Run now did not use up the one-off: it still runs on Friday.
    expect((await api(server, alice, "GET", `/api/tasks/${created.body.id}`)).body.nextRunAt).toBe(created.body.nextRunAt);
  });

  test("schedules are previewed, pause and resume move the next run, and bad input is a 400 naming the field that changes nothing", async () => {
    const { workspaceId, canvasId } = await workspaceWithCanvas(server, alice);
    const preview = await api(server, alice, "POST", "/api/schedules/preview", { schedule: { phrase: "every 2 hours" }, timeZone: "Asia/Tokyo" });
    expect(preview.body.schedule).toEqual({ kind: "cron", cron: "0 */2 * * *", phrase: "every 2 hours" });
    expect(preview.body.nextRuns).toHaveLength(5);

    const bad = async (body: object, message: RegExp, status = 400) => {
      const answer = await createTask(workspaceId, { target: { kind: "canvas", canvasId, mode: "append" }, schedule: { phrase: "every day at 9" }, ...body });
      expect(answer.status, JSON.stringify(answer.body)).toBe(status);
      expect(answer.body.error.message).toMatch(message);
    };
    await bad({ schedule: { phrase: "every blursday" } }, /^schedule: "every blursday" is not a schedule/);
    await bad({ schedule: { phrase: "every 30 seconds" } }, /^schedule: .*at most once every 60 s/);
    await bad({ schedule: { cron: "0 25 * * *" } }, /^schedule: The cron expression "0 25 \* \* \*" is not valid/);
    await bad({ timeZone: "Mars/Olympus" }, /^schedule: "Mars\/Olympus" is not an IANA time zone/);
    await bad({ agentId: "builtin:nobody" }, /^agentId: there is no agent/);
    const elsewhere = await workspaceWithCanvas(server, bob);
    await bad({ target: { kind: "canvas", canvasId: elsewhere.canvasId, mode: "append" } }, /^target.canvasId: there is no such canvas/);
    await bad({ target: { kind: "channel" } }, /target/);
    expect((await api(server, alice, "GET", `/api/workspaces/${workspaceId}/tasks`)).body).toEqual({ items: [] });
    expect((await api(server, bob, "GET", `/api/workspaces/${workspaceId}/tasks`)).status).toBe(404);

    const created = await createTask(workspaceId, { target: { kind: "canvas", canvasId, mode: "append" }, schedule: { cron: "30 6 * * *" } });
    const pausedTask = (await api(server, alice, "POST", `/api/tasks/${created.body.id}/pause`)).body;
    expect(pausedTask).toMatchObject({ status: "paused", nextRunAt: null, nextRuns: [] });
    const resumed = (await api(server, alice, "POST", `/api/tasks/${created.body.id}/resume`)).body;
    expect(resumed.nextRunAt).toBe(resumed.nextRuns[0]);
    expect((await api(server, alice, "PATCH", `/api/tasks/${created.body.id}`, { schedule: { phrase: "every 5 seconds" } })).status).toBe(400);
    expect((await api(server, alice, "GET", `/api/tasks/${created.body.id}`)).body.schedule.cron).toBe("30 6 * * *");
    expect((await api(server, alice, "DELETE", `/api/tasks/${created.body.id}`)).status).toBe(204);
    expect((await api(server, alice, "GET", `/api/tasks/${created.body.id}`)).status).toBe(404);

    const openApi = (await api(server, null, "GET", "/api/openapi.json")).body;
    expect(Object.keys(openApi.paths["/api/workspaces/{id}/tasks"])).toEqual(["get", "post"]);
    expect(Object.keys(openApi.paths["/api/tasks/{id}"])).toEqual(["get", "patch", "delete"]);
    expect(openApi.paths["/api/task-runs/{id}/cancel"].post).toBeDefined();
  });
});
