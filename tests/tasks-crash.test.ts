import { expect, test } from "vitest";
import * as Y from "yjs";
import { readDocMarkdown, readSuggestions, writeDocMarkdown } from "@cocanvas/content";
import { startChatCompletionsServer } from "./fixtures/chat-completions-server.ts";
import { spawnServer } from "./helpers/child-server.ts";
import { api, connect, eventually, signUp, synced, temporaryDataDir, workspaceWithCanvas } from "./helpers/server.ts";

const section = "At dawn the harbour lights went out together, as if someone had blown on them.";

test("SIGKILL during a task run: on restart the run is marked interrupted and retried once, with no duplicate output in the canvas", async () => {
  // The first request streams half of its edit and then hangs; every later one completes.
  const model = await startChatCompletionsServer((body, index) => {
    const answered = body.messages.some((message: { role: string }) => message.role === "tool");
    if (answered) return { text: "Wrote today's section." };
    return { toolCall: { name: "insert", arguments: JSON.stringify({ after: "", text: section }) }, chunk: 6, delayMs: index === 0 ? 60 : 0, hang: index === 0 };
  });
  const env = { COCANVAS_MODEL: "openai-compatible:story-model", COCANVAS_OPENAI_COMPATIBLE_BASE_URL: model.url };
  const dataDir = temporaryDataDir();
  const first = await spawnServer(dataDir, undefined, env);
  const server = { url: first.url } as any;
  try {
    const alice = await signUp(server, "alice@example.com");
    const { workspaceId, canvasId } = await workspaceWithCanvas(server, alice, "doc");
    const writer = connect(first.url, canvasId, alice.token);
    await synced(writer.provider);
    writeDocMarkdown(writer.document, "# Harbour Lights\n\nThe ferry came in late.");
    await eventually(() => writer.provider.unsyncedChanges === 0, "the story to be saved");
    writer.destroy();

    const created = await api(server, alice, "POST", `/api/workspaces/${workspaceId}/tasks`, {
      name: "Harbour Lights",
      agentId: "builtin:writer",
      instruction: "Continue the story.",
      target: { kind: "canvas", canvasId, mode: "append" },
      schedule: { phrase: "every morning at 7" },
      timeZone: "Europe/Paris",
      retries: 1,
    });
    expect(created.status).toBe(201);

    const watcher = connect(first.url, canvasId, alice.token, new Y.Doc());
    await synced(watcher.provider);
    expect((await api(server, alice, "POST", `/api/tasks/${created.body.id}/run`)).status).toBe(202);
    // Kill the server once the edit is visibly streaming into the canvas.
    await eventually(() => readSuggestions(watcher.document).some((suggestion) => suggestion.status === "streaming" && suggestion.newText.length > 10), "the edit to stream in", 30_000);
    first.process.kill("SIGKILL");
    await new Promise((resolve) => first.process.once("exit", resolve));
    watcher.destroy();

    const second = await spawnServer(dataDir, undefined, env);
    const restarted = { url: second.url } as any;
    try {
      await eventually(async () => {
        const runs = (await api(restarted, alice, "GET", `/api/tasks/${created.body.id}/runs`)).body.items;
        return runs.length === 2 && runs[0].status === "done";
      }, "the retry to finish", 60_000);
      const runs = (await api(restarted, alice, "GET", `/api/tasks/${created.body.id}/runs`)).body.items;
      expect(runs.map((run: any) => [run.status, run.trigger, run.attempt])).toEqual([
        ["done", "retry", 2],
        ["interrupted", "manual", 1],
      ]);
      expect(runs[1].error).toMatch(/server stopped during this run/);
      expect(runs[0].output).toBe(section);

      // The canvas holds the retry's output once: one suggestion, one dated heading, no leftovers.
      const reader = connect(second.url, canvasId, alice.token, new Y.Doc());
      await synced(reader.provider);
      const suggestions = readSuggestions(reader.document);
      expect(suggestions.map((suggestion) => [suggestion.status, suggestion.newText])).toEqual([["pending", section]]);
      expect(readDocMarkdown(reader.document).match(/^## /gm)).toHaveLength(1);
      reader.destroy();
      // The interrupted agent run no longer claims to be running.
      const interruptedAiRun = (await api(restarted, alice, "GET", `/api/ai/runs/${runs[1].aiRunId}`)).body;
      expect(interruptedAiRun).toMatchObject({ status: "failed", running: false, taskRunId: runs[1].id });
    } finally {
      second.process.kill("SIGTERM");
      await new Promise((resolve) => second.process.once("exit", resolve));
    }
  } finally {
    if (first.process.exitCode === null && first.process.signalCode === null) first.process.kill("SIGKILL");
    await model.close();
  }
}, 180_000);
