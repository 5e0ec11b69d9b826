import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import * as Y from "yjs";
import { readCommentThreads, readSuggestions, writeDocMarkdown } from "@cocanvas/content";
import type { RunningServer } from "@cocanvas/server";
import { lastUserText, scriptedModels, systemText, type ScriptItem } from "./fixtures/scripted-model.ts";
import { api, connect, eventually, signUp, startTestServer, synced, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";

const models = scriptedModels();
let server: RunningServer;
let owner: TestUser;
let editor: TestUser;
let commenter: TestUser;
const open: (() => void)[] = [];

beforeAll(async () => {
  server = await startTestServer({ models });
  owner = await signUp(server, "owner@example.com");
  editor = await signUp(server, "editor@example.com");
  commenter = await signUp(server, "commenter@example.com");
});
afterAll(() => server.close());
afterEach(() => {
  while (open.length) open.pop()!();
});

/** Scripts per agent, chosen by the name in the system prompt ("You are Critic."). */
function byAgent(scripts: Record<string, (step: number, prompt: string) => ScriptItem[]>) {
  models.use((call, step) => {
    const name = /You are (\w+)\./.exec(systemText(call))?.[1] ?? "";
    return scripts[name]?.(step, lastUserText(call)) ?? [{ text: "Done." }];
  });
}

async function docCanvas(markdown: string) {
  const { workspaceId, canvasId } = await workspaceWithCanvas(server, owner, "doc", [
    [editor, "editor"],
    [commenter, "commenter"],
  ]);
  const client = connect(server.url, canvasId, owner.token);
  open.push(client.destroy);
  await synced(client.provider);
  writeDocMarkdown(client.document, markdown);
  return { workspaceId, canvasId, doc: client.document, provider: client.provider };
}

async function ask(canvasId: string, body: object, user = owner) {
  return api(server, user, "POST", `/api/canvases/${canvasId}/ai/runs`, body);
}

async function finished(runId: string) {
  await eventually(async () => (await api(server, owner, "GET", `/api/ai/runs/${runId}`)).body.running === false, "the run to end");
  return (await api(server, owner, "GET", `/api/ai/runs/${runId}`)).body;
}

describe("agents of a workspace", () => {
  test("built-in personas plus the workspace's own; names are unique; only the author or an owner changes one", async () => {
    const { workspaceId } = await docCanvas("x");
    const listed = (await api(server, owner, "GET", `/api/workspaces/${workspaceId}/agents`)).body.items;
    expect(listed.map((a: any) => a.name)).toEqual(["Assistant", "Writer", "Critic", "Editor", "Coder", "Analyst", "Researcher"]);
    expect(listed.find((a: any) => a.name === "Critic")).toMatchObject({ id: "builtin:critic", tools: ["comment", "handoff"], builtin: true });

    const created = await api(server, editor, "POST", `/api/workspaces/${workspaceId}/agents`, { name: "Pedant", persona: "critic", instructions: "Obsess over commas.", maxTokens: 5000 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Pedant", persona: "critic", tools: ["edit", "comment"], maxTokens: 5000, builtin: false });
    expect(created.body.instructions).toContain("Obsess over commas.");
    expect((await api(server, editor, "POST", `/api/workspaces/${workspaceId}/agents`, { name: "critic" })).status).toBe(409);
    expect((await api(server, commenter, "POST", `/api/workspaces/${workspaceId}/agents`, { name: "Sneaky" })).status).toBe(403);
    expect((await api(server, editor, "POST", `/api/workspaces/${workspaceId}/agents`, { name: "@bad name!" })).status).toBe(400);

    const other = await signUp(server, `other-${Date.now()}@example.com`);
    await api(server, owner, "POST", `/api/workspaces/${workspaceId}/members`, { email: other.email, role: "editor" });
    expect((await api(server, other, "PATCH", `/api/agents/${created.body.id}`, { color: "#000000" })).status).toBe(403);
    expect((await api(server, owner, "PATCH", `/api/agents/${created.body.id}`, { color: "#000000" })).body.color).toBe("#000000");

    // A model that cannot resolve is refused when the agent is defined, not when it runs.
    const typo = await api(server, owner, "PATCH", `/api/agents/${created.body.id}`, { model: "olama:llama3.2", maxTurns: 3 });
    expect(typo.status).toBe(400);
    expect(typo.body.error.message).toMatch(/unknown provider 'olama'/);
    expect((await api(server, editor, "POST", `/api/workspaces/${workspaceId}/agents`, { name: "Typo", model: "gpt-4" })).status).toBe(400);
    const unchanged = (await api(server, owner, "GET", `/api/workspaces/${workspaceId}/agents`)).body.items.find((a: any) => a.id === created.body.id);
    expect([unchanged.model, unchanged.maxTurns]).toEqual([null, 8]);
    const changed = await api(server, owner, "PATCH", `/api/agents/${created.body.id}`, { model: "Ollama:llama3.2", maxTurns: 3 });
    expect([changed.body.model, changed.body.maxTurns]).toEqual(["ollama:llama3.2", 3]);
    expect((await api(server, owner, "DELETE", `/api/agents/${created.body.id}`)).status).toBe(204);
  });
});

describe("a critic reviews, an editor answers", () => {
  test("the critic leaves anchored comments and no edits; the editor answers each thread with a linked suggestion and a reply", async () => {
    const { canvasId, doc } = await docCanvas("Our product is the best in the world. It launched in 2019 and sells well.");
    byAgent({
      Critic: (step) =>
        step === 0
          ? [
              { tool: "comment", input: { find: "the best in the world", text: "Unsupported superlative: say what makes it better." } },
              { tool: "comment", input: { find: "sells well", text: "Vague: give a number." } },
              // A critic has no edit tools: this call is refused by the SDK and discarded.
              { tool: "replace", input: { find: "sells well", replace: "sells" } },
            ]
          : [{ text: "Two comments." }],
    });
    const review = await ask(canvasId, { agentId: "builtin:critic", instruction: "Review this" });
    expect(review.status).toBe(201);
    const critic = await finished(review.body.runId);
    expect(critic).toMatchObject({ agent: "Critic", agentId: "builtin:critic", status: "done" });
    await eventually(() => readCommentThreads(doc).length === 2, "two threads");
    const threads = readCommentThreads(doc);
    expect(threads.map((t) => [t.quote, t.messages[0]!.author.name, t.messages[0]!.author.kind])).toEqual([
      ["the best in the world", "Critic", "agent"],
      ["sells well", "Critic", "agent"],
    ]);
    expect(readSuggestions(doc)).toEqual([]);

    const [superlative, vague] = threads;
    byAgent({
      Editor: (step) =>
        step === 0
          ? [
              { tool: "replace", input: { find: "the best in the world", replace: "the fastest in its class", threadId: superlative!.id } },
              { tool: "reply", input: { threadId: superlative!.id, text: "Replaced with a checkable claim." } },
              { tool: "replace", input: { find: "sells well", replace: "sold 40,000 copies", threadId: vague!.id } },
              { tool: "reply", input: { threadId: vague!.id, text: "Added the number." } },
            ]
          : [{ text: "Answered both." }],
    });
    const answer = await ask(canvasId, { agentId: "builtin:editor", instruction: "Address the open comments" });
    await finished(answer.body.runId);
    expect(JSON.stringify(models.model.calls.at(-2)!.prompt)).toContain(superlative!.id); // the threads were in the prompt
    await eventually(() => readCommentThreads(doc).every((t) => t.suggestionIds.length === 1 && t.messages.length === 2), "linked suggestions and replies");
    const suggestions = readSuggestions(doc);
    expect(readCommentThreads(doc).map((t) => t.suggestionIds[0])).toEqual(suggestions.map((s) => s.id));
    expect(suggestions.map((s) => [s.oldText, s.newText, s.agent.name])).toEqual([
      ["the best in the world", "the fastest in its class", "Editor"],
      ["sells well", "sold 40,000 copies", "Editor"],
    ]);

    const activity = (await api(server, owner, "GET", `/api/canvases/${canvasId}/activity`)).body.items.map((a: any) => `${a.actor} ${a.action}`).reverse();
    expect(activity).toEqual(["Critic started", "Critic comment", "Critic comment", "Critic finished", "Editor started", "Editor suggestion", "Editor reply", "Editor suggestion", "Editor reply", "Editor finished"]);
  });
});

describe("guard rails", () => {
  test("an agent acts with its invoker's permissions: a commenter's Assistant can comment but not suggest edits", async () => {
    const { canvasId, doc } = await docCanvas("Plain text here.");
    byAgent({
      Assistant: (step) => (step === 0 ? [{ tool: "replace", input: { find: "Plain", replace: "Fancy" } }, { tool: "comment", input: { find: "Plain", text: "Could be fancier." } }] : [{ text: "Ok." }]),
    });
    const run = await ask(canvasId, { instruction: "Improve it" }, commenter);
    expect(run.status).toBe(201);
    const record = await finished(run.body.runId);
    expect(record.toolCalls[0].result).toMatch(/malformed|Error/);
    expect(JSON.parse(JSON.stringify(record.prompt)).system).toContain("You may not edit the text");
    await eventually(() => readCommentThreads(doc).length === 1, "the comment");
    expect(readSuggestions(doc)).toEqual([]);
    // A writer only edits: a commenter cannot use it at all.
    expect((await ask(canvasId, { agentId: "builtin:writer", instruction: "Expand" }, commenter)).status).toBe(403);
    const viewer = await signUp(server, `viewer-${Date.now()}@example.com`);
    expect((await ask(canvasId, { agentId: "builtin:critic", instruction: "Review" }, viewer)).status).toBe(404);
  });

  test("an invoker who loses the editor role mid-run: the agent's next edit is refused", async () => {
    const slow = scriptedModels({ tokensPerSecond: 60, charsPerToken: 4 });
    const slowServer = await startTestServer({ models: slow });
    try {
      const boss = await signUp(slowServer, "boss@example.com");
      const worker = await signUp(slowServer, "worker@example.com");
      const { workspaceId, canvasId } = await workspaceWithCanvas(slowServer, boss, "doc", [[worker, "editor"]]);
      const client = connect(slowServer.url, canvasId, boss.token);
      open.push(client.destroy);
      await synced(client.provider);
      writeDocMarkdown(client.document, "Alpha beta gamma.");
      slow.use([[{ text: "Working on it, this takes a little while to say." }, { tool: "replace", input: { find: "beta", replace: "BETA" } }]]);
      const run = await api(slowServer, worker, "POST", `/api/canvases/${canvasId}/ai/runs`, { instruction: "Shout" });
      await api(slowServer, boss, "PATCH", `/api/workspaces/${workspaceId}/members/${worker.id}`, { role: "viewer" });
      await eventually(async () => (await api(slowServer, boss, "GET", `/api/ai/runs/${run.body.runId}`)).body.running === false, "the run to end");
      const record = (await api(slowServer, boss, "GET", `/api/ai/runs/${run.body.runId}`)).body;
      expect(record.toolCalls[0].result).toMatch(/may no longer edit/);
      expect(readSuggestions(client.document).filter((s) => s.status === "pending")).toEqual([]);
    } finally {
      await slowServer.close();
    }
  });

  test("hand-offs are explicit and depth-limited: agents that keep handing off stop after two", async () => {
    const { canvasId } = await docCanvas("Some text.");
    byAgent({
      Assistant: (step) => (step === 0 ? [{ tool: "handoff", input: { agent: "Writer", instruction: "Expand it" } }] : [{ text: "Handed off." }]),
      Writer: (step) => (step === 0 ? [{ tool: "handoff", input: { agent: "Assistant", instruction: "Check it" } }] : [{ text: "Handed off." }]),
    });
    const first = await ask(canvasId, { instruction: "Go" });
    await finished(first.body.runId);
    await eventually(async () => (await api(server, owner, "GET", `/api/canvases/${canvasId}/activity`)).body.running.length === 0, "every run to end");
    const runs = (await api(server, owner, "GET", `/api/canvases/${canvasId}/ai/runs`)).body.items.reverse();
    expect(runs.map((r: any) => [r.agent, r.depth, r.parentRunId === null ? null : runs.findIndex((p: any) => p.id === r.parentRunId)])).toEqual([
      ["Assistant", 0, null],
      ["Writer", 1, 0],
      ["Assistant", 2, 1],
    ]);
    // At depth 2 the hand-off tool is gone: the third agent's attempt is refused.
    expect(runs[2].toolCalls[0].result).toMatch(/malformed|Error/);
  });

  test("a budget stops a run that spends too many tokens, keeping what arrived", async () => {
    const { workspaceId, canvasId, doc } = await docCanvas("Short.");
    const frugal = await api(server, owner, "POST", `/api/workspaces/${workspaceId}/agents`, { name: "Frugal", persona: "writer", tools: ["edit"], maxTokens: 500 });
    byAgent({ Frugal: () => [{ tool: "insert", input: { after: "Short.", text: " More." } }] });
    const run = await ask(canvasId, { agentId: frugal.body.id, instruction: "Write a lot" });
    const record = await finished(run.body.runId);
    expect(record.status).toBe("stopped");
    await eventually(() => /budget of 500 tokens/.test(JSON.stringify(doc.getArray("chat").toJSON())), "the budget note");
  });
});

describe("presence", () => {
  test("a working agent is in presence with a name, a status and a cursor on what it reads or writes; it leaves when done", async () => {
    const slow = scriptedModels({ tokensPerSecond: 30, charsPerToken: 2 });
    const slowServer = await startTestServer({ models: slow });
    try {
      const me = await signUp(slowServer, "me@example.com");
      const { canvasId } = await workspaceWithCanvas(slowServer, me, "doc");
      const client = connect(slowServer.url, canvasId, me.token);
      open.push(client.destroy);
      await synced(client.provider);
      writeDocMarkdown(client.document, "Hello brave new world.");
      slow.use([[{ tool: "replace", input: { find: "brave new", replace: "bold and shiny new" } }]]);
      await api(slowServer, me, "POST", `/api/canvases/${canvasId}/ai/runs`, { agentId: "builtin:writer", instruction: "Brighten" });
      const agentState = () => [...client.provider.awareness!.getStates().values()].find((state) => state.agent) as any;
      await eventually(() => agentState()?.agent.status === "writing a suggestion", "the writer's status");
      expect(agentState().user.name).toBe("Writer");
      const cursor = agentState().cursor;
      const absolute = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(cursor.anchor), client.document);
      expect(absolute?.type.toString()).toContain("brave new");
      expect(absolute?.index).toBe("Hello ".length);
      await eventually(() => agentState() === undefined, "the writer to leave", 15_000);
    } finally {
      await slowServer.close();
    }
  });
});

describe("mentions", () => {
  const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
  async function commentOn(canvasId: string, doc: Y.Doc, passage: string, text: string, user = owner) {
    const { suggestionTextView } = await import("@cocanvas/content");
    const view = suggestionTextView(doc, { kind: "doc" });
    const from = view.text.indexOf(passage);
    return api(server, user, "POST", `/api/canvases/${canvasId}/comments`, { selection: { from: base64(view.anchor(from, "start")), to: base64(view.anchor(from + passage.length, "end")) }, text });
  }

  test("@Critic in a person's comment asks the critic to answer in that thread; an agent naming another agent starts nothing", async () => {
    const { canvasId, doc } = await docCanvas("The results were great and everybody agreed.");
    byAgent({
      Critic: (step, prompt) => {
        if (step > 0) return [{ text: "Answered." }];
        const threadId = /<thread id="([^"]+)"/.exec(prompt)![1]!;
        return [{ tool: "reply", input: { threadId, text: "Say which results, and how you measured them. @Editor could rewrite it." } }];
      },
    });
    const created = await commentOn(canvasId, doc, "The results were great", "@Critic is this convincing?");
    expect(created.status).toBe(201);
    await eventually(() => readCommentThreads(doc)[0]?.messages.length === 2, "the critic's reply");
    const [question, answer] = readCommentThreads(doc)[0]!.messages;
    expect(question!.mentions).toEqual([expect.objectContaining({ kind: "agent", name: "Critic" })]);
    expect(answer).toMatchObject({ author: { kind: "agent", name: "Critic" } });
    const runs = (await api(server, owner, "GET", `/api/canvases/${canvasId}/ai/runs`)).body.items;
    expect(runs.map((r: any) => [r.agent, r.threadId])).toEqual([["Critic", readCommentThreads(doc)[0]!.id]]);
    expect(JSON.stringify(runs[0].prompt)).toContain("<selection>The results were great</selection>");
    // The critic's "@Editor" is just text: no editor run follows.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await api(server, owner, "GET", `/api/canvases/${canvasId}/ai/runs`)).body.items).toHaveLength(1);
  });

  test("a commenter who mentions an edit-only agent gets an explanation in the thread, and nothing runs", async () => {
    const { canvasId, doc } = await docCanvas("Short line.");
    const created = await commentOn(canvasId, doc, "Short line", "@Writer make this longer", commenter);
    expect(created.status).toBe(201);
    await eventually(() => readCommentThreads(doc)[0]?.messages.length === 2, "the writer's explanation");
    expect(readCommentThreads(doc)[0]!.messages[1]).toMatchObject({ author: { name: "Writer", kind: "agent" }, text: expect.stringMatching(/I can't act on this: .*may not edit/) });
    expect((await api(server, owner, "GET", `/api/canvases/${canvasId}/ai/runs`)).body.items).toEqual([]);
    const activity = (await api(server, owner, "GET", `/api/canvases/${canvasId}/activity`)).body.items;
    expect(activity[0]).toMatchObject({ actor: "Writer", action: "refused", userId: commenter.id });
  });
});

describe("several agents and several people at once", () => {
  test("a critic comments and an editor suggests while one person types throughout and another decides: everything converges, nothing is lost", async () => {
    const slow = scriptedModels({ tokensPerSecond: 150, charsPerToken: 2 });
    const slowServer = await startTestServer({ models: slow });
    try {
      const typist = await signUp(slowServer, "typist@example.com");
      const reviewer = await signUp(slowServer, "reviewer@example.com");
      const { canvasId } = await workspaceWithCanvas(slowServer, typist, "doc", [[reviewer, "editor"]]);
      const a = connect(slowServer.url, canvasId, typist.token);
      const b = connect(slowServer.url, canvasId, reviewer.token);
      open.push(a.destroy, b.destroy);
      await Promise.all([synced(a.provider), synced(b.provider)]);
      writeDocMarkdown(a.document, "Intro: our plan is good.\n\nMiddle: costs are fine.\n\nNotes:");
      await eventually(() => b.document.getXmlFragment("content").length === 3, "the text at the reviewer");

      slow.use((call, step) => {
        const name = /You are (\w+)\./.exec(systemText(call))?.[1];
        if (step > 0) return [{ text: `${name} done.` }];
        if (name === "Critic") return [{ tool: "comment", input: { find: "our plan is good", text: "Why is it good?" } }, { tool: "comment", input: { find: "costs are fine", text: "Give the numbers." } }];
        const threads = [...lastUserText(call).matchAll(/<thread id="([^"]+)"/g)].map((match) => match[1]!);
        return [
          { tool: "replace", input: { find: "our plan is good", replace: "our plan cuts delivery time by half", threadId: threads[0] } },
          { tool: "replace", input: { find: "costs are fine", replace: "costs stay under budget", threadId: threads[1] } },
        ];
      });

      // The typist types throughout, at the end of "Notes:".
      const typed: string[] = [];
      const notes = () => (a.document.getXmlFragment("content").get(2) as Y.XmlElement).get(0) as Y.XmlText;
      const typing = setInterval(() => {
        const char = "QWERTYUIOP"[typed.length % 10]!;
        notes().insert(notes().length, char);
        typed.push(char);
      }, 15);

      const critic = await api(slowServer, typist, "POST", `/api/canvases/${canvasId}/ai/runs`, { agentId: "builtin:critic", instruction: "Review" });
      await eventually(async () => (await api(slowServer, typist, "GET", `/api/ai/runs/${critic.body.runId}`)).body.running === false, "the critic");
      await eventually(() => readCommentThreads(b.document).length === 2, "the critic's threads at the reviewer");
      const editorRun = await api(slowServer, reviewer, "POST", `/api/canvases/${canvasId}/ai/runs`, { agentId: "builtin:editor", instruction: "Address the comments" });
      await eventually(() => readSuggestions(b.document).filter((s) => s.status === "pending").length === 2, "two pending suggestions at the reviewer", 15_000);
      const [first, second] = readSuggestions(b.document);
      const { acceptSuggestion, rejectSuggestion, suggestionDecisionOrigin } = await import("@cocanvas/content");
      expect(acceptSuggestion(b.document, first!.id, { id: reviewer.id, name: "Reviewer" }, { origin: suggestionDecisionOrigin })).toBe("accepted");
      expect(rejectSuggestion(b.document, second!.id, { id: reviewer.id, name: "Reviewer" }, { origin: suggestionDecisionOrigin })).toBe("rejected");
      await eventually(async () => (await api(slowServer, typist, "GET", `/api/ai/runs/${editorRun.body.runId}`)).body.running === false, "the editor");
      clearInterval(typing);

      const text = (doc: Y.Doc) => doc.getXmlFragment("content").toString();
      await eventually(() => text(a.document) === text(b.document) && notes().toString().length === "Notes:".length + typed.length, "both replicas to converge");
      const { readDocMarkdown } = await import("@cocanvas/content");
      const final = readDocMarkdown(a.document);
      expect(final).toContain("Intro: our plan cuts delivery time by half.");
      expect(final).toContain("Middle: costs are fine.");
      expect(final).not.toContain("under budget");
      expect(notes().toString()).toBe(`Notes:${typed.join("")}`);
      expect(typed.length).toBeGreaterThan(10);
      expect(readCommentThreads(a.document).map((thread) => thread.suggestionIds)).toEqual([[first!.id], [second!.id]]);
    } finally {
      await slowServer.close();
    }
  });
});
