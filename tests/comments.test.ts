import fs from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import * as Y from "yjs";
import { addCodeFile, commentsMapName, findCodeFileByPath, renameCodeFile, readCommentThreads, readDocMarkdown, suggestionTextView, writeDocMarkdown, type CommentThreadSnapshot } from "@cocanvas/content";
import { openSqliteStorage, type RunningServer, type Storage } from "@cocanvas/server";
import { Comments, personAuthor, type AgentMentionEvent } from "../packages/server/src/comments/comments.ts";
import { storedDocuments } from "../packages/server/src/collab/live-documents.ts";
import { createLogger } from "../packages/server/src/logger.ts";
import { api, connect, eventually, signUp, startTestServer, synced, temporaryDataDir, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";

let server: RunningServer;
let owner: TestUser;
let commenter: TestUser;
let viewer: TestUser;
let stranger: TestUser;
const open: (() => void)[] = [];

beforeAll(async () => {
  server = await startTestServer();
  owner = await signUp(server, "owner@example.com");
  commenter = await signUp(server, "grace@example.com");
  viewer = await signUp(server, "viewer@example.com");
  stranger = await signUp(server, "stranger@example.com");
});
afterAll(() => server.close());
afterEach(() => {
  while (open.length) open.pop()!();
});

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

/** A live client of `user` on a canvas, synced. */
async function client(canvasId: string, user: TestUser) {
  const connection = connect(server.url, canvasId, user.token);
  open.push(connection.destroy);
  await synced(connection.provider);
  return connection.document;
}

/** A doc canvas with `markdown` (written by the owner's live client), and live clients of the commenter and the viewer. */
async function docCanvas(markdown: string) {
  const { workspaceId, canvasId } = await workspaceWithCanvas(server, owner, "doc", [
    [commenter, "commenter"],
    [viewer, "viewer"],
  ]);
  const ownerDoc = await client(canvasId, owner);
  writeDocMarkdown(ownerDoc, markdown);
  const commenterDoc = await client(canvasId, commenter);
  const viewerDoc = await client(canvasId, viewer);
  await eventually(() => readDocMarkdown(commenterDoc) === readDocMarkdown(ownerDoc) && readDocMarkdown(viewerDoc) === readDocMarkdown(ownerDoc), "the text to reach everyone");
  return { workspaceId, canvasId, ownerDoc, commenterDoc, viewerDoc };
}

/** Anchors of the first occurrence of `text`, as a browser sends its selection. */
function selectionOf(doc: Y.Doc, text: string, path?: string) {
  const view = suggestionTextView(doc, path ? { kind: "code", path } : { kind: "doc" });
  const from = view.text.indexOf(text);
  if (from < 0) throw new Error(`"${text}" is not in the canvas`);
  return { ...(path ? { path } : {}), from: base64(view.anchor(from, "start")), to: base64(view.anchor(from + text.length, "end")) };
}

/** The text a thread covers now in `doc`. */
function covered(doc: Y.Doc, thread: CommentThreadSnapshot): string | null {
  const now = readCommentThreads(doc).find((candidate) => candidate.id === thread.id);
  if (!now || now.from === null) return null;
  return suggestionTextView(doc, now.target).text.slice(now.from, now.to!);
}

const threadsOf = (doc: Y.Doc) => readCommentThreads(doc);

describe("comment threads through the API", () => {
  test("a commenter comments and replies; every connected client sees the thread live, and viewers read it", async () => {
    const { canvasId, ownerDoc, commenterDoc, viewerDoc } = await docCanvas("The quick brown fox jumps over the lazy dog.");
    const created = await api(server, commenter, "POST", `/api/canvases/${canvasId}/comments`, { selection: selectionOf(commenterDoc, "brown fox"), text: "  Which fox? @owner  " });
    expect(created.status).toBe(201);
    const thread = created.body as CommentThreadSnapshot;
    expect(thread).toMatchObject({ target: { kind: "doc" }, status: "open", quote: "brown fox", from: 10, to: 19, detached: false, suggestionIds: [] });
    expect(thread.messages).toHaveLength(1);
    expect(thread.messages[0]).toMatchObject({ text: "Which fox? @owner", author: { kind: "person", id: commenter.id, name: "grace" }, mentions: [{ kind: "person", id: owner.id, name: "owner" }] });
    expect(thread.messages[0]!.author.color).toMatch(/^#[0-9a-f]{6}$/);

    for (const doc of [ownerDoc, commenterDoc, viewerDoc]) {
      await eventually(() => threadsOf(doc).length === 1, "the thread to reach every client");
      expect(threadsOf(doc)[0]).toEqual(thread);
    }

    const reply = await api(server, commenter, "POST", `/api/canvases/${canvasId}/comments/${thread.id}/replies`, { text: "The brown one." });
    expect(reply.status).toBe(201);
    expect(reply.body.messages.map((message: { text: string }) => message.text)).toEqual(["Which fox? @owner", "The brown one."]);
    for (const doc of [ownerDoc, commenterDoc, viewerDoc]) await eventually(() => threadsOf(doc)[0]?.messages.length === 2, "the reply to reach every client");

    const listed = await api(server, viewer, "GET", `/api/canvases/${canvasId}/comments`);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ items: [reply.body] });
    expect((await api(server, viewer, "GET", `/api/canvases/${canvasId}/comments?status=resolved`)).body.items).toEqual([]);
    expect((await api(server, viewer, "GET", `/api/canvases/${canvasId}/comments?status=open`)).body.items).toHaveLength(1);
  });

  test("viewers are refused (403), strangers do not see the canvas (404), anonymous callers must sign in (401)", async () => {
    const { canvasId, ownerDoc } = await docCanvas("Some text to discuss.");
    const selection = selectionOf(ownerDoc, "text");
    const started = await api(server, owner, "POST", `/api/canvases/${canvasId}/comments`, { selection, text: "Owner's thought" });
    expect(started.status).toBe(201);
    const routes: [string, string, object | undefined][] = [
      ["POST", `/api/canvases/${canvasId}/comments`, { selection, text: "Hi" }],
      ["POST", `/api/canvases/${canvasId}/comments/${started.body.id}/replies`, { text: "Hi" }],
      ["POST", `/api/canvases/${canvasId}/comments/${started.body.id}/resolve`, undefined],
      ["POST", `/api/canvases/${canvasId}/comments/${started.body.id}/reopen`, undefined],
    ];
    for (const [method, route, body] of routes) {
      for (const [user, status] of [[viewer, 403], [stranger, 404], [null, 401]] as const) {
        const response = await api(server, user, method, route, body);
        expect(response.status, `${method} ${route}`).toBe(status);
        expect(typeof response.body.error.code).toBe("string");
      }
    }
    expect((await api(server, stranger, "GET", `/api/canvases/${canvasId}/comments`)).status).toBe(404);
    const threads = (await api(server, owner, "GET", `/api/canvases/${canvasId}/comments`)).body.items;
    expect(threads).toHaveLength(1);
    expect(threads[0].messages).toHaveLength(1);
  });

  test("a commenter still cannot change the content, nor write comments, over the live channel", async () => {
    const { canvasId, ownerDoc, commenterDoc } = await docCanvas("Only editors write here.");
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText("written by the commenter")]);
    commenterDoc.getXmlFragment("content").push([paragraph]);
    const forged = new Y.Map<unknown>();
    commenterDoc.getMap(commentsMapName).set("forged", forged);
    forged.set("id", "forged");
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(readDocMarkdown(ownerDoc)).not.toContain("written by the commenter");
    expect(ownerDoc.getMap(commentsMapName).has("forged")).toBe(false);
    const exported = await api(server, owner, "GET", `/api/canvases/${canvasId}/export?format=md`);
    expect(exported.body).not.toContain("written by the commenter");
    expect((await api(server, owner, "GET", `/api/canvases/${canvasId}/comments`)).body.items).toEqual([]);
  });

  test("the anchors survive someone typing before, right before and inside the range", async () => {
    const { canvasId, ownerDoc, commenterDoc } = await docCanvas("Alpha beta gamma delta.");
    const { body: thread } = await api(server, commenter, "POST", `/api/canvases/${canvasId}/comments`, { selection: selectionOf(commenterDoc, "gamma"), text: "Greek?" });
    await eventually(() => threadsOf(ownerDoc).length === 1, "the thread to reach the owner");
    const text = ownerDoc.getXmlFragment("content").get(0) as Y.XmlElement;
    const run = text.get(0) as Y.XmlText;
    run.insert(0, "Intro: "); // before
    run.insert("Intro: Alpha beta ".length, "big "); // right before "gamma": stays outside
    await eventually(async () => (await api(server, viewer, "GET", `/api/canvases/${canvasId}/comments`)).body.items[0].from === "Intro: Alpha beta big ".length, "the server to see the edits");
    const now = (await api(server, viewer, "GET", `/api/canvases/${canvasId}/comments`)).body.items[0];
    expect(now).toMatchObject({ quote: "gamma", from: 22, to: 27, detached: false });
    await eventually(() => covered(commenterDoc, thread) === "gamma", "the commenter's replica to agree");

    run.insert("Intro: Alpha beta big gam".length, "-"); // inside
    await eventually(async () => (await api(server, viewer, "GET", `/api/canvases/${canvasId}/comments`)).body.items[0].to === 28, "the range to grow");
    expect(covered(ownerDoc, thread)).toBe("gam-ma");

    run.delete("Intro: Alpha beta big ".length, "gam-ma".length); // all of it
    await eventually(async () => (await api(server, viewer, "GET", `/api/canvases/${canvasId}/comments`)).body.items[0].detached === true, "the thread to detach");
    expect((await api(server, viewer, "GET", `/api/canvases/${canvasId}/comments`)).body.items[0]).toMatchObject({ from: null, to: null, quote: "gamma", status: "open" });
  });

  test("resolve and reopen, seen by everyone; a reply reopens a resolved thread", async () => {
    const { canvasId, ownerDoc, commenterDoc } = await docCanvas("Decide this.");
    const { body: thread } = await api(server, owner, "POST", `/api/canvases/${canvasId}/comments`, { selection: selectionOf(ownerDoc, "Decide"), text: "Agreed?" });
    const resolved = await api(server, commenter, "POST", `/api/canvases/${canvasId}/comments/${thread.id}/resolve`);
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: "resolved", resolvedBy: { kind: "person", id: commenter.id, name: "grace" } });
    await eventually(() => threadsOf(ownerDoc)[0]?.status === "resolved", "the owner to see it resolved");
    // Resolving again changes nothing.
    expect((await api(server, owner, "POST", `/api/canvases/${canvasId}/comments/${thread.id}/resolve`)).body.resolvedBy.id).toBe(commenter.id);
    expect((await api(server, owner, "GET", `/api/canvases/${canvasId}/comments?status=open`)).body.items).toEqual([]);

    const reopened = await api(server, owner, "POST", `/api/canvases/${canvasId}/comments/${thread.id}/reopen`);
    expect(reopened.status).toBe(200);
    expect(reopened.body.status).toBe("open");
    expect(reopened.body.resolvedBy).toBeUndefined();
    await eventually(() => threadsOf(commenterDoc)[0]?.status === "open", "the commenter to see it reopened");

    await api(server, owner, "POST", `/api/canvases/${canvasId}/comments/${thread.id}/resolve`);
    const reply = await api(server, commenter, "POST", `/api/canvases/${canvasId}/comments/${thread.id}/replies`, { text: "Not quite." });
    expect(reply.body.status).toBe("open");
  });

  test("people change and delete their own comments, live for everyone; an owner deletes anyone's; the last comment takes its thread", async () => {
    const { canvasId, ownerDoc, commenterDoc } = await docCanvas("Ship it on Monday.");
    const { body: thread } = await api(server, commenter, "POST", `/api/canvases/${canvasId}/comments`, { selection: selectionOf(ownerDoc, "Monday"), text: "Tuesday?" });
    const path = (messageId: string) => `/api/canvases/${canvasId}/comments/${thread.id}/messages/${messageId}`;
    const [first] = thread.messages;
    const { body: replied } = await api(server, owner, "POST", `/api/canvases/${canvasId}/comments/${thread.id}/replies`, { text: "Monday." });
    const reply = replied.messages[1];

    const edited = await api(server, commenter, "PATCH", path(first.id), { text: "Wednesday?" });
    expect(edited.status).toBe(200);
    expect(edited.body.messages[0]).toMatchObject({ id: first.id, text: "Wednesday?", editedAt: expect.any(String) });
    await eventually(() => threadsOf(ownerDoc)[0]?.messages[0]?.text === "Wednesday?", "the owner to see the edit");

    // Nobody else puts words in your mouth, owners included; bad input changes nothing.
    expect((await api(server, owner, "PATCH", path(first.id), { text: "Monday!" })).status).toBe(403);
    expect((await api(server, commenter, "PATCH", path(reply.id), { text: "Friday." })).status).toBe(403);
    expect((await api(server, commenter, "PATCH", path(first.id), { text: "   " })).status).toBe(400);
    expect((await api(server, commenter, "PATCH", path("nope"), { text: "Hm." })).status).toBe(404);
    expect((await api(server, commenter, "DELETE", path(reply.id))).status).toBe(403);
    expect(threadsOf(commenterDoc)[0]!.messages.map((m) => m.text)).toEqual(["Wednesday?", "Monday."]);

    // The commenter deletes her own comment; the owner deletes the last one, and the thread goes with it.
    expect((await api(server, commenter, "DELETE", path(first.id))).status).toBe(204);
    await eventually(() => threadsOf(ownerDoc)[0]?.messages.length === 1, "the owner to see one comment left");
    expect((await api(server, owner, "DELETE", path(reply.id))).status).toBe(204);
    await eventually(() => threadsOf(commenterDoc).length === 0, "the thread to be gone for the commenter");
    expect((await api(server, owner, "GET", `/api/canvases/${canvasId}/comments`)).body.items).toEqual([]);
    expect((await api(server, owner, "DELETE", path(reply.id))).status).toBe(404);
  });

  test("comments on a code file name the file and follow it through a rename", async () => {
    const { canvasId } = await workspaceWithCanvas(server, owner, "code", [[commenter, "commenter"]]);
    const ownerDoc = await client(canvasId, owner);
    addCodeFile(ownerDoc, { path: "sum.ts", content: "const total = a + b;\n" });
    const commenterDoc = await client(canvasId, commenter);
    await eventually(() => findCodeFileByPath(commenterDoc, "sum.ts") !== undefined, "the file to reach the commenter");
    const created = await api(server, commenter, "POST", `/api/canvases/${canvasId}/comments`, { selection: selectionOf(commenterDoc, "a + b", "sum.ts"), text: "Overflow?" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ target: { kind: "code", path: "sum.ts" }, quote: "a + b", from: 14, to: 19 });
    renameCodeFile(ownerDoc, findCodeFileByPath(ownerDoc, "sum.ts")!.id, "total.ts");
    await eventually(async () => (await api(server, owner, "GET", `/api/canvases/${canvasId}/comments`)).body.items[0].target.path === "total.ts", "the thread to follow the file");

    const withoutPath = await api(server, commenter, "POST", `/api/canvases/${canvasId}/comments`, { selection: { ...selectionOf(commenterDoc, "a + b", "total.ts"), path: undefined }, text: "?" });
    expect(withoutPath.status).toBe(400);
    expect(withoutPath.body.error.message).toMatch(/selection\.path/);
    const otherFile = await api(server, commenter, "POST", `/api/canvases/${canvasId}/comments`, { selection: { ...selectionOf(commenterDoc, "a + b", "total.ts"), path: "other.ts" }, text: "?" });
    expect(otherFile.status).toBe(404);
    const wrongFile = await api(server, commenter, "POST", `/api/canvases/${canvasId}/comments`, { selection: { ...selectionOf(commenterDoc, "a + b", "total.ts"), path: "main.ts" }, text: "?" });
    expect(wrongFile.status).toBe(409);
    expect((await api(server, owner, "GET", `/api/canvases/${canvasId}/comments`)).body.items).toHaveLength(1);
  });

  test("bad input is refused with a JSON error and changes nothing", async () => {
    const { canvasId, ownerDoc } = await docCanvas("Bad input here.");
    const selection = selectionOf(ownerDoc, "input");
    const { body: thread } = await api(server, commenter, "POST", `/api/canvases/${canvasId}/comments`, { selection, text: "First" });
    const before = await api(server, owner, "GET", `/api/canvases/${canvasId}/comments`);

    const otherDoc = new Y.Doc();
    writeDocMarkdown(otherDoc, "Somewhere else.");
    const elsewhere = selectionOf(otherDoc, "else");
    const cases: [string, unknown, number, RegExp][] = [
      [`/api/canvases/${canvasId}/comments`, { selection, text: "" }, 400, /empty/],
      [`/api/canvases/${canvasId}/comments`, { selection, text: "   \n " }, 400, /empty/],
      [`/api/canvases/${canvasId}/comments`, { selection, text: "x".repeat(10_001) }, 400, /at most 10000/],
      [`/api/canvases/${canvasId}/comments`, { selection: { from: "!!not base64!!", to: selection.to }, text: "Hi" }, 400, /base64/],
      [`/api/canvases/${canvasId}/comments`, { selection: { from: "", to: selection.to }, text: "Hi" }, 400, /relative position/],
      [`/api/canvases/${canvasId}/comments`, { selection: { from: "/w==", to: selection.to }, text: "Hi" }, 400, /relative position/],
      [`/api/canvases/${canvasId}/comments`, { text: "Hi" }, 400, /selection/],
      [`/api/canvases/${canvasId}/comments`, { selection, text: "Hi", extra: true }, 400, /extra|unrecognized/i],
      [`/api/canvases/${canvasId}/comments`, { selection: elsewhere, text: "Hi" }, 409, /no longer exists/],
      [`/api/canvases/${canvasId}/comments/nope/replies`, { text: "Hi" }, 404, /no such comment thread/],
      [`/api/canvases/${canvasId}/comments/${thread.id}/replies`, { text: "" }, 400, /empty/],
      [`/api/canvases/${canvasId}/comments/${thread.id}/replies`, { text: "y".repeat(10_001) }, 400, /at most/],
      [`/api/canvases/${canvasId}/comments/nope/resolve`, undefined, 404, /no such comment thread/],
      [`/api/canvases/${canvasId}/comments/nope/reopen`, undefined, 404, /no such comment thread/],
    ];
    for (const [route, body, status, message] of cases) {
      const response = await api(server, commenter, "POST", route, body);
      expect(response.status, `${route} ${JSON.stringify(body)?.slice(0, 80)}`).toBe(status);
      expect(response.body.error.message).toMatch(message);
    }
    expect((await api(server, owner, "GET", `/api/canvases/${canvasId}/comments?status=maybe`)).status).toBe(400);
    expect((await api(server, owner, "GET", `/api/canvases/${canvasId}/comments`)).body).toEqual(before.body);
    expect(threadsOf(ownerDoc)).toEqual(before.body.items);
  });

  test("a canvas in the trash keeps its threads readable but takes no new ones", async () => {
    const { canvasId, ownerDoc } = await docCanvas("Soon gone.");
    const selection = selectionOf(ownerDoc, "gone");
    await api(server, commenter, "POST", `/api/canvases/${canvasId}/comments`, { selection, text: "Before" });
    expect((await api(server, owner, "DELETE", `/api/canvases/${canvasId}`)).status).toBeLessThan(300);
    const refused = await api(server, owner, "POST", `/api/canvases/${canvasId}/comments`, { selection, text: "After" });
    expect(refused.status).toBe(409);
    expect((await api(server, owner, "GET", `/api/canvases/${canvasId}/comments`)).body.items).toHaveLength(1);
  });
});

describe("the Comments service (what agents call)", () => {
  let storage: Storage;
  let dataDir: string;
  const log = createLogger("silent");

  beforeAll(() => {
    dataDir = temporaryDataDir();
    storage = openSqliteStorage(dataDir);
  });
  afterAll(async () => {
    await storage.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function setting() {
    const user = (id: string, name: string, email: string) => storage.createUser({ id, name, email, passwordHash: "x", isAdmin: false });
    const suffix = Math.random().toString(36).slice(2, 8);
    const ada = await user(`ada-${suffix}`, "Ada Lovelace", `ada-${suffix}@example.com`);
    const adam = await user(`adam-${suffix}`, "Ada", `adam-${suffix}@example.com`);
    const grace = await user(`grace-${suffix}`, "Grace Hopper", `grace${suffix}@example.com`);
    const workspace = await storage.createWorkspace("Team", ada.id);
    await storage.setMember(workspace.id, adam.id, "commenter");
    await storage.setMember(workspace.id, grace.id, "editor");
    const canvas = await storage.createCanvas({ workspaceId: workspace.id, title: "Essay", kind: "doc", createdBy: ada.id });
    const documents = storedDocuments(storage.documents);
    await documents.changeDocument(canvas.id, (doc) => writeDocMarkdown(doc, "An essay about engines and looms."));
    const agents = new Map([["critic", { id: "builtin:critic", name: "Critic" }], ["code reviewer", { id: "agent-7", name: "Code Reviewer" }]]);
    const lookups: string[] = [];
    const directory = {
      async findByName(workspaceId: string, name: string) {
        expect(workspaceId).toBe(workspace.id);
        lookups.push(name);
        return agents.get(name.toLowerCase()) ?? null;
      },
    };
    const comments = new Comments({ storage, documents, logger: log, agents: () => directory });
    const events: AgentMentionEvent[] = [];
    comments.onAgentMention((event) => void events.push(event));
    return { ada, adam, grace, workspace, canvas, documents, comments, events, lookups, suffix };
  }

  test("parses @mentions of members (by name, longest first, or by email) and agents, and tells the agents runtime", async () => {
    const { ada, adam, grace, workspace, canvas, comments, events, suffix } = await setting();
    const author = personAuthor(ada);
    const thread = await comments.addThread(canvas.id, {
      target: { kind: "doc" },
      from: 3,
      to: 8,
      author,
      text: `@Ada Lovelace, @Ada. and @critic! ask @Code Reviewer please; mail ada-${suffix}@example.com, @grace${suffix}, @nobody, @Ada again`,
    });
    expect(thread.quote).toBe("essay");
    expect(thread.messages[0]!.mentions).toEqual([
      { kind: "person", id: ada.id, name: "Ada Lovelace" },
      { kind: "person", id: adam.id, name: "Ada" },
      { kind: "agent", id: "builtin:critic", name: "Critic" },
      { kind: "agent", id: "agent-7", name: "Code Reviewer" },
      { kind: "person", id: grace.id, name: "Grace Hopper" },
    ]);
    expect(events).toEqual([
      { canvasId: canvas.id, workspaceId: workspace.id, threadId: thread.id, messageId: thread.messages[0]!.id, agentId: "builtin:critic", agentName: "Critic", userId: ada.id, author, text: thread.messages[0]!.text },
      { canvasId: canvas.id, workspaceId: workspace.id, threadId: thread.id, messageId: thread.messages[0]!.id, agentId: "agent-7", agentName: "Code Reviewer", userId: ada.id, author, text: thread.messages[0]!.text },
    ]);
  });

  test("agents comment, reply and link suggestions through it; an agent naming an agent starts nothing", async () => {
    const { ada, canvas, comments, events, documents } = await setting();
    const critic = { kind: "agent" as const, id: "builtin:critic", name: "Critic", color: "#c92a2a" };
    const thread = await comments.addThread(canvas.id, { target: { kind: "doc" }, from: 15, to: 22, author: critic, text: "Name one engine. @Code Reviewer?" });
    expect(thread).toMatchObject({ quote: "engines", status: "open" });
    expect(thread.messages[0]!.mentions).toEqual([{ kind: "agent", id: "agent-7", name: "Code Reviewer" }]);
    expect(events).toEqual([]);

    const { thread: replied, messageId } = await comments.reply(canvas.id, thread.id, personAuthor(ada), "The Analytical Engine. @Critic happy?");
    expect(replied.messages.at(-1)!.id).toBe(messageId);
    expect(events.map((event) => [event.agentId, event.messageId])).toEqual([["builtin:critic", messageId]]);

    expect((await comments.linkSuggestion(canvas.id, thread.id, "s1")).suggestionIds).toEqual(["s1"]);
    expect((await comments.resolve(canvas.id, thread.id, critic)).resolvedBy).toEqual({ kind: "agent", id: "builtin:critic", name: "Critic" });
    expect((await comments.reopen(canvas.id, thread.id)).status).toBe("open");
    expect(await comments.get(canvas.id, thread.id)).toEqual(readCommentThreads(docOf(documents.currentState(canvas.id)))[0]);
    expect((await comments.list(canvas.id, { status: "resolved" })).length).toBe(0);

    await expect(comments.reply(canvas.id, "nope", critic, "Hi")).rejects.toMatchObject({ code: "not_found" });
    await expect(comments.get(canvas.id, "nope")).rejects.toMatchObject({ code: "not_found" });
    await expect(comments.addThread("no-canvas", { target: { kind: "doc" }, from: 0, to: 1, author: critic, text: "Hi" })).rejects.toMatchObject({ code: "not_found" });
    await expect(comments.addThread(canvas.id, { target: { kind: "doc" }, from: 0, to: 1, author: critic, text: " " })).rejects.toMatchObject({ code: "invalid_request" });
    await expect(comments.addThread(canvas.id, { target: { kind: "code", path: "x.ts" }, from: 0, to: 1, author: critic, text: "Hi" })).rejects.toMatchObject({ code: "not_found" });
    expect(await comments.list(canvas.id)).toHaveLength(1);
  });

  test("a failing mention listener is logged and changes nothing for the writer", async () => {
    const { ada, canvas, comments, events } = await setting();
    comments.onAgentMention(() => {
      throw new Error("listener broke");
    });
    const stop = comments.onAgentMention(async () => {
      throw new Error("async listener broke");
    });
    const thread = await comments.addThread(canvas.id, { target: { kind: "doc" }, from: 0, to: 2, author: personAuthor(ada), text: "@Critic look" });
    expect(thread.messages).toHaveLength(1);
    expect(events).toHaveLength(1);
    stop();
  });
});

function docOf(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}
