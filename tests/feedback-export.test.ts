import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as Y from "yjs";
import { acceptSuggestion, readSuggestions, rejectSuggestion, suggestionDecisionOrigin, trackSuggestionDecisions, writeDocMarkdown } from "@cocanvas/content";
import type { RunningServer } from "@cocanvas/server";
import { lastUserText, scriptedModel, type Script } from "./fixtures/scripted-model.ts";
import { runCli } from "./helpers/child-server.ts";
import { api, connect, eventually, signUp, startTestServer, synced, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";
import { temporaryDir } from "./helpers/temporary.ts";

// Each instruction names the words to replace: "Replace alpha=A1 beta=B1".
const script: Script = (call, step) => {
  if (step > 0) return [{ text: "Done." }];
  const pairs = /Replace ((?:\S+=\S+ ?)+)/.exec(lastUserText(call))?.[1]?.trim().split(" ") ?? [];
  return pairs.map((pair) => {
    const [find, replace] = pair.split("=");
    return { tool: "replace", input: { find, replace } };
  });
};
const primary = scriptedModel(script, { modelId: "scripted-1" });
const secondary = scriptedModel(script, { modelId: "scripted-2" });
const models = {
  async resolve({ override }: { override?: string | null }) {
    const model = override === "scripted:scripted-2" ? secondary : primary;
    return { spec: `scripted:${model.modelId}`, provider: "scripted", modelId: model.modelId, model };
  },
};

let server: RunningServer;
let dataDir: string;
let admin: TestUser;
let member: TestUser;
const session = {} as { workspaceId: string; otherWorkspaceId: string; canvasId: string; runA: any; runB: any; runC: any };

async function aiRun(user: TestUser, canvasId: string, instruction: string, model?: string) {
  const started = await api(server, user, "POST", `/api/canvases/${canvasId}/ai/runs`, { instruction, ...(model ? { model } : {}) });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  await eventually(async () => (await api(server, user, "GET", `/api/ai/runs/${started.body.runId}`)).body.running === false, "the run to end");
  return (await api(server, user, "GET", `/api/ai/runs/${started.body.runId}`)).body;
}
const feedbackCount = async (runId: string) => (await api(server, admin, "GET", `/api/ai/runs/${runId}`)).body.feedback.length;
const idOf = (run: any, oldText: string) => run.suggestions.find((s: any) => s.oldText === oldText).id as string;

/** The export through the admin API, parsed. */
async function exported(query = "") {
  const response = await fetch(`${server.url}/api/admin/feedback/export${query}`, { headers: { authorization: `Bearer ${admin.token}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
  const text = await response.text();
  return text ? text.trimEnd().split("\n").map((line) => JSON.parse(line)) : [];
}
const summary = (records: any[]) =>
  records.map((record) =>
    record.type === "sft"
      ? ["sft", record.old_text, record.completion]
      : record.type === "preference"
        ? ["preference", record.old_text, record.chosen, record.rejected]
        : ["rating", record.rating, record.provenance.user_id === admin.id ? "admin" : "member"],
  );

beforeAll(async () => {
  server = await startTestServer({ models, memory: { sessionQuietMs: 600_000 } });
  dataDir = server.config.dataDir;
  admin = await signUp(server, "admin@example.com"); // the first account is the admin
  member = await signUp(server, "member@example.com");

  // A scripted session: one run with five suggestions, decided every way there is.
  // The member is a co-owner: choosing a run's model is for owners (decision 0016).
  const { workspaceId, canvasId } = await workspaceWithCanvas(server, admin, "doc", [[member, "owner"]]);
  Object.assign(session, { workspaceId, canvasId });
  const client = connect(server.url, canvasId, admin.token);
  await synced(client.provider);
  const doc = client.document;
  writeDocMarkdown(doc, "Alpha beta gamma delta epsilon zeta.");
  const undo = new Y.UndoManager(doc.getXmlFragment("content"));
  trackSuggestionDecisions(undo, doc);

  const runA = (session.runA = await aiRun(admin, canvasId, "Replace Alpha=A1 beta=B1 gamma=G1 delta=D1 epsilon=E1"));
  expect(runA.suggestions).toHaveLength(5);
  await eventually(() => readSuggestions(doc).filter((s) => s.status === "pending").length === 5, "the suggestions on the client");
  const base = `/api/canvases/${canvasId}/suggestions`;
  expect((await api(server, admin, "POST", `${base}/${idOf(runA, "Alpha")}/accept`, {})).status).toBe(200);
  expect((await api(server, member, "POST", `${base}/${idOf(runA, "beta")}/accept`, { editedText: "B-edit" })).status).toBe(200);
  expect((await api(server, admin, "POST", `${base}/${idOf(runA, "gamma")}/reject`, {})).status).toBe(200);
  await eventually(async () => (await feedbackCount(runA.id)) === 3, "three decisions");
  await eventually(() => readSuggestions(doc).filter((s) => s.status === "pending").length === 2, "the decisions on the client");
  // delta: accepted in the browser, then Ctrl+Z — the undo cancels the acceptance.
  const person = { id: admin.id, name: "Admin" };
  undo.stopCapturing();
  expect(acceptSuggestion(doc, idOf(runA, "delta"), person, { origin: suggestionDecisionOrigin })).toBe("accepted");
  undo.stopCapturing();
  await eventually(async () => (await feedbackCount(runA.id)) === 4, "the acceptance");
  undo.undo();
  await eventually(async () => (await feedbackCount(runA.id)) === 5, "the undo");
  // epsilon: rejected, undone, then accepted — only the latest decision counts.
  undo.stopCapturing();
  expect(rejectSuggestion(doc, idOf(runA, "epsilon"), person, { origin: suggestionDecisionOrigin })).toBe("rejected");
  undo.stopCapturing();
  await eventually(async () => (await feedbackCount(runA.id)) === 6, "the rejection");
  undo.undo();
  await eventually(async () => (await feedbackCount(runA.id)) === 7, "its undo");
  expect((await api(server, admin, "POST", `${base}/${idOf(runA, "epsilon")}/accept`, {})).status).toBe(200);
  await eventually(async () => (await feedbackCount(runA.id)) === 8, "the acceptance");
  // Thumbs: each person's latest counts.
  for (const [user, rating] of [[admin, "up"], [member, "up"], [admin, "down"]] as const) {
    expect((await api(server, user, "POST", `/api/ai/runs/${runA.id}/feedback`, { rating })).status).toBe(204);
  }

  // Another model: the member asks, then rejects.
  const runB = (session.runB = await aiRun(member, canvasId, "Replace zeta=Z", "scripted:scripted-2"));
  expect((await api(server, member, "POST", `${base}/${runB.suggestions[0].id}/reject`, {})).status).toBe(200);
  await eventually(async () => (await feedbackCount(runB.id)) === 1, "the rejection");
  client.destroy();

  // Another workspace: one accepted suggestion.
  const other = await workspaceWithCanvas(server, admin, "doc");
  session.otherWorkspaceId = other.workspaceId;
  const otherClient = connect(server.url, other.canvasId, admin.token);
  await synced(otherClient.provider);
  writeDocMarkdown(otherClient.document, "Other words.");
  await eventually(() => otherClient.provider.unsyncedChanges === 0, "the text");
  const runC = (session.runC = await aiRun(admin, other.canvasId, "Replace Other=O"));
  expect((await api(server, admin, "POST", `/api/canvases/${other.canvasId}/suggestions/${runC.suggestions[0].id}/accept`, {})).status).toBe(200);
  await eventually(async () => (await feedbackCount(runC.id)) === 1, "the acceptance");
  otherClient.destroy();
});
afterAll(() => server.close());

describe("the preference-data export", () => {
  test("records match the session: accepted → sft, edited → sft + preference, rejected → preference, undone → nothing, thumbs → ratings", async () => {
    const records = await exported();
    expect(summary(records)).toEqual([
      ["sft", "Alpha", "A1"],
      ["sft", "beta", "B-edit"],
      ["preference", "beta", "B-edit", "B1"],
      ["preference", "gamma", "gamma", "G1"],
      ["sft", "epsilon", "E1"],
      ["rating", "up", "member"],
      ["rating", "down", "admin"],
      ["preference", "zeta", "zeta", "Z"],
      ["sft", "Other", "O"],
    ]);
    expect(records.some((record) => record.old_text === "delta")).toBe(false); // accepted, then undone

    const edited = records.find((record) => record.type === "preference" && record.old_text === "beta");
    const { runA } = session;
    expect(edited).toMatchObject({ target: "doc", chosen: "B-edit", rejected: "B1" });
    expect(edited.provenance).toEqual({
      run_id: runA.id,
      suggestion_id: idOf(runA, "beta"),
      canvas_id: session.canvasId,
      workspace_id: session.workspaceId,
      agent: "Assistant",
      agent_id: runA.agentId ?? null,
      provider: "scripted",
      model: "scripted-1",
      user_id: member.id,
      requested_by: admin.id,
      decision: "edited",
      instruction: runA.instruction,
      quick_action: null,
      created_at: runA.suggestions.find((s: any) => s.oldText === "beta").createdAt,
      decided_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    // The prompt is what the model was sent.
    expect(edited.prompt).toEqual(runA.prompt);
    expect(edited.prompt.system.length).toBeGreaterThan(0);
    expect(JSON.stringify(edited.prompt.messages)).toContain("Replace Alpha=A1");

    const rating = records.find((record) => record.type === "rating");
    expect(rating.provenance).toMatchObject({ run_id: runA.id, suggestion_id: null, decision: "thumbs_up" });
    expect(rating.tool_calls).toHaveLength(5);
    expect(records.find((record) => record.old_text === "zeta").provenance).toMatchObject({ model: "scripted-2", user_id: member.id, requested_by: member.id, decision: "rejected" });
  });

  test("filters: workspace, model, agent and dates", async () => {
    const count = async (query: string) => (await exported(query)).length;
    expect(summary(await exported(`?workspaceId=${session.otherWorkspaceId}`))).toEqual([["sft", "Other", "O"]]);
    expect(await count(`?workspaceId=${session.workspaceId}`)).toBe(8);
    expect(summary(await exported("?model=scripted-2"))).toEqual([["preference", "zeta", "zeta", "Z"]]);
    expect(await count("?model=scripted:scripted-1")).toBe(8);
    expect(await count("?model=scripted:nope")).toBe(0);
    expect(await count("?agent=assistant")).toBe(9);
    expect(await count("?agent=Critic")).toBe(0);
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    expect(await count(`?from=${day(0)}&to=${day(0)}`)).toBe(9);
    expect(await count(`?from=${day(1)}`)).toBe(0);
    expect(await count(`?to=${day(-1)}`)).toBe(0);
    const [first, , , fourth] = await exported();
    // `to` as a timestamp is exclusive, `from` inclusive.
    expect(summary(await exported(`?from=${encodeURIComponent(first.provenance.decided_at)}&to=${encodeURIComponent(fourth.provenance.decided_at)}`))).toEqual([
      ["sft", "Alpha", "A1"],
      ["sft", "beta", "B-edit"],
      ["preference", "beta", "B-edit", "B1"],
    ]);
    const bad = await api(server, admin, "GET", "/api/admin/feedback/export?from=yesterday-ish");
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_request");
  });

  test("the API is for admins only", async () => {
    expect((await api(server, member, "GET", "/api/admin/feedback/export")).status).toBe(403);
    expect((await api(server, null, "GET", "/api/admin/feedback/export")).status).toBe(401);
  });

  test("cocanvas export feedback writes the same JSONL to standard output or to a file", async () => {
    const expected = await exported();
    await server.close();
    const toStdout = await runCli(["export", "feedback", "--data-dir", dataDir]);
    expect(toStdout.code, toStdout.stderr).toBe(0);
    expect(toStdout.stdout.trimEnd().split("\n").map((line) => JSON.parse(line))).toEqual(expected);

    const file = path.join(temporaryDir("export"), "feedback.jsonl");
    const toFile = await runCli(["export", "feedback", "--data-dir", dataDir, "--workspace", session.workspaceId, "--model", "scripted-1", "--out", file]);
    expect(toFile.code, toFile.stderr).toBe(0);
    expect(toFile.stdout).toBe("");
    expect(toFile.stderr).toContain(`Wrote 7 records to ${file}`);
    const lines = fs.readFileSync(file, "utf8").trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(lines).toEqual(expected.filter((record) => record.provenance.workspace_id === session.workspaceId && record.provenance.model === "scripted-1"));

  });
});
