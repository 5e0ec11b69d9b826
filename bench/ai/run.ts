/**
 * What the co-editing runtime adds on top of the model's own stream: a scripted model
 * streams one long edit at 1,000 tokens/s, and we compare (a) consuming that stream raw
 * through the AI SDK with (b) the same stream going through Cocanvas — run start over
 * HTTP, suggestion written into the live Y.Doc token by token, synced to a client over
 * WebSocket — timed where a person would see it: in the client's copy of the document.
 *
 *   npx tsx bench/ai/run.ts [--rounds=5] [--tokens=2000] [--write]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { readSuggestions, writeDocMarkdown } from "@cocanvas/content";
import { startServer } from "@cocanvas/server";
import { streamText } from "ai";
import WebSocket from "ws";
import * as Y from "yjs";
import { scriptedModels, type ScriptItem } from "../../tests/fixtures/scripted-model.ts";
import { writeBenchmarksSection } from "../benchmarks-doc.ts";
import { machineInfo } from "../collab/report.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const args = new Map(process.argv.slice(2).map((arg) => arg.replace(/^--/, "").split("=") as [string, string]));
const rounds = Number(args.get("rounds") ?? 5);
const tokens = Number(args.get("tokens") ?? 2000);
const charsPerToken = 4;
const target = "Replace me.";
const replacement = "x".repeat(tokens * charsPerToken - 30);
const script: ScriptItem[][] = [[{ tool: "replace", input: { find: target, replace: replacement } }]];

interface Sample {
  firstMs: number;
  totalMs: number;
  cpuMs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

/** (a) The raw provider stream through the AI SDK: when the first and last argument bytes arrive. */
async function rawStream(tokensPerSecond: number): Promise<Sample> {
  const models = scriptedModels({ tokensPerSecond, charsPerToken });
  models.use(script);
  const cpu = process.cpuUsage();
  const started = performance.now();
  let firstMs = -1;
  const result = streamText({ model: models.model, prompt: "bench", tools: {} });
  for await (const part of result.fullStream) if (part.type === "tool-input-delta" && firstMs < 0) firstMs = performance.now() - started;
  return { firstMs, totalMs: performance.now() - started, cpuMs: cpuMs(process.cpuUsage(cpu)) };
}

/** (b) Through Cocanvas, timed at a connected client's copy of the document. */
async function throughCocanvas(tokensPerSecond: number): Promise<Sample> {
  const models = scriptedModels({ tokensPerSecond, charsPerToken });
  models.use(script);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cocanvas-bench-ai-"));
  const server = await startServer({ port: 0, dataDir, logLevel: "silent", webDir: null, models });
  try {
    const post = async (route: string, body: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(server.url + route, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
      return { response, body: (await response.json()) as any };
    };
    const signup = await post("/api/auth/signup", { email: "bench@example.com", password: "correct horse battery" });
    const cookie = signup.response.headers.getSetCookie().map((value) => value.split(";")[0]).join("; ");
    const token = (await post("/api/tokens", { name: "bench" }, { cookie, "x-csrf-token": signup.body.csrfToken })).body.token as string;
    const auth = { authorization: `Bearer ${token}` };
    const workspace = (await post("/api/workspaces", { name: "Bench" }, auth)).body.id as string;
    const canvas = (await post(`/api/workspaces/${workspace}/canvases`, { title: "Bench", kind: "doc" }, auth)).body.id as string;

    const doc = new Y.Doc();
    const socket = new HocuspocusProviderWebsocket({ url: server.url.replace(/^http/, "ws") + "/collab", WebSocketPolyfill: WebSocket as any });
    const provider = new HocuspocusProvider({ websocketProvider: socket, name: canvas, token, document: doc });
    provider.attach();
    await new Promise<void>((resolve) => provider.on("synced", () => resolve()));
    writeDocMarkdown(doc, target);

    let firstMs = -1;
    let totalMs = -1;
    let started = 0;
    const done = new Promise<void>((resolve) => {
      doc.on("update", () => {
        const length = readSuggestions(doc)[0]?.newText.length ?? 0;
        if (length > 0 && firstMs < 0) firstMs = performance.now() - started;
        if (length === replacement.length && totalMs < 0) {
          totalMs = performance.now() - started;
          resolve();
        }
      });
    });
    const cpu = process.cpuUsage();
    started = performance.now();
    await post(`/api/canvases/${canvas}/ai/runs`, { instruction: "bench" }, auth);
    await done;
    const sample = { firstMs, totalMs, cpuMs: cpuMs(process.cpuUsage(cpu)) };
    provider.destroy();
    socket.destroy();
    return sample;
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measure(tokensPerSecond: number) {
  const raw: Sample[] = [];
  const cocanvas: Sample[] = [];
  await throughCocanvas(tokensPerSecond); // warm-up: module loading, JIT
  for (let round = 0; round < rounds; round++) {
    raw.push(await rawStream(tokensPerSecond));
    cocanvas.push(await throughCocanvas(tokensPerSecond));
    process.stderr.write(`  ${tokensPerSecond || "unpaced"} tok/s: round ${round + 1}/${rounds}\r`);
  }
  process.stderr.write("\n");
  const pick = (samples: Sample[], key: keyof Sample) => median(samples.map((sample) => sample[key]));
  return {
    rawFirst: pick(raw, "firstMs"),
    rawTotal: pick(raw, "totalMs"),
    rawCpu: pick(raw, "cpuMs"),
    first: pick(cocanvas, "firstMs"),
    total: pick(cocanvas, "totalMs"),
    cpu: pick(cocanvas, "cpuMs"),
  };
}

const paced = await measure(1000);
const unpaced = await measure(0);
const addedFirst = paced.first - paced.rawFirst;
const addedPerToken = (paced.total - paced.rawTotal) / tokens;
const cpuPerToken = ((paced.cpu - paced.rawCpu) * 1000) / tokens;
const f = (value: number, digits = 1) => value.toFixed(digits);
const machine = machineInfo();
const markdown = [
  `Run ${new Date().toISOString()} · \`npx tsx bench/ai/run.ts --rounds=${rounds} --tokens=${tokens}\``,
  "",
  `Machine: ${machine.nproc} CPUs (\`nproc\`), ${machine.cpu}, ${machine.ramGb} GB RAM, Node ${machine.node}; server and client in one process over loopback. One edit of ${tokens} tokens (${charsPerToken} characters each) from a scripted model; medians of ${rounds} rounds.`,
  "",
  "| stream | first token ms | last token ms | CPU ms (whole process) |",
  "| --- | --- | --- | --- |",
  `| raw provider stream through the AI SDK, 1,000 tok/s | ${f(paced.rawFirst)} | ${f(paced.rawTotal)} | ${f(paced.rawCpu)} |`,
  `| through Cocanvas to a client's document, 1,000 tok/s | ${f(paced.first)} | ${f(paced.total)} | ${f(paced.cpu)} |`,
  `| raw, unpaced | ${f(unpaced.rawFirst)} | ${f(unpaced.rawTotal)} | ${f(unpaced.rawCpu)} |`,
  `| through Cocanvas, unpaced | ${f(unpaced.first)} | ${f(unpaced.total)} | ${f(unpaced.cpu)} |`,
  "",
  "First token through Cocanvas includes the HTTP request that starts the run, loading the document, the prompt and the run's record. Unpaced, the client shares the process with a server that never has to wait for the model, so it sees the first token only once the server yields: that row measures throughput, not latency.",
  `Unpaced, Cocanvas carries ${f((tokens * 1000) / unpaced.total, 0)} tokens/s into a client's document (raw stream: ${f((tokens * 1000) / unpaced.rawTotal, 0)} tokens/s).`,
  "",
  "#### Targets",
  "",
  `- Server adds under 1 ms per streamed token (1,000 tok/s): ${f(addedPerToken, 3)} ms of wall time per token; ${f(cpuPerToken, 0)} µs of CPU per token (server and client together) → **${addedPerToken < 1 && cpuPerToken < 1000 ? "met" : "missed"}**`,
  `- Server adds under 20 ms to the first visible token: ${f(addedFirst)} ms → **${addedFirst < 20 ? "met" : "missed"}**`,
].join("\n");
console.log(markdown);
if (args.has("write")) console.log(`\nwrote ${writeBenchmarksSection(repoRoot, "ai", "AI streaming (`npx tsx bench/ai/run.ts`)", markdown)}`);
