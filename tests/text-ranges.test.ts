import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import * as Y from "yjs";
import { addCodeFile, readCommentThreads, readSuggestions, writeDocMarkdown } from "@cocanvas/content";
import type { RunningServer } from "@cocanvas/server";
import { scriptedModels, selectedText } from "./fixtures/scripted-model.ts";
import { api, connect, eventually, signUp, startTestServer, synced, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";

// Scripts drive every route that takes a range with plain text — a quoted passage or
// character offsets — and never touch a Y.Doc; the server anchors the range.
const models = scriptedModels();
let server: RunningServer;
let owner: TestUser;
const open: (() => void)[] = [];

beforeAll(async () => {
  server = await startTestServer({ models });
  owner = await signUp(server, "owner@example.com");
});
afterAll(() => server.close());
afterEach(() => {
  while (open.length) open.pop()!();
});

async function canvas(kind: "doc" | "code", fill: (doc: Y.Doc) => void) {
  const { canvasId } = await workspaceWithCanvas(server, owner, kind);
  const client = connect(server.url, canvasId, owner.token);
  open.push(client.destroy);
  await synced(client.provider);
  fill(client.document);
  return { canvasId, doc: client.document };
}

/** Runs an AI request and answers with the text the model saw as the selection. */
async function selectionSeen(canvasId: string, body: object) {
  let seen: string | null = null;
  models.use((call) => {
    seen = selectedText(call);
    return [{ text: "Seen." }];
  });
  const started = await api(server, owner, "POST", `/api/canvases/${canvasId}/ai/runs`, { instruction: "Look", ...body });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  await eventually(async () => (await api(server, owner, "GET", `/api/ai/runs/${started.body.runId}`)).body.running === false, "the run to end");
  return seen;
}

const docText = "One fish, two fish.\nRed fish, blue fish.";

describe("AI runs take text ranges", () => {
  test("a quoted passage (with occurrence) and character offsets on a doc; offsets count in the canvas's plain text", async () => {
    const { canvasId } = await canvas("doc", (doc) => writeDocMarkdown(doc, "One fish, two fish.\n\nRed fish, blue fish."));
    const plain = await fetch(`${server.url}/api/canvases/${canvasId}/export?format=text`, { headers: { authorization: `Bearer ${owner.token}` } });
    expect(await plain.text()).toBe(docText);

    expect(await selectionSeen(canvasId, { selection: { quote: "blue fish" } })).toBe("blue fish");
    expect(await selectionSeen(canvasId, { selection: { quote: "fish", occurrence: 3 } })).toBe("fish");
    const start = docText.indexOf("Red");
    expect(await selectionSeen(canvasId, { selection: { start, end: start + "Red fish".length } })).toBe("Red fish");
  });

  test("edits from a quoted range land on that passage, not on the same word elsewhere", async () => {
    const { canvasId, doc } = await canvas("doc", (d) => writeDocMarkdown(d, "One fish, two fish.\n\nRed fish, blue fish."));
    models.use((call, step) => (step === 0 && selectedText(call) === "two fish" ? [{ tool: "replace", input: { find: "fish", replace: "cats" } }] : [{ text: "Done." }]));
    const started = await api(server, owner, "POST", `/api/canvases/${canvasId}/ai/runs`, { instruction: "Cats", selection: { quote: "two fish" } });
    expect(started.status).toBe(201);
    await eventually(() => readSuggestions(doc).some((s) => s.status === "pending"), "the suggestion");
    // The first "fish" in the document is outside the range: the one in "two fish" is replaced.
    expect(readSuggestions(doc).map((s) => [s.from, s.to, s.oldText])).toEqual([[docText.indexOf("two fish") + 4, docText.indexOf("two fish") + 8, "fish"]]);
  });

  test("on a code canvas: a file's quote or offsets, with its path", async () => {
    const source = "export function sum(a: number, b: number) {\n  return a + b;\n}\n";
    const { canvasId } = await canvas("code", (doc) => addCodeFile(doc, { path: "src/sum.ts", content: source }));
    expect(await selectionSeen(canvasId, { selection: { path: "src/sum.ts", quote: "return a + b;" } })).toBe("return a + b;");
    const at = source.indexOf("a: number");
    expect(await selectionSeen(canvasId, { selection: { path: "src/sum.ts", start: at, end: at + 9 } })).toBe("a: number");
  });
});

describe("comments take text ranges", () => {
  test("a thread on a quoted passage or on offsets, anchored like a browser's selection", async () => {
    const { canvasId, doc } = await canvas("doc", (d) => writeDocMarkdown(d, "One fish, two fish.\n\nRed fish, blue fish."));
    const quoted = await api(server, owner, "POST", `/api/canvases/${canvasId}/comments`, { selection: { quote: "fish", occurrence: 4 }, text: "Which colour?" });
    expect(quoted.status, JSON.stringify(quoted.body)).toBe(201);
    expect(quoted.body).toMatchObject({ quote: "fish", from: docText.lastIndexOf("fish"), to: docText.lastIndexOf("fish") + 4 });
    const byOffsets = await api(server, owner, "POST", `/api/canvases/${canvasId}/comments`, { selection: { start: 0, end: 3 }, text: "Counting?" });
    expect(byOffsets.body).toMatchObject({ quote: "One", from: 0, to: 3 });
    await eventually(() => readCommentThreads(doc).length === 2, "both threads in the live document");
  });

  test("on a code file", async () => {
    const { canvasId } = await canvas("code", (doc) => addCodeFile(doc, { path: "a.py", content: "x = 1\ny = x + 1\n" }));
    const created = await api(server, owner, "POST", `/api/canvases/${canvasId}/comments`, { selection: { path: "a.py", quote: "x + 1" }, text: "Name it." });
    expect(created.body).toMatchObject({ target: { kind: "code", path: "a.py" }, quote: "x + 1", from: 10, to: 15 });
  });
});

describe("the relative-position convention (docs/http-api.md#ranges)", () => {
  test("from with assoc 0, to with assoc -1: typing right before or after stays outside, typing inside grows the range", async () => {
    const { canvasId, doc } = await canvas("code", (d) => addCodeFile(d, { path: "sum.ts", content: "const total = a + b;\n" }));
    // The example from the docs, as written there.
    const file = [...doc.getMap<Y.Map<unknown>>("files").values()].find((f) => f.get("path") === "sum.ts")!;
    const text = file.get("content") as Y.Text;
    const start = text.toString().indexOf("a + b");
    const encode = (index: number, assoc: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, index, assoc))).toString("base64");
    const selection = { path: "sum.ts", from: encode(start, 0), to: encode(start + 5, -1) };

    const created = await api(server, owner, "POST", `/api/canvases/${canvasId}/comments`, { selection, text: "Overflow?" });
    expect(created.body).toMatchObject({ quote: "a + b", from: 14, to: 19 });
    text.insert(start + 5, "!"); // right after: outside
    text.insert(start, "("); // right before: outside
    text.insert(start + 3, " "); // inside: grows
    const expected = "const total = (a  + b!;\n";
    expect(text.toString()).toBe(expected);
    await eventually(async () => (await api(server, owner, "GET", `/api/canvases/${canvasId}/comments`)).body.items[0].to === 21, "the server to see the edits");
    const thread = (await api(server, owner, "GET", `/api/canvases/${canvasId}/comments`)).body.items[0];
    expect(expected.slice(thread.from, thread.to)).toBe("a  + b");
  });
});

describe("bad text ranges get a 400 naming the field and change nothing", () => {
  test.each([
    [{ quote: "dog" }, /selection\.quote does not occur/],
    [{ quote: "fish" }, /selection\.quote occurs 4 times.*selection\.occurrence \(1 to 4\)/],
    [{ quote: "fish", occurrence: 5 }, /selection\.occurrence is 5, but the quote occurs 4 times/],
    [{ start: 3, end: 999 }, /selection\.end is 999, past the end of the canvas text \(40 characters\)/],
    [{ start: 5, end: 2 }, /selection\.end.*before start/],
    [{ start: 5 }, /selection\.end.*required/],
    [{ quote: "fish", start: 1, end: 2 }, /one way/],
    [{ occurrence: 2 }, /one way|occurrence/],
  ])("%j", async (selection, message) => {
    const { canvasId, doc } = await canvas("doc", (d) => writeDocMarkdown(d, "One fish, two fish.\n\nRed fish, blue fish."));
    for (const route of ["ai/runs", "comments"]) {
      const response = await api(server, owner, "POST", `/api/canvases/${canvasId}/${route}`, { selection, instruction: "x", text: "x", ...(route === "comments" ? { instruction: undefined } : { text: undefined }) });
      expect(response.status, route).toBe(400);
      expect(response.body.error.message, route).toMatch(message);
    }
    expect((await api(server, owner, "GET", `/api/canvases/${canvasId}/ai/runs`)).body.items).toEqual([]);
    expect((await api(server, owner, "GET", `/api/canvases/${canvasId}/comments`)).body.items).toEqual([]);
    expect(doc.getArray("chat").length).toBe(0);
  });
});
