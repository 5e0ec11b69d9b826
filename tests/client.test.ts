import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CocanvasClient, CocanvasError } from "@cocanvas/client";
import type { RunEvent } from "@cocanvas/protocol";
import type { RunningServer } from "@cocanvas/server";
import { scriptedModels, selectedText, systemText } from "./fixtures/scripted-model.ts";
import { signUp, startTestServer, type TestUser } from "./helpers/server.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// Streams slowly enough that a follower joins mid-run.
const models = scriptedModels({ tokensPerSecond: 200, charsPerToken: 4 });
let server: RunningServer;
let owner: TestUser;

beforeAll(async () => {
  server = await startTestServer({ models });
  owner = await signUp(server, "owner@example.com");
});
afterAll(() => server.close());

/** Runs a script in its own Node process, as a user would (`npx tsx file`). */
function runScript(file: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", file], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("@cocanvas/client", () => {
  test("the README's quick start runs: token, canvas, ask an agent by name on a quoted passage, follow the run, accept its suggestion", async () => {
    models.use((call, step) =>
      /You are Writer\./.test(systemText(call)) && step === 0 && selectedText(call) === "Teh quick brown fox"
        ? [{ text: "Fixing the typo." }, { tool: "replace", input: { find: "Teh", replace: "The" } }]
        : [{ text: "Done." }],
    );
    const { code, output } = await runScript("packages/client/examples/quick-start.ts", { COCANVAS_URL: server.url, COCANVAS_TOKEN: owner.token });
    expect(code, output).toBe(0);
    expect(output).toContain("Signed in as owner@example.com");
    expect(output).toContain("Fixing the typo.");
    expect(output).toContain("run done");
    expect(output.trim().split("\n").at(-1)).toBe("The quick brown fox jumps over the lazy dog.");
  }, 120_000);

  test("a late follower first gets the run's state so far, then the rest in order; a finished run answers its final state at once", async () => {
    const client = new CocanvasClient({ baseUrl: server.url, token: owner.token });
    const workspace = await client.createWorkspace("Follow");
    const canvas = await client.importCanvas(workspace.id, { kind: "doc", title: "T", markdown: "Alpha beta gamma." });
    const reply = "Reading it through, slowly, word by word, before changing one word.";
    models.use((_call, step) => (step === 0 ? [{ text: reply }, { tool: "replace", input: { find: "beta", replace: "BETA" } }] : [{ text: "" }]));
    const { runId } = await client.ask(canvas.id, { instruction: "Shout beta", selection: { start: 6, end: 10 } });

    const events: RunEvent[] = [];
    for await (const event of client.followRun(runId)) events.push(event);
    const [first, ...rest] = events;
    expect(first!.type).toBe("run-state");
    expect(rest.some((event) => event.type === "run-state")).toBe(false);
    expect(events.at(-1)).toEqual({ type: "run-status", status: "done", error: null });
    // However late the follower came, the state so far plus what followed is the whole run, nothing lost or repeated.
    const state = first as Extract<RunEvent, { type: "run-state" }>;
    const text = state.text + rest.flatMap((event) => (event.type === "text-delta" ? [event.delta] : [])).join("");
    expect(text).toBe(reply);
    const calls = [...state.toolCalls.map((call) => call.name), ...rest.flatMap((event) => (event.type === "tool-call-end" ? [event.name] : []))];
    expect(calls).toEqual(["replace"]);
    const started = [...state.suggestions.map((suggestion) => suggestion.id), ...rest.flatMap((event) => (event.type === "suggestion-start" ? [event.id] : []))];
    expect(started).toHaveLength(1);
    const types = rest.map((event) => event.type);
    if (types.includes("suggestion-start")) expect(types.indexOf("suggestion-start")).toBeLessThan(types.indexOf("suggestion-end"));
    expect(rest.filter((event) => event.type === "suggestion-end").concat(state.suggestions.filter((s) => s.status === "pending").map((s) => ({ type: "suggestion-end", id: s.id, status: s.status }) as const))).toEqual([
      { type: "suggestion-end", id: started[0], status: "pending" },
    ]);

    // Following again after the end: the final state, then the end.
    const again = await client.waitForRun(runId);
    expect(again).toMatchObject({ runId, status: "done", text: reply, suggestions: [{ status: "pending" }], error: null });
    expect(again.toolCalls.map((call) => call.name)).toEqual(["replace"]);
  }, 60_000);

  test("errors carry the server's status and code; a stranger cannot follow someone else's run", async () => {
    const client = new CocanvasClient({ baseUrl: server.url, token: owner.token });
    const workspace = await client.createWorkspace("Private");
    const canvas = await client.importCanvas(workspace.id, { kind: "doc", title: "T", markdown: "Secret text." });
    models.use(() => [{ text: "Ok." }]);
    const { runId } = await client.ask(canvas.id, { instruction: "Read" });
    await client.waitForRun(runId);

    const stranger = await signUp(server, "stranger@example.com");
    const theirs = new CocanvasClient({ baseUrl: server.url, token: stranger.token });
    const refused = await theirs.waitForRun(runId).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CocanvasError);
    expect(refused).toMatchObject({ status: 404, code: "not_found" });
    const badAgent = await client.ask(canvas.id, { agent: "Nobody", instruction: "x" }).catch((error: unknown) => error);
    expect(badAgent).toMatchObject({ status: 404, message: expect.stringContaining('"Nobody"') });
  });
});
