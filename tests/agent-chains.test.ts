import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { writeDocMarkdown } from "@cocanvas/content";
import type { RunningServer } from "@cocanvas/server";
import { scriptedModels, systemText, type ScriptItem } from "./fixtures/scripted-model.ts";
import { api, connect, eventually, signUp, startTestServer, synced, workspaceWithCanvas, type TestUser } from "./helpers/server.ts";

// The model answers "scripted-1" was asked for with a dated snapshot, as hosted providers do.
const models = scriptedModels({ responseModelId: "scripted-1-2026-11-30" });
let server: RunningServer;
let owner: TestUser;
const open: (() => void)[] = [];

beforeAll(async () => {
  server = await startTestServer({ models, chainMaxRuns: 5 });
  owner = await signUp(server, "owner@example.com");
});
afterAll(() => server.close());
afterEach(() => {
  while (open.length) open.pop()!();
});

/** Scripts per agent, chosen by the name in the system prompt ("You are Writer."). */
function byAgent(scripts: Record<string, (step: number) => ScriptItem[]>) {
  models.use((call, step) => scripts[/You are (\w+)\./.exec(systemText(call))?.[1] ?? ""]?.(step) ?? [{ text: "Done." }]);
}

async function docCanvas(markdown: string) {
  const { workspaceId, canvasId } = await workspaceWithCanvas(server, owner);
  const client = connect(server.url, canvasId, owner.token);
  open.push(client.destroy);
  await synced(client.provider);
  writeDocMarkdown(client.document, markdown);
  return { workspaceId, canvasId, doc: client.document };
}

const get = async (route: string) => (await api(server, owner, "GET", route)).body;
const chatText = (doc: import("yjs").Doc) => JSON.stringify(doc.getArray("chat").toJSON());

describe("a chain of hand-offs shares one budget", () => {
  test("a model that hands off three times on every turn is held to the chain's runs; the chat says why; the activity log shows the chain", async () => {
    const { canvasId, doc } = await docCanvas("Some text.");
    // Unbounded without a chain budget: 3 hand-offs × 8 turns per run, two levels deep, would be ~600 runs.
    const handOffAgain = (to: string) => () =>
      [1, 2, 3].map((n): ScriptItem => ({ tool: "handoff", input: { agent: to, instruction: `Part ${n}` } }));
    byAgent({ Assistant: handOffAgain("Writer"), Writer: handOffAgain("Assistant") });

    const first = await api(server, owner, "POST", `/api/canvases/${canvasId}/ai/runs`, { instruction: "Go" });
    expect(first.status).toBe(201);
    await eventually(async () => (await get(`/api/ai/runs/${first.body.runId}`)).running === false, "the first run to end", 60_000);
    await eventually(async () => (await get(`/api/canvases/${canvasId}/activity`)).running.length === 0, "every run of the chain to end", 60_000);

    const runs = (await get(`/api/canvases/${canvasId}/ai/runs`)).items;
    expect(runs).toHaveLength(5);
    expect(runs.every((run: any) => run.chainId === first.body.runId)).toBe(true);
    // Past the budget, hand-offs are refused with the reason, and the model is told to finish itself.
    const refused = runs.flatMap((run: any) => run.toolCalls).filter((call: any) => call.name === "handoff" && /budget of 5 runs/.test(call.result));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0].result).toMatch(/finish the work yourself/i);
    expect(chatText(doc)).toMatch(/This chain of agents \(started by run \w+\) reached its budget of 5 runs/);

    const activity = (await get(`/api/canvases/${canvasId}/activity`)).items;
    expect(activity.some((entry: any) => entry.action === "chain-budget")).toBe(true);
    const started = activity.filter((entry: any) => entry.action === "started");
    expect(started).toHaveLength(5);
    for (const entry of started) {
      const run = runs.find((candidate: any) => candidate.id === entry.runId);
      expect(entry).toMatchObject({ chainId: first.body.runId, parentRunId: run.parentRunId, depth: run.depth });
    }
    expect(started.filter((entry: any) => entry.parentRunId === null).map((entry: any) => entry.runId)).toEqual([first.body.runId]);
  }, 90_000);

  test("an agent's own chain budget of tokens stops every run of its chain, the one it handed to included", async () => {
    const { workspaceId, canvasId, doc } = await docCanvas("Some text.");
    const lead = await api(server, owner, "POST", `/api/workspaces/${workspaceId}/agents`, { name: "Lead", persona: "writer", tools: ["edit", "handoff"], chainMaxTokens: 500 });
    expect(lead.status).toBe(201);
    expect(lead.body).toMatchObject({ chainMaxTokens: 500, chainMaxRuns: null, chainMaxSeconds: null });
    byAgent({
      Lead: (step) => (step === 0 ? [{ tool: "handoff", input: { agent: "Writer", instruction: "Draft it" } }] : [{ text: "More." }]),
      // The helper would work until stopped: only the chain's budget ends it.
      Writer: () => [{ hang: true }],
    });
    const first = await api(server, owner, "POST", `/api/canvases/${canvasId}/ai/runs`, { agent: "Lead", instruction: "Go" });
    expect(first.status).toBe(201);
    await eventually(async () => (await get(`/api/canvases/${canvasId}/activity`)).running.length === 0 && (await get(`/api/canvases/${canvasId}/ai/runs`)).items.length === 2, "both runs to end", 30_000);
    const runs = (await get(`/api/canvases/${canvasId}/ai/runs`)).items;
    expect(runs.map((run: any) => [run.agent, run.status]).sort()).toEqual([
      ["Lead", "stopped"],
      ["Writer", "stopped"],
    ]);
    await eventually(() => /reached its budget of 500 tokens\. Writer stopped/.test(chatText(doc)), "the chain note on the helper's reply");
    expect(chatText(doc)).toMatch(/reached its budget of 500 tokens\. Lead stopped/);
  }, 60_000);
});

describe("provenance", () => {
  test("a run records the model asked for and the model that answered, as the provider reported it", async () => {
    const { canvasId } = await docCanvas("Some text.");
    byAgent({ Assistant: () => [{ text: "Fine." }] });
    const started = await api(server, owner, "POST", `/api/canvases/${canvasId}/ai/runs`, { instruction: "Check" });
    await eventually(async () => (await get(`/api/ai/runs/${started.body.runId}`)).running === false, "the run to end");
    expect(await get(`/api/ai/runs/${started.body.runId}`)).toMatchObject({ provider: "scripted", model: "scripted-1", responseModel: "scripted-1-2026-11-30" });
  });
});
