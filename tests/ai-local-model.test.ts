/**
 * The embedded engine through the whole server, with no injected model: COCANVAS_MODEL
 * names a tiny GGUF the test generates, the default registry loads it in node-llama-cpp,
 * and an AI request on a canvas streams the model's reply into the canvas chat.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { readChat, writeDocMarkdown } from "@cocanvas/content";
import type { RunningServer } from "@cocanvas/server";
import { writeTinyGguf } from "./fixtures/tiny-gguf.ts";
import { api, connect, eventually, signUp, startTestServer, synced, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";
import { temporaryDir } from "./helpers/temporary.ts";

let server: RunningServer;
let owner: TestUser;
const modelFile = writeTinyGguf(path.join(temporaryDir("local"), "tiny.gguf"));

beforeAll(async () => {
  server = await startTestServer({ model: `local:${modelFile}` });
  owner = await signUp(server, "owner@example.com");
});
afterAll(() => server.close());

test("an AI request on a canvas runs on the embedded engine and its reply streams into the chat", async () => {
  const { canvasId } = await workspaceWithCanvas(server, owner, "doc");
  const client = connect(server.url, canvasId, owner.token);
  try {
    await synced(client.provider);
    writeDocMarkdown(client.document, "A short note.");
    const started = await api(server, owner, "POST", `/api/canvases/${canvasId}/ai/runs`, { instruction: "Say something" });
    expect(started.status).toBe(201);
    await eventually(async () => (await api(server, owner, "GET", `/api/ai/runs/${started.body.runId}`)).body.running === false, "the run to end", 60_000);
    const run = (await api(server, owner, "GET", `/api/ai/runs/${started.body.runId}`)).body;
    expect(run).toMatchObject({ status: "done", provider: "local", error: null });
    expect(run.model).toBe(modelFile);
    expect(run.tokensIn).toBeGreaterThan(0);
    expect(run.tokensOut).toBeGreaterThan(0);
    await eventually(() => readChat(client.document)[1]?.status === "done", "the reply");
    expect(readChat(client.document)[1]!.text.length).toBeGreaterThan(0);
  } finally {
    client.destroy();
  }
});
