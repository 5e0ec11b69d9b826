import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { readSuggestions, writeDocMarkdown } from "@cocanvas/content";
import type { RunningServer } from "@cocanvas/server";
import { lastUserText, rateLimitError, scriptedModels, systemText, type ScriptItem } from "./fixtures/scripted-model.ts";
import { api, connect, eventually, signUp, startTestServer, synced, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";

const models = scriptedModels();
let server: RunningServer;
let alice: TestUser;
let bob: TestUser;
let stranger: TestUser;
const open: (() => void)[] = [];

/** A reflection asks for JSON (Output.object); co-editing runs offer tools. */
const isReflection = (call: LanguageModelV3CallOptions) => call.responseFormat?.type === "json";
const reflectionCalls = () => models.model.calls.filter(isReflection);

/** What the model does: `edits` for co-editing runs (by the person's instruction), `reflection` for reflections. */
let edits: Record<string, ScriptItem[]> = {};
let reflection: ScriptItem[] = [{ text: '{"style":[],"facts":[]}' }];
models.use((call, step) => {
  if (isReflection(call)) return reflection;
  if (step > 0) return [{ text: "Done." }];
  const instruction = Object.keys(edits).find((key) => lastUserText(call).includes(key));
  return instruction ? edits[instruction]! : [{ text: "Nothing to do." }];
});

beforeAll(async () => {
  // Session-end reflections wait longer than this file runs: the explicit route is tested here, the hook below.
  server = await startTestServer({ models, memory: { sessionQuietMs: 600_000 } });
  alice = await signUp(server, "alice@example.com");
  bob = await signUp(server, "bob@example.com");
  stranger = await signUp(server, "stranger@example.com");
});
afterAll(() => server.close());
afterEach(() => {
  while (open.length) open.pop()!();
});

async function docCanvas(target: RunningServer, owner: TestUser, markdown: string, members: [TestUser, string][] = []) {
  const { workspaceId, canvasId } = await workspaceWithCanvas(target, owner, "doc", members);
  const client = connect(target.url, canvasId, owner.token);
  open.push(client.destroy);
  await synced(client.provider);
  writeDocMarkdown(client.document, markdown);
  await eventually(() => client.provider.unsyncedChanges === 0, "the text to reach the server");
  return { workspaceId, canvasId, doc: client.document, destroy: client.destroy };
}

/** Runs the AI as `user` and waits for the run and its suggestions to be recorded. */
async function aiRun(target: RunningServer, user: TestUser, canvasId: string, instruction: string) {
  const started = await api(target, user, "POST", `/api/canvases/${canvasId}/ai/runs`, { instruction });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  await eventually(async () => (await api(target, user, "GET", `/api/ai/runs/${started.body.runId}`)).body.running === false, "the run to end");
  return (await api(target, user, "GET", `/api/ai/runs/${started.body.runId}`)).body as { id: string; suggestions: { id: string; oldText: string; newText: string }[] };
}

async function decisions(target: RunningServer, user: TestUser, runId: string, count: number) {
  await eventually(async () => (await api(target, user, "GET", `/api/ai/runs/${runId}`)).body.feedback.length >= count, `${count} decisions to be recorded`);
}

const suggestionFor = (run: { suggestions: { id: string; oldText: string }[] }, oldText: string) => run.suggestions.find((s) => s.oldText === oldText)!.id;

describe("reflection", () => {
  let workspaceId: string;

  test("builds memory from a person's edited and rejected suggestions and chat requests — never from another person's decisions on the same canvas", async () => {
    const canvas = await docCanvas(server, alice, "The quick brown fox jumps. Hello world, friends.", [[bob, "editor"]]);
    workspaceId = canvas.workspaceId;
    edits = {
      "Make it punchier": [
        { tool: "replace", input: { find: "quick brown fox", replace: "swift auburn fox" } },
        { tool: "replace", input: { find: "Hello world", replace: "Greetings, planet" } },
      ],
      "BOB SHOUTS": [{ tool: "replace", input: { find: "friends", replace: "FRIENDS-OF-BOB" } }],
    };
    const run = await aiRun(server, alice, canvas.canvasId, "Make it punchier");
    expect(run.suggestions).toHaveLength(2);
    const base = `/api/canvases/${canvas.canvasId}/suggestions`;
    expect((await api(server, alice, "POST", `${base}/${suggestionFor(run, "quick brown fox")}/accept`, { editedText: "quick fox" })).status).toBe(200);
    expect((await api(server, alice, "POST", `${base}/${suggestionFor(run, "Hello world")}/reject`, {})).status).toBe(200);
    await decisions(server, alice, run.id, 2);

    // Bob works on the same canvas: his request, decision and thumb are his alone.
    const bobRun = await aiRun(server, bob, canvas.canvasId, "BOB SHOUTS");
    expect((await api(server, bob, "POST", `${base}/${bobRun.suggestions[0]!.id}/accept`, { editedText: "BOB-EDITED-TEXT" })).status).toBe(200);
    expect((await api(server, bob, "POST", `/api/ai/runs/${run.id}/feedback`, { rating: "down" })).status).toBe(204);
    await decisions(server, bob, bobRun.id, 1);

    reflection = [{ text: JSON.stringify({ style: ["Prefers short, plain wording.", "- prefers short, plain wording", "Keeps greetings as they are."], facts: ["Writes product copy."] }) }];
    const before = reflectionCalls().length;
    const reflected = await api(server, alice, "POST", `/api/workspaces/${workspaceId}/memory/reflect`);
    expect(reflected.status, JSON.stringify(reflected.body)).toBe(200);
    expect(reflectionCalls()).toHaveLength(before + 1);

    // What the model was shown: Alice's edit (AI text and hers), her rejection and her request; nothing of Bob's.
    const sent = lastUserText(reflectionCalls().at(-1)!);
    expect(sent).toContain('"swift auburn fox"');
    expect(sent).toContain('"quick fox"');
    expect(sent).toContain("Rejected an AI suggestion");
    expect(sent).toContain('"Greetings, planet"');
    expect(sent).toContain("Make it punchier");
    for (const bobs of ["BOB SHOUTS", "FRIENDS-OF-BOB", "BOB-EDITED-TEXT", "thumbs"]) expect(sent).not.toContain(bobs);
    expect(systemText(reflectionCalls().at(-1)!)).toContain("memory about one person");

    expect(reflected.body.evidence).toEqual({ decisions: 2, ratings: 0, requests: 1 });
    expect(reflected.body.added.map((entry: any) => [entry.kind, entry.text])).toEqual([
      ["style", "Prefers short, plain wording."],
      ["style", "Keeps greetings as they are."],
      ["fact", "Writes product copy."],
    ]);
    expect(reflected.body.added.every((entry: any) => entry.sourceRunId === run.id)).toBe(true);
    expect(reflected.body.reflectedAt).toEqual(expect.any(String));

    // Bob's memory is his own: empty, and his reflection never sees Alice's work.
    expect((await api(server, bob, "GET", `/api/workspaces/${workspaceId}/memory`)).body.items).toEqual([]);
    reflection = [{ text: '{"style":["Likes capitals."],"facts":[]}' }];
    const bobReflects = await api(server, bob, "POST", `/api/workspaces/${workspaceId}/memory/reflect`);
    expect(bobReflects.body.evidence).toEqual({ decisions: 1, ratings: 1, requests: 1 });
    const bobSent = lastUserText(reflectionCalls().at(-1)!);
    expect(bobSent).toContain("BOB-EDITED-TEXT");
    expect(bobSent).toContain("thumbs down");
    for (const alices of ["quick fox", "Greetings, planet", "Prefers short"]) expect(bobSent).not.toContain(alices);
    expect((await api(server, alice, "GET", `/api/workspaces/${workspaceId}/memory`)).body.items.map((e: any) => e.text)).not.toContain("Likes capitals.");
  });

  test("with nothing new since the last reflection the model is not asked; new work merges without duplicates", async () => {
    const calls = reflectionCalls().length;
    const idle = await api(server, alice, "POST", `/api/workspaces/${workspaceId}/memory/reflect`);
    expect(idle.status).toBe(200);
    expect(idle.body.added).toEqual([]);
    expect(idle.body.items).toHaveLength(3);
    expect(reflectionCalls()).toHaveLength(calls);

    const canvas = await api(server, alice, "POST", `/api/workspaces/${workspaceId}/canvases`, { title: "Second", kind: "doc" });
    const client = connect(server.url, canvas.body.id, alice.token);
    open.push(client.destroy);
    await synced(client.provider);
    writeDocMarkdown(client.document, "Colour and flavour.");
    edits = { "American spelling": [{ tool: "replace", input: { find: "Colour", replace: "Color" } }] };
    const run = await aiRun(server, alice, canvas.body.id, "American spelling");
    expect((await api(server, alice, "POST", `/api/canvases/${canvas.body.id}/suggestions/${run.suggestions[0]!.id}/reject`, {})).status).toBe(200);
    await decisions(server, alice, run.id, 1);

    reflection = [{ text: JSON.stringify({ style: ["PREFERS SHORT, PLAIN WORDING", "Writes British spelling (colour, flavour)."], facts: ["writes product copy!"] }) }];
    const merged = await api(server, alice, "POST", `/api/workspaces/${workspaceId}/memory/reflect`);
    expect(merged.status).toBe(200);
    const sent = lastUserText(reflectionCalls().at(-1)!);
    expect(sent).toContain("- [style] Prefers short, plain wording.");
    expect(sent).toContain("American spelling");
    expect(sent).not.toContain("Make it punchier"); // read before: only what happened since the last reflection
    expect(merged.body.evidence).toEqual({ decisions: 1, ratings: 0, requests: 1 });
    expect(merged.body.added.map((entry: any) => entry.text)).toEqual(["Writes British spelling (colour, flavour)."]);
    expect(merged.body.added[0].sourceRunId).toBe(run.id);
    const texts = merged.body.items.map((entry: any) => entry.text);
    expect(texts).toHaveLength(4);
    expect(new Set(texts).size).toBe(4);
  });

  test("a model failure answers 503, changes nothing, and the same work is read again next time", async () => {
    const canvas = await docCanvas(server, alice, "Some text to keep.");
    edits = { "Trim it": [{ tool: "replace", input: { find: "to keep", replace: "" } }] };
    await aiRun(server, alice, canvas.canvasId, "Trim it");
    reflection = [{ error: rateLimitError() }];
    const failed = await api(server, alice, "POST", `/api/workspaces/${canvas.workspaceId}/memory/reflect`);
    expect(failed.status).toBe(503);
    expect(failed.body.error.message).toMatch(/rate-limiting.*Memory is unchanged/);
    expect(JSON.stringify(failed.body)).not.toMatch(/sk-|api[_-]?key/i);
    const after = await api(server, alice, "GET", `/api/workspaces/${canvas.workspaceId}/memory`);
    expect(after.body).toEqual({ items: [], reflectedAt: null });

    reflection = [{ text: "not JSON at all" }];
    expect((await api(server, alice, "POST", `/api/workspaces/${canvas.workspaceId}/memory/reflect`)).status).toBe(503);

    reflection = [{ text: '{"style":["Trims filler."],"facts":[]}' }];
    const retried = await api(server, alice, "POST", `/api/workspaces/${canvas.workspaceId}/memory/reflect`);
    expect(retried.body.evidence.requests).toBe(1);
    expect(retried.body.added.map((entry: any) => entry.text)).toEqual(["Trims filler."]);
  });
});

describe("memory is per person", () => {
  test("people list, edit and delete only their own entries; another person's entry answers 404", async () => {
    const canvas = await docCanvas(server, alice, "Words.", [[bob, "viewer"]]);
    edits = {};
    await aiRun(server, alice, canvas.canvasId, "Look at it");
    reflection = [{ text: '{"style":["Likes lists."],"facts":["Works on billing."]}' }];
    const reflected = await api(server, alice, "POST", `/api/workspaces/${canvas.workspaceId}/memory/reflect`);
    const [first, second] = reflected.body.items;
    const path = `/api/workspaces/${canvas.workspaceId}/memory`;

    expect((await api(server, alice, "GET", path)).body.items).toHaveLength(2);
    expect((await api(server, bob, "GET", path)).body).toEqual({ items: [], reflectedAt: null });
    expect((await api(server, stranger, "GET", path)).status).toBe(404);
    expect((await api(server, null, "GET", path)).status).toBe(401);
    expect((await api(server, stranger, "POST", `${path}/reflect`)).status).toBe(404);

    for (const intruder of [bob, stranger]) {
      expect((await api(server, intruder, "PATCH", `/api/memory/${first.id}`, { text: "Hijacked" })).status).toBe(404);
      expect((await api(server, intruder, "DELETE", `/api/memory/${first.id}`)).status).toBe(404);
    }
    expect((await api(server, bob, "DELETE", path)).status).toBe(204); // clears Bob's (nothing), not Alice's
    expect((await api(server, alice, "GET", path)).body.items).toHaveLength(2);

    const patched = await api(server, alice, "PATCH", `/api/memory/${first.id}`, { text: "  Likes   numbered lists. " });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: first.id, text: "Likes numbered lists.", kind: first.kind });
    expect((await api(server, alice, "PATCH", `/api/memory/${first.id}`, { text: "   " })).status).toBe(400);
    expect((await api(server, alice, "PATCH", "/api/memory/nope", { text: "x" })).status).toBe(404);

    expect((await api(server, alice, "DELETE", `/api/memory/${second.id}`)).status).toBe(204);
    expect((await api(server, alice, "GET", path)).body.items.map((e: any) => e.text)).toEqual(["Likes numbered lists."]);
    expect((await api(server, alice, "DELETE", path)).status).toBe(204);
    expect((await api(server, alice, "GET", path)).body.items).toEqual([]);
  });

  test("what is remembered reaches the next prompt of that person only", async () => {
    const canvas = await docCanvas(server, alice, "Draft text here.", [[bob, "editor"]]);
    edits = {};
    await aiRun(server, alice, canvas.canvasId, "Warm up");
    reflection = [{ text: '{"style":["Prefers sentence-case headings."],"facts":["Leads the payments team."]}' }];
    expect((await api(server, alice, "POST", `/api/workspaces/${canvas.workspaceId}/memory/reflect`)).status).toBe(200);

    await aiRun(server, alice, canvas.canvasId, "Polish the draft");
    const aliceCall = models.model.calls.filter((call) => !isReflection(call)).at(-1)!;
    const system = systemText(aliceCall);
    expect(system).toContain("What you know about this person");
    expect(system).toContain("- Prefers sentence-case headings.");
    expect(system).toContain("- Leads the payments team.");
    // The provenance shows Alice what the model saw, her memory included.
    const run = (await api(server, alice, "GET", `/api/canvases/${canvas.canvasId}/ai/runs`)).body.items[0];
    expect(run.prompt.memory).toContain("Leads the payments team.");
    expect(run.prompt.system).not.toContain("payments");
    expect((await api(server, alice, "GET", `/api/ai/runs/${run.id}`)).body.prompt.memory).toContain("- Prefers sentence-case headings.");
    // Bob sees the canvas's runs, but not what the AI remembers about Alice — in the list or the run itself.
    const bobsList = (await api(server, bob, "GET", `/api/canvases/${canvas.canvasId}/ai/runs`)).body.items;
    const bobsView = (await api(server, bob, "GET", `/api/ai/runs/${run.id}`)).body;
    for (const seen of [bobsList.find((r: any) => r.id === run.id), bobsView]) {
      expect(JSON.stringify(seen)).not.toMatch(/payments|sentence-case|What you know about this person/);
      expect(seen.prompt).toMatchObject({ memoryWithheld: true, messages: run.prompt.messages });
      expect(seen.prompt.system).toBe(run.prompt.system);
    }

    await aiRun(server, bob, canvas.canvasId, "Polish the draft");
    const bobCall = models.model.calls.filter((call) => !isReflection(call)).at(-1)!;
    expect(systemText(bobCall)).not.toContain("What you know about this person");
    expect(systemText(bobCall)).not.toContain("payments");
  });
});

describe("the end of a session", () => {
  test("when the canvas unloads, each person who worked with the AI on it is reflected on — at most once per interval", async () => {
    const local = scriptedModels();
    let reflections = 0;
    local.use((call, step) => {
      if (isReflection(call)) {
        reflections++;
        return [{ text: `{"style":["Session rule ${reflections}."],"facts":[]}` }];
      }
      return step === 0 ? [{ tool: "replace", input: { find: "beta", replace: "BETA" } }] : [{ text: "Done." }];
    });
    const hooked = await startTestServer({ models: local, memory: { sessionQuietMs: 0, minIntervalMs: 60_000 } });
    try {
      const carol = await signUp(hooked, "carol@example.com");
      const dave = await signUp(hooked, "dave@example.com");
      const canvas = await docCanvas(hooked, carol, "alpha beta gamma", [[dave, "viewer"]]);
      const watcher = connect(hooked.url, canvas.canvasId, dave.token); // Dave only watches: no memory for him
      await synced(watcher.provider);
      const run = await aiRun(hooked, carol, canvas.canvasId, "Capitalise beta");
      expect(run.suggestions).toHaveLength(1);
      expect((await api(hooked, carol, "POST", `/api/canvases/${canvas.canvasId}/suggestions/${run.suggestions[0]!.id}/reject`, {})).status).toBe(200);
      await decisions(hooked, carol, run.id, 1);
      expect(reflections).toBe(0); // nothing while the session lasts

      watcher.destroy();
      canvas.destroy();
      await eventually(() => hooked.loadedDocumentCount() === 0, "the canvas to unload", 15_000);
      const path = `/api/workspaces/${canvas.workspaceId}/memory`;
      await eventually(async () => (await api(hooked, carol, "GET", path)).body.items.length === 1, "the session's reflection");
      expect((await api(hooked, carol, "GET", path)).body.items[0]).toMatchObject({ text: "Session rule 1.", sourceRunId: run.id });
      expect((await api(hooked, dave, "GET", path)).body.items).toEqual([]);
      expect(reflections).toBe(1);

      // A second session right after: its reflection waits for the interval (none within this test).
      const again = connect(hooked.url, canvas.canvasId, carol.token);
      await synced(again.provider);
      const second = await aiRun(hooked, carol, canvas.canvasId, "Capitalise beta again");
      await eventually(() => readSuggestions(again.document).some((s) => s.runId === second.id && s.status === "pending"), "the second suggestion");
      expect((await api(hooked, carol, "POST", `/api/canvases/${canvas.canvasId}/suggestions/${second.suggestions[0]!.id}/accept`, {})).status).toBe(200);
      await decisions(hooked, carol, second.id, 1);
      again.destroy();
      await eventually(() => hooked.loadedDocumentCount() === 0, "the canvas to unload again", 15_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(reflections).toBe(1);
    } finally {
      await hooked.close(); // cancels the waiting reflection
    }
    expect(reflections).toBe(1);
  });
});
