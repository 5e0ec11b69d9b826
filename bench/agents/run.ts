/**
 * One canvas, 4 people typing and 4 agents streaming suggestions at the same time: how
 * long an edit takes to reach everyone (p50/p99) and whether everything arrives.
 * People type 5 characters/s each into their own paragraph; each agent streams one long
 * suggestion at 100 tokens/s (4 characters per token) into another paragraph. Latency is
 * measured at each of the 4 people's clients: a keystroke from the moment it was typed,
 * an agent's token from the moment the model emitted it.
 *
 *   npx tsx bench/agents/run.ts [--seconds=20] [--write]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { readSuggestions, writeDocMarkdown } from "@cocanvas/content";
import { startServer } from "@cocanvas/server";
import WebSocket from "ws";
import * as Y from "yjs";
import { scriptedModel, systemText } from "../../tests/fixtures/scripted-model.ts";
import { writeBenchmarksSection } from "../benchmarks-doc.ts";
import { machineInfo } from "../collab/report.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const args = new Map(process.argv.slice(2).map((arg) => arg.replace(/^--/, "").split("=") as [string, string]));
const seconds = Number(args.get("seconds") ?? 20);
const people = 4;
const agents = ["Writer", "Editor", "Coder", "Analyst"] as const;
const typingPerSecond = 5;
const tokensPerSecond = 100;
const charsPerToken = 4;
const agentChars = Math.floor(seconds * 0.8 * tokensPerSecond * charsPerToken);

// The model streams `{"find":"<target>","replace":"xxxx…"}`; token k carries characters [4k, 4k+4).
const emitted = new Map<string, number[]>(); // agent → time each token was emitted
const targets = agents.map((name) => `Target of ${name}.`);
const prefixOf = (agent: number) => JSON.stringify({ find: targets[agent], replace: "" }).length - 2;
const model = scriptedModel(
  (call, step) => {
    if (step > 0) return [{ text: "Done." }];
    const name = /You are (\w+)\./.exec(systemText(call))?.[1] ?? "";
    const agent = agents.indexOf(name as (typeof agents)[number]);
    return agent < 0 ? [{ text: "?" }] : [{ tool: "replace", input: { find: targets[agent], replace: "y".repeat(agentChars) } }];
  },
  { tokensPerSecond, charsPerToken },
);
const doStream = model.doStream.bind(model);
model.doStream = async (call) => {
  const name = /You are (\w+)\./.exec(systemText(call))?.[1] ?? "";
  const times: number[] = [];
  emitted.set(name, times);
  const result = await doStream(call);
  const stamp = new TransformStream({
    transform(part, controller) {
      if (part.type === "tool-input-delta") times.push(performance.now());
      controller.enqueue(part);
    },
  });
  return { ...result, stream: result.stream.pipeThrough(stamp) };
};
const models = { resolve: async () => ({ spec: "scripted:scripted-1", provider: "scripted", modelId: "scripted-1", model }) };

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cocanvas-bench-agents-"));
const server = await startServer({ port: 0, dataDir, logLevel: "silent", webDir: null, models });
const post = async (route: string, body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(server.url + route, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { response, body: (await response.json()) as any };
};
const tokens: string[] = [];
for (let i = 0; i < people; i++) {
  const signup = await post("/api/auth/signup", { email: `p${i}@example.com`, password: "correct horse battery" });
  const cookie = signup.response.headers.getSetCookie().map((value) => value.split(";")[0]).join("; ");
  tokens.push((await post("/api/tokens", { name: "bench" }, { cookie, "x-csrf-token": signup.body.csrfToken })).body.token);
}
const auth = { authorization: `Bearer ${tokens[0]}` };
const workspace = (await post("/api/workspaces", { name: "Bench" }, auth)).body.id as string;
for (let i = 1; i < people; i++) await post(`/api/workspaces/${workspace}/members`, { email: `p${i}@example.com`, role: "editor" }, auth);
const canvas = (await post(`/api/workspaces/${workspace}/canvases`, { title: "Bench", kind: "doc" }, auth)).body.id as string;

const clients = tokens.map((token) => {
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({ url: server.url.replace(/^http/, "ws") + "/collab", WebSocketPolyfill: WebSocket as any });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: canvas, token, document: doc });
  provider.attach();
  return { doc, provider, socket };
});
await Promise.all(clients.map((client) => new Promise<void>((resolve) => (client.provider.isSynced ? resolve() : client.provider.on("synced", () => resolve())))));
writeDocMarkdown(clients[0]!.doc, [...Array.from({ length: people }, (_, i) => `Person ${i}:`), ...targets].join("\n\n"));
await new Promise((resolve) => setTimeout(resolve, 500));

// Latency samples at every client: people's keystrokes and agents' tokens.
const typedAt: number[][] = Array.from({ length: people }, () => []);
const keystrokeLatencies: number[] = [];
const tokenLatencies: number[] = [];
let keystrokesSeen = 0;
let agentCharsSeen = 0;
const paragraphText = (doc: Y.Doc, index: number) => ((doc.getXmlFragment("content").get(index) as Y.XmlElement).get(0) as Y.XmlText);
for (const [clientIndex, client] of clients.entries()) {
  const seenKeys = new Array(people).fill(0);
  const seenAgent = new Map<string, number>();
  client.doc.on("update", () => {
    const now = performance.now();
    for (let person = 0; person < people; person++) {
      if (person === clientIndex) continue;
      const typed = paragraphText(client.doc, person).length - `Person ${person}:`.length;
      for (; seenKeys[person] < typed; seenKeys[person]++) {
        keystrokeLatencies.push(now - typedAt[person]![seenKeys[person]]!);
        keystrokesSeen++;
      }
    }
    for (const suggestion of readSuggestions(client.doc)) {
      const agent = agents.indexOf(suggestion.agent.name as (typeof agents)[number]);
      const times = emitted.get(suggestion.agent.name);
      if (agent < 0 || !times) continue;
      const before = seenAgent.get(suggestion.id) ?? 0;
      for (let char = before; char < suggestion.newText.length; char++) {
        const token = Math.floor((prefixOf(agent) + char) / charsPerToken);
        if (char % charsPerToken === 0 && times[token] !== undefined) tokenLatencies.push(now - times[token]!);
        agentCharsSeen++;
      }
      seenAgent.set(suggestion.id, suggestion.newText.length);
    }
  });
}

process.stderr.write(`typing and streaming for ${seconds} s…\n`);
for (const name of agents) await post(`/api/canvases/${canvas}/ai/runs`, { agentId: `builtin:${name.toLowerCase()}`, instruction: "bench" }, auth);
const started = performance.now();
const typers = clients.map((client, person) =>
  setInterval(() => {
    const text = paragraphText(client.doc, person);
    typedAt[person]!.push(performance.now());
    text.insert(text.length, "k");
  }, 1000 / typingPerSecond),
);
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
typers.forEach(clearInterval);
await new Promise((resolve) => setTimeout(resolve, 1500));
const elapsed = (performance.now() - started) / 1000;

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const typedTotal = typedAt.reduce((sum, list) => sum + list.length, 0);
const expectedKeystrokes = typedTotal * (people - 1);
const f = (value: number) => value.toFixed(1);
const machine = machineInfo();
const markdown = [
  `Run ${new Date().toISOString()} · \`npx tsx bench/agents/run.ts --seconds=${seconds}\``,
  "",
  `Machine: ${machine.nproc} CPUs (\`nproc\`), ${machine.cpu}, ${machine.ramGb} GB RAM, Node ${machine.node}; server and the 4 people's clients in one process over loopback, the agents' model scripted (${tokensPerSecond} tokens/s each, ${charsPerToken} characters per token). ${f(elapsed)} s.`,
  "",
  "| what travels | p50 ms | p99 ms | max ms | delivered / expected |",
  "| --- | --- | --- | --- | --- |",
  `| a person's keystroke → the 3 other people | ${f(pct(keystrokeLatencies, 50))} | ${f(pct(keystrokeLatencies, 99))} | ${f(pct(keystrokeLatencies, 100))} | ${keystrokesSeen} / ${expectedKeystrokes} |`,
  `| an agent's token (model emitted) → all 4 people | ${f(pct(tokenLatencies, 50))} | ${f(pct(tokenLatencies, 99))} | ${f(pct(tokenLatencies, 100))} | ${agentCharsSeen} / ${agents.length * agentChars * people} characters |`,
].join("\n");
console.log(markdown);
if (args.has("write")) console.log(`\nwrote ${writeBenchmarksSection(repoRoot, "agents", "4 people and 4 agents on one canvas (`npx tsx bench/agents/run.ts`)", markdown)}`);
for (const client of clients) {
  client.provider.destroy();
  client.socket.destroy();
}
await server.close();
fs.rmSync(dataDir, { recursive: true, force: true });
