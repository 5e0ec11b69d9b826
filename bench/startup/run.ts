/**
 * Start time and memory of `cocanvas serve`: the compiled CLI (dist/cocanvas.js) against
 * the same sources run through tsx (`--dev`), in one run, taking turns.
 *
 *   npm run build && npx tsx bench/startup/run.ts [--rounds=5] [--no-doc]
 *
 * Start time: from spawning `node packages/server/bin/cocanvas.js serve` to the line it
 * prints once listening. RSS (VmRSS) and threads at that moment and after 3 s idle; RSS
 * after two full garbage collections in a separate start with an inspector.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeBenchmarksSection } from "../benchmarks-doc.ts";
import { machineInfo } from "../collab/report.ts";
import { freePort, inspectable, ServerProcess } from "../collab/server-process.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const bin = path.join(repoRoot, "packages/server/bin/cocanvas.js");
const argument = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split("=")[1];
const rounds = Number(argument("rounds") ?? 5);
const writeDoc = !process.argv.includes("--no-doc");

if (!fs.existsSync(path.join(repoRoot, "packages/server/dist/cocanvas.js"))) {
  console.error("Build first: npm run build");
  process.exit(1);
}

const variants = [
  { name: "tsx (TypeScript at run time, `--dev`)", flags: ["--dev"] },
  { name: "compiled (`dist/cocanvas.js`)", flags: [] as string[] },
];
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "cocanvas-bench-startup-"));
process.on("exit", () => fs.rmSync(workDir, { recursive: true, force: true }));

function procStatus(pid: number) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? NaN);
  return { rssMb: field("VmRSS") / 1024, threads: field("Threads") };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One start: spawn → "serving at" line; RSS then and after 3 s idle; SIGTERM. */
async function measureStart(flags: string[], dataDir: string) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [bin, ...flags, "serve"], {
    env: { ...process.env, PORT: String(port), COCANVAS_DATA_DIR: dataDir, COCANVAS_LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const listening = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start in 60 s: ${output}`)), 60_000);
    child.stdout!.on("data", (chunk) => {
      output += chunk;
      if (output.includes("Cocanvas is serving at")) {
        clearTimeout(timer);
        resolve(performance.now() - started);
      }
    });
    child.stderr!.on("data", (chunk) => (output += chunk));
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
  const atStart = procStatus(child.pid!);
  if (!(await fetch(`http://127.0.0.1:${port}/api/health`)).ok) throw new Error("not healthy");
  await sleep(3000);
  const idle = procStatus(child.pid!);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
  return { startMs: listening, rssAtStartMb: atStart.rssMb, rssIdleMb: idle.rssMb, threads: idle.threads };
}

/** A start with an inspector: RSS after two full collections. */
async function measureAfterGc(flags: string[], dataDir: string) {
  const port = await freePort();
  const server = await ServerProcess.start({
    command: process.execPath,
    args: [bin, ...flags, "serve"],
    env: { ...inspectable, PORT: String(port), COCANVAS_DATA_DIR: dataDir, COCANVAS_LOG_LEVEL: "warn" },
    cwd: repoRoot,
    healthUrl: `http://127.0.0.1:${port}/api/health`,
    logFile: path.join(workDir, `gc-${flags.join("") || "compiled"}.log`),
  });
  await sleep(2000);
  await server.collectGarbage();
  await sleep(500);
  const after = procStatus(server.pid);
  await server.stop();
  return after.rssMb;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const results = variants.map((variant) => ({ ...variant, dataDir: path.join(workDir, variant.flags.join("") || "compiled"), runs: [] as Awaited<ReturnType<typeof measureStart>>[], rssAfterGcMb: 0 }));

// A first start per variant creates its data folder (migrations) and warms the disk cache.
for (const result of results) await measureStart(result.flags, result.dataDir);
for (let round = 0; round < rounds; round++) {
  for (const result of round % 2 ? [...results].reverse() : results) {
    result.runs.push(await measureStart(result.flags, result.dataDir));
    process.stderr.write(`\rround ${round + 1}/${rounds}: ${result.name.split(" ")[0]} ${result.runs.at(-1)!.startMs.toFixed(0)} ms   `);
  }
}
for (const result of results) result.rssAfterGcMb = await measureAfterGc(result.flags, result.dataDir);
process.stderr.write("\n");

const machine = machineInfo();
const rows = results.map((result) => {
  const pick = (key: "startMs" | "rssAtStartMb" | "rssIdleMb" | "threads") => median(result.runs.map((run) => run[key]));
  return `| ${result.name} | ${pick("startMs").toFixed(0)} (${result.runs.map((run) => run.startMs.toFixed(0)).join(", ")}) | ${pick("rssAtStartMb").toFixed(0)} | ${pick("rssIdleMb").toFixed(0)} | ${result.rssAfterGcMb.toFixed(0)} | ${pick("threads")} |`;
});
const markdown = [
  `Run ${new Date().toISOString()} · \`npx tsx bench/startup/run.ts --rounds=${rounds}\``,
  "",
  `Machine: ${machine.nproc} CPUs (\`nproc\`), ${machine.cpu}, ${machine.ramGb} GB RAM, Node ${machine.node}. \`cocanvas serve\` on an existing data folder, serving the built web app; medians of ${rounds} starts, the two taking turns.`,
  "",
  "| server run as | start → listening ms (each start) | RSS at listening MB | RSS after 3 s idle MB | RSS after full GC MB | threads |",
  "| --- | --- | --- | --- | --- | --- |",
  ...rows,
].join("\n");
console.log(markdown);
if (writeDoc) console.error(`wrote ${writeBenchmarksSection(repoRoot, "startup", "Server start (`npx tsx bench/startup/run.ts`)", markdown)}`);
