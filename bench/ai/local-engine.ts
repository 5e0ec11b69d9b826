/**
 * Tokens/s of the embedded engine (node-llama-cpp, CPU) on the tiny generated test model,
 * through the same path the server uses (LocalEngine → LanguageModelV3 → streamText), with
 * the thread count Cocanvas picks against one thread per core and node-llama-cpp's own
 * default (max(4, cores)).
 * The tiny model (64-dim, 2 layers) measures the engine's per-token overhead and how badly
 * oversubscribed threads hurt, not a real model's speed.
 *
 *   npx tsx bench/ai/local-engine.ts [--rounds=3] [--tokens=400] [--seconds=10]
 *
 * Prints a markdown table on stdout; progress on stderr.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { streamText } from "ai";
import { getLlama } from "node-llama-cpp";
import { LocalEngine, localThreads } from "../../packages/server/src/models/local-engine.ts";
import { PlainChatWrapper } from "../../tests/fixtures/tiny-chat-wrapper.ts";
import { fileURLToPath } from "node:url";
import { writeTinyGguf } from "../../tests/fixtures/tiny-gguf.ts";
import { writeBenchmarksSection } from "../benchmarks-doc.ts";

const args = new Map(process.argv.slice(2).map((arg) => arg.replace(/^--/, "").split("=") as [string, string]));
const rounds = Number(args.get("rounds") ?? 3);
const tokens = Number(args.get("tokens") ?? 400);
const seconds = Number(args.get("seconds") ?? 10);

const file = writeTinyGguf(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cocanvas-bench-")), "tiny.gguf"));
const nodeLlamaDefault = (await getLlama({ gpu: false, build: "never" })).maxThreads;
const cores = os.availableParallelism();
const configs = [
  { label: `Cocanvas rule (${localThreads()} on ${cores} cores)`, threads: localThreads() },
  ...(cores !== localThreads() && cores !== nodeLlamaDefault ? [{ label: "one per core", threads: cores }] : []),
  ...(nodeLlamaDefault !== localThreads() ? [{ label: "node-llama-cpp default (max(4, cores))", threads: nodeLlamaDefault }] : []),
];

interface Round {
  tokensPerSecond: number;
  firstTokenMs: number;
  tokens: number;
}

async function round(engine: LocalEngine): Promise<Round> {
  const model = engine.languageModel(file, "tiny");
  const started = performance.now();
  let first = 0;
  let last = 0;
  let count = 0;
  // "0" starts a cycle that never ends: the run stops at --tokens or after --seconds.
  const result = streamText({ model, prompt: "0", maxOutputTokens: tokens, abortSignal: AbortSignal.timeout(seconds * 1000) });
  for await (const part of result.fullStream) {
    if (part.type !== "text-delta") continue;
    last = performance.now();
    if (count++ === 0) first = last;
  }
  return { tokensPerSecond: count > 1 ? ((count - 1) * 1000) / (last - first) : 0, firstTokenMs: first - started, tokens: count };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rows: string[] = [];
for (const config of configs) {
  const engine = new LocalEngine({ threads: config.threads, chatWrapper: new PlainChatWrapper(), contextSize: 2048, probe: false });
  await round(engine); // load and warm up
  const results: Round[] = [];
  for (let index = 0; index < rounds; index++) {
    results.push(await round(engine));
    const latest = results.at(-1)!;
    console.error(`${config.label}: round ${index + 1}/${rounds}: ${latest.tokens} tokens, ${latest.tokensPerSecond.toFixed(1)} tokens/s`);
  }
  await engine.close();
  rows.push(
    `| ${config.label} | ${config.threads} | ${median(results.map((result) => result.tokensPerSecond)).toFixed(1)} | ${results.map((result) => result.tokensPerSecond.toFixed(1)).join(", ")} | ${median(results.map((result) => result.firstTokenMs)).toFixed(0)} |`,
  );
}

const markdown = [
  `Run ${new Date().toISOString()} · \`npx tsx bench/ai/local-engine.ts\``,
  "",
  `Embedded engine on the tiny test model (${(fs.statSync(file).size / 1e6).toFixed(1)} MB, greedy), ${os.cpus()[0]?.model ?? "CPU"}, ${cores} cores, Node ${process.version}; ${rounds} rounds each.`,
  "",
  "| threads chosen by | threads | tokens/s (median) | each round | first token ms |",
  "|---|---|---|---|---|",
  ...rows,
].join("\n");
console.log(markdown);
if (process.argv.includes("--write")) {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  console.log(`\nwrote ${writeBenchmarksSection(repoRoot, "local-engine", "Embedded model engine (`npx tsx bench/ai/local-engine.ts`)", markdown)}`);
}
process.exit(0);
