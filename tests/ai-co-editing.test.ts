import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import * as Y from "yjs";
import { acceptSuggestion, addCodeFile, readChat, readDocMarkdown, readSuggestions, setAiAppliesDirectly, suggestionTextView, writeDocMarkdown } from "@cocanvas/content";
import type { RunningServer } from "@cocanvas/server";
import { contextTooLongError, rateLimitError, scriptedModels, selectedText } from "./fixtures/scripted-model.ts";
import { api, connect, eventually, signUp, startTestServer, synced, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";

const models = scriptedModels({ tokensPerSecond: 0 });
let server: RunningServer;
let owner: TestUser;
let viewer: TestUser;
const open: (() => void)[] = [];

beforeAll(async () => {
  server = await startTestServer({ models, aiTimeoutSeconds: 2 });
  owner = await signUp(server, "owner@example.com");
  viewer = await signUp(server, "viewer@example.com");
});
afterAll(() => server.close());
afterEach(() => {
  while (open.length) open.pop()!();
});

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

/** A doc canvas with `markdown`, and a live client on it. */
async function docCanvas(markdown: string) {
  const { workspaceId, canvasId } = await workspaceWithCanvas(server, owner, "doc", [[viewer, "viewer"]]);
  const client = connect(server.url, canvasId, owner.token);
  open.push(client.destroy);
  await synced(client.provider);
  writeDocMarkdown(client.document, markdown);
  return { workspaceId, canvasId, doc: client.document, provider: client.provider };
}

/** Anchors of the first occurrence of `text` in the doc, as the browser sends them. */
function selectionOf(doc: Y.Doc, text: string, path?: string) {
  const view = suggestionTextView(doc, path ? { kind: "code", path } : { kind: "doc" });
  const from = view.text.indexOf(text);
  if (from < 0) throw new Error(`"${text}" is not in the canvas`);
  return { ...(path ? { path } : {}), from: base64(view.anchor(from, "start")), to: base64(view.anchor(from + text.length, "end")) };
}

async function run(canvasId: string, body: object, user = owner) {
  const response = await api(server, user, "POST", `/api/canvases/${canvasId}/ai/runs`, body);
  return response;
}

async function finished(runId: string) {
  await eventually(async () => (await api(server, owner, "GET", `/api/ai/runs/${runId}`)).body.running === false, "the run to end");
  return (await api(server, owner, "GET", `/api/ai/runs/${runId}`)).body;
}

describe("targeted edits as suggestions", () => {
  test("a replacement inside the selection streams in as a pending suggestion with its provenance, and accepting it changes only that text", async () => {
    const { canvasId, doc } = await docCanvas("# Plan\n\nThe quick brown fox jumps over the lazy dog.\n\nKeep this paragraph.");
    models.use((call, step) =>
      step === 0
        ? [{ text: "Tightening it." }, { tool: "replace", input: { find: "quick brown fox", replace: selectedText(call)!.includes("fox") ? "swift red fox" : "?" } }]
        : [{ text: " Done." }],
    );
    const started = await run(canvasId, { instruction: "Make it punchier", selection: selectionOf(doc, "The quick brown fox jumps") });
    expect(started.status).toBe(201);
    const provenance = await finished(started.body.runId);

    await eventually(() => readSuggestions(doc).some((s) => s.status === "pending"), "the suggestion to reach the client");
    const [suggestion] = readSuggestions(doc);
    expect(suggestion).toMatchObject({ oldText: "quick brown fox", newText: "swift red fox", status: "pending", runId: started.body.runId });
    expect(readDocMarkdown(doc)).toContain("The quick brown fox jumps"); // not applied until accepted

    const chat = readChat(doc);
    expect(chat.map((m) => [m.role, m.status])).toEqual([["user", "done"], ["assistant", "done"]]);
    expect(chat[0]!.text).toBe("Make it punchier");
    expect(chat[1]!.text).toBe("Tightening it. Done.");
    expect(chat[1]!.suggestionIds).toEqual([suggestion!.id]);

    expect(provenance).toMatchObject({ status: "done", provider: "scripted", model: "scripted-1", agent: "Assistant", instruction: "Make it punchier", userId: owner.id });
    expect(provenance.tokensIn).toBeGreaterThan(0);
    expect(provenance.tokensOut).toBeGreaterThan(0);
    expect(provenance.latencyMs).toBeGreaterThanOrEqual(0);
    expect(provenance.toolCalls).toEqual([expect.objectContaining({ name: "replace", input: { find: "quick brown fox", replace: "swift red fox" } })]);
    expect(JSON.stringify(provenance.prompt)).toContain("<selection>The quick brown fox jumps</selection>");
    expect(provenance.suggestions).toEqual([expect.objectContaining({ id: suggestion!.id, oldText: "quick brown fox", newText: "swift red fox", status: "pending" })]);

    const accepted = await api(server, owner, "POST", `/api/canvases/${canvasId}/suggestions/${suggestion!.id}/accept`, {});
    expect(accepted.status).toBe(200);
    await eventually(() => readDocMarkdown(doc).includes("The swift red fox jumps"), "the accepted text");
    expect(readDocMarkdown(doc)).toBe("# Plan\n\nThe swift red fox jumps over the lazy dog.\n\nKeep this paragraph.\n");
    await eventually(async () => (await api(server, owner, "GET", `/api/ai/runs/${started.body.runId}`)).body.feedback.length === 1, "the decision to be recorded");
    const after = (await api(server, owner, "GET", `/api/ai/runs/${started.body.runId}`)).body;
    expect(after.feedback[0]).toMatchObject({ kind: "accepted", userId: owner.id, suggestionId: suggestion!.id });
    expect(after.suggestions[0].status).toBe("accepted");
  });

  test("a decision made in a client's own Yjs change is recorded with that person", async () => {
    const { canvasId, doc } = await docCanvas("Alpha beta gamma.");
    models.use([[{ tool: "replace", input: { find: "beta", replace: "BETA" } }]]);
    const started = await run(canvasId, { instruction: "Shout beta" });
    await finished(started.body.runId);
    await eventually(() => readSuggestions(doc).some((s) => s.status === "pending"), "the suggestion");
    const id = readSuggestions(doc)[0]!.id;
    expect(acceptSuggestion(doc, id, { id: owner.id, name: "Owner" }, { origin: "browser", editedText: "Beta!" })).toBe("accepted");
    await eventually(async () => (await api(server, owner, "GET", `/api/ai/runs/${started.body.runId}`)).body.feedback.length === 1, "the decision to be recorded");
    const { feedback } = (await api(server, owner, "GET", `/api/ai/runs/${started.body.runId}`)).body;
    expect(feedback[0]).toMatchObject({ kind: "edited", userId: owner.id, finalText: "Beta!" });
    expect(readDocMarkdown(doc)).toBe("Alpha Beta! gamma.\n");
  });

  test("with apply-directly on, the edit lands in the content and the record still says the AI wrote it", async () => {
    const { canvasId, doc } = await docCanvas("One two three.");
    setAiAppliesDirectly(doc, true);
    models.use([[{ tool: "replace", input: { find: "two", replace: "2" } }]]);
    const started = await run(canvasId, { instruction: "Digits" });
    await finished(started.body.runId);
    await eventually(() => readDocMarkdown(doc) === "One 2 three.\n", "the direct edit");
    expect(readSuggestions(doc)[0]).toMatchObject({ status: "applied", runId: started.body.runId, agent: { name: "Assistant" } });
  });

  test("code canvases: an insertion after a line, in the named file", async () => {
    const { workspaceId, canvasId } = await workspaceWithCanvas(server, owner, "code");
    void workspaceId;
    const client = connect(server.url, canvasId, owner.token);
    open.push(client.destroy);
    await synced(client.provider);
    addCodeFile(client.document, { path: "main.py", content: "def add(a, b):\n    return a - b\n" });
    models.use([[{ tool: "insert", input: { after: "def add(a, b):\n", text: "    # REVIEW: subtracts instead of adding\n" } }]]);
    const started = await run(canvasId, { quickAction: { id: "review" }, path: "main.py" });
    expect(started.status).toBe(201);
    await finished(started.body.runId);
    await eventually(() => readSuggestions(client.document).some((s) => s.status === "pending"), "the code suggestion");
    const [suggestion] = readSuggestions(client.document);
    expect(suggestion).toMatchObject({ target: { kind: "code", path: "main.py" }, oldText: "", newText: "    # REVIEW: subtracts instead of adding\n" });
    const accepted = await api(server, owner, "POST", `/api/canvases/${canvasId}/suggestions/accept-all`, {});
    expect(accepted.status).toBe(200);
    await eventually(() => suggestionTextView(client.document, { kind: "code", path: "main.py" }).text.includes("REVIEW"), "the accepted comment");
    expect(suggestionTextView(client.document, { kind: "code", path: "main.py" }).text).toBe("def add(a, b):\n    # REVIEW: subtracts instead of adding\n    return a - b\n");
  });
});

describe("deleting and drafting", () => {
  test("delete removes exactly the passage once accepted", async () => {
    const { canvasId, doc } = await docCanvas("Keep this. Drop this sentence. Keep that.");
    models.use([[{ tool: "delete", input: { find: " Drop this sentence." } }]]);
    const started = await run(canvasId, { instruction: "Cut the filler" });
    await finished(started.body.runId);
    await eventually(() => readSuggestions(doc).some((s) => s.status === "pending"), "the deletion");
    expect(readSuggestions(doc)[0]).toMatchObject({ oldText: " Drop this sentence.", newText: "" });
    expect((await api(server, owner, "POST", `/api/canvases/${canvasId}/suggestions/accept-all`, {})).status).toBe(200);
    await eventually(() => readDocMarkdown(doc) === "Keep this. Keep that.\n", "the text without the passage");
  });

  test("a first draft on an empty doc: Markdown inserted at the start becomes headings and lists", async () => {
    const { canvasId, doc } = await docCanvas("");
    models.use([[{ tool: "insert", input: { after: "", text: "# Launch\n\nWe ship in May.\n\n- tests\n- docs" } }]]);
    const started = await run(canvasId, { instruction: "Write a first draft of a launch note" });
    await finished(started.body.runId);
    expect(models.model.calls.at(-1)!.prompt.some((m) => m.role === "user" && JSON.stringify(m.content).includes("It is empty"))).toBe(true);
    await eventually(() => readSuggestions(doc).some((s) => s.status === "pending"), "the draft");
    expect((await api(server, owner, "POST", `/api/canvases/${canvasId}/suggestions/accept-all`, {})).status).toBe(200);
    await eventually(() => readDocMarkdown(doc).includes("# Launch"), "the accepted draft");
    expect(readDocMarkdown(doc)).toBe("# Launch\n\nWe ship in May.\n\n- tests\n- docs\n");
  });
});

describe("people keep typing", () => {
  test("typing outside the target keeps the suggestion valid; typing inside it makes it stale, and a stale one is never applied", async () => {
    const { canvasId, doc } = await docCanvas("First sentence here. Second sentence here.");
    models.use([[{ tool: "replace", input: { find: "First sentence", replace: "Opening line" } }, { tool: "replace", input: { find: "Second sentence", replace: "Closing line" } }]]);
    const started = await run(canvasId, { instruction: "Rename" });
    await finished(started.body.runId);
    await eventually(() => readSuggestions(doc).filter((s) => s.status === "pending").length === 2, "two suggestions");
    const fragment = doc.getXmlFragment("content");
    const paragraph = fragment.get(0) as Y.XmlElement;
    const text = paragraph.get(0) as Y.XmlText;
    text.insert(0, "Well. "); // outside both targets
    text.insert(text.toString().indexOf("Second") + 3, "XX"); // inside the second
    await eventually(() => readSuggestions(doc).some((s) => s.status === "stale"), "the stale suggestion");
    const [first, second] = readSuggestions(doc);
    expect(first!.status).toBe("pending");
    expect(second!.status).toBe("stale");
    // The server writes the stale mark into the shared document once the text rests.
    const stored = (id: string) => (doc.getMap("suggestions").get(id) as Y.Map<unknown>).get("status");
    await eventually(() => stored(second!.id) === "stale", "the server's stale mark");
    expect(stored(first!.id)).toBe("pending");
    const stale = await api(server, owner, "POST", `/api/canvases/${canvasId}/suggestions/${second!.id}/accept`, {});
    expect(stale.status).toBe(409);
    expect((await api(server, owner, "POST", `/api/canvases/${canvasId}/suggestions/${first!.id}/accept`, {})).status).toBe(200);
    await eventually(() => readDocMarkdown(doc).startsWith("Well. Opening line"), "the accepted first suggestion");
    expect(readDocMarkdown(doc)).toBe("Well. Opening line here. SecXXond sentence here.\n");

    // Dismissing the stale one is recorded on the suggestion but is no preference: the
    // text that stayed is not what anyone chose over it.
    expect((await api(server, owner, "POST", `/api/canvases/${canvasId}/suggestions/${second!.id}/reject`, {})).status).toBe(200);
    const details = async () => (await api(server, owner, "GET", `/api/ai/runs/${started.body.runId}`)).body;
    await eventually(async () => (await details()).suggestions.find((s: any) => s.id === second!.id)?.status === "rejected", "the dismissal recorded");
    expect((await details()).feedback.map((f: any) => [f.suggestionId, f.kind])).toEqual([[first!.id, "accepted"]]);
  });
});

describe("stop and failures", () => {
  test("stop: what arrived stays as a partial suggestion, marked stopped", async () => {
    const slow = scriptedModels({ tokensPerSecond: 40, charsPerToken: 2 });
    const slowServer = await startTestServer({ models: slow });
    try {
      const me = await signUp(slowServer, "slow@example.com");
      const { canvasId } = await workspaceWithCanvas(slowServer, me, "doc");
      const client = connect(slowServer.url, canvasId, me.token);
      open.push(client.destroy);
      await synced(client.provider);
      writeDocMarkdown(client.document, "Short text.");
      slow.use([[{ tool: "replace", input: { find: "Short text.", replace: "A much longer replacement that takes a while to stream in, token by token, so there is time to stop it." } }]]);
      const started = await api(slowServer, me, "POST", `/api/canvases/${canvasId}/ai/runs`, { instruction: "Expand" });
      await eventually(() => (readSuggestions(client.document)[0]?.newText.length ?? 0) > 10, "part of the suggestion", 15_000);
      const stopped = await api(slowServer, me, "POST", `/api/ai/runs/${started.body.runId}/stop`);
      expect(stopped.body).toEqual({ stopped: true });
      await eventually(() => readSuggestions(client.document)[0]?.status === "stopped", "the stopped suggestion");
      const partial = readSuggestions(client.document)[0]!.newText;
      expect(partial.length).toBeGreaterThan(10);
      expect(partial.length).toBeLessThan(100);
      await eventually(() => readChat(client.document)[1]?.status === "stopped", "the stopped reply");
      await eventually(async () => (await api(slowServer, me, "GET", `/api/ai/runs/${started.body.runId}`)).body.status === "stopped", "the run record");
      expect(readDocMarkdown(client.document)).toBe("Short text.\n");
    } finally {
      await slowServer.close();
    }
  });

  const failures: [string, () => Parameters<typeof models.use>[0], RegExp][] = [
    ["a rate limit", () => [[{ text: "Let me" }, { error: rateLimitError() }]], /rate-limiting requests \(HTTP 429\)/],
    ["a context that is too long", () => [[{ error: contextTooLongError() }]], /too long for this model's context window/],
    ["a model that never answers (timeout)", () => [[{ tool: "replace", input: { find: "Original", replace: "Changed" } }, { hang: true }]], /did not finish within 2 seconds/],
    ["a model that fails mid-edit", () => [[{ tool: "replace", rawInput: '{"find": "Original", "replace": "Chan' }, { error: new Error("connection reset") }]], /The model failed: connection reset/],
  ];
  test.each(failures)("%s shows a clear message in the chat and leaves the canvas and its suggestions unchanged", async (_name, script, message) => {
    const { canvasId, doc } = await docCanvas("Original text.");
    models.use(script());
    const started = await run(canvasId, { instruction: "Edit" });
    const provenance = await finished(started.body.runId);
    expect(provenance.status).toBe("failed");
    expect(provenance.error).toMatch(message);
    await eventually(() => readChat(doc)[1]?.status === "failed", "the failed reply");
    expect(readChat(doc)[1]!.error).toMatch(message);
    expect(readSuggestions(doc).filter((s) => s.status !== "rejected")).toEqual([]);
    expect(readDocMarkdown(doc)).toBe("Original text.\n");
  });

  test("a malformed tool call is discarded with a note, and the model's corrected call still lands", async () => {
    const { canvasId, doc } = await docCanvas("Original text.");
    models.use([
      [{ tool: "replace", rawInput: '{"find": "Original", "replace": 42}' }],
      [{ tool: "replace", input: { find: "Original", replace: "Fixed" } }],
    ]);
    const started = await run(canvasId, { instruction: "Edit" });
    const provenance = await finished(started.body.runId);
    expect(provenance.status).toBe("done");
    await eventually(() => readChat(doc)[1]?.status === "done", "the reply");
    expect(readChat(doc)[1]!.error).toMatch(/malformed and was discarded/);
    await eventually(() => readSuggestions(doc).length === 1, "one suggestion");
    expect(readSuggestions(doc)[0]).toMatchObject({ oldText: "Original", newText: "Fixed", status: "pending" });
  });

  test("a target the model invents is refused and told to the model, not applied somewhere else", async () => {
    const { canvasId, doc } = await docCanvas("Original text.");
    models.use([[{ tool: "replace", input: { find: "Nonexistent", replace: "X" } }], [{ text: "Sorry." }]]);
    const started = await run(canvasId, { instruction: "Edit" });
    const provenance = await finished(started.body.runId);
    expect(provenance.toolCalls[0].result).toMatch(/not found/);
    expect(models.model.calls.at(-1)!.prompt.some((m) => m.role === "tool")).toBe(true);
    expect(readSuggestions(doc)).toEqual([]);
  });
});

describe("who may ask", () => {
  test("viewers cannot start runs or decide suggestions; strangers do not see the canvas", async () => {
    const { canvasId } = await docCanvas("Text.");
    expect((await run(canvasId, { instruction: "x" }, viewer)).status).toBe(403);
    const stranger = await signUp(server, `stranger-${Date.now()}@example.com`);
    expect((await run(canvasId, { instruction: "x" }, stranger)).status).toBe(404);
    expect((await api(server, viewer, "POST", `/api/canvases/${canvasId}/suggestions/accept-all`, {})).status).toBe(403);
    expect((await run(canvasId, {})).status).toBe(400);
    const garbage = await run(canvasId, { instruction: "x", selection: { from: "////", to: "////" } });
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.message).toMatch(/selection.from is not a Yjs relative position/);
    expect((await run(canvasId, { quickAction: { id: "no-such-action" } })).status).toBe(404);
  });
});

describe("quick actions", () => {
  test("built-ins for the canvas kind, plus saved ones: your own and the workspace's", async () => {
    const { workspaceId, canvasId, doc } = await docCanvas("Some text to shorten.");
    const builtins = (await api(server, owner, "GET", `/api/canvases/${canvasId}/quick-actions`)).body.items;
    expect(builtins.map((a: any) => a.id)).toEqual(["suggest-edits", "shorter", "longer", "reading-level", "polish", "emojis", "translate"]);

    const mine = await api(server, owner, "POST", "/api/quick-actions", { workspaceId, name: "Pirate", prompt: "Rewrite like a pirate.", canvasKind: "doc" });
    expect(mine.status).toBe(201);
    const shared = await api(server, owner, "POST", "/api/quick-actions", { workspaceId, name: "House style", prompt: "Apply our house style.", scope: "workspace" });
    expect(shared.status).toBe(201);
    expect((await api(server, viewer, "POST", "/api/quick-actions", { workspaceId, name: "x", prompt: "y", scope: "workspace" })).status).toBe(403);

    const ownerList = (await api(server, owner, "GET", `/api/canvases/${canvasId}/quick-actions`)).body.items.map((a: any) => a.label);
    expect(ownerList).toEqual(expect.arrayContaining(["House style", "Pirate"]));
    const viewerList = (await api(server, viewer, "GET", `/api/canvases/${canvasId}/quick-actions`)).body.items.map((a: any) => a.label);
    expect(viewerList).toContain("House style");
    expect(viewerList).not.toContain("Pirate");

    models.use((call) => [{ text: call.prompt.some((m) => m.role === "user" && JSON.stringify(m.content).includes("like a pirate")) ? "Arr." : "Huh?" }]);
    const started = await run(canvasId, { quickAction: { id: mine.body.id } });
    await finished(started.body.runId);
    await eventually(() => readChat(doc)[1]?.text === "Arr.", "the pirate reply");
    expect(readChat(doc)[0]!.text).toBe("Pirate");

    expect((await api(server, viewer, "DELETE", `/api/quick-actions/${mine.body.id}`)).status).toBe(404);
    expect((await api(server, viewer, "DELETE", `/api/quick-actions/${shared.body.id}`)).status).toBe(403);
    expect((await api(server, owner, "DELETE", `/api/quick-actions/${shared.body.id}`)).status).toBe(204);
  });
});

describe("feedback", () => {
  test("thumbs on a reply are stored with the run", async () => {
    const { canvasId } = await docCanvas("Text.");
    models.use([[{ text: "Looks fine." }]]);
    const started = await run(canvasId, { instruction: "Check" });
    await finished(started.body.runId);
    expect((await api(server, viewer, "POST", `/api/ai/runs/${started.body.runId}/feedback`, { rating: "down" })).status).toBe(204);
    expect((await api(server, owner, "POST", `/api/ai/runs/${started.body.runId}/feedback`, { rating: "sideways" })).status).toBe(400);
    const { feedback } = (await api(server, owner, "GET", `/api/ai/runs/${started.body.runId}`)).body;
    expect(feedback).toEqual([expect.objectContaining({ kind: "thumbs_down", userId: viewer.id, suggestionId: null })]);
  });
});
