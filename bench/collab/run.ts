/**
 * Collaboration benchmark: Cocanvas's server against two anchors (stock Hocuspocus with
 * SQLite persistence, and the minimal y-websocket relay), each a separate process,
 * driven one after another by the same real clients.
 *
 *   npx tsx bench/collab/run.ts [--quick] [--rounds=N] [--targets=cocanvas,hocuspocus,relay] [--phases=many-docs-mixed,...] [--doc|--no-doc] [--profile=DIR] [--compare=DIR]
 *
 * Phases: one-doc-50-typists, many-docs-mixed, memory, cold (default: all).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cocanvasAvailable } from "./cocanvas.ts";
import { settingsFor } from "./config.ts";
import { runColdLoad } from "./phases/cold-load.ts";
import { runMemory } from "./phases/memory.ts";
import { runProfile, type ProfileResult } from "./phases/profile.ts";
import { progress } from "./progress.ts";
import { machineInfo, renderMarkdown, writeBenchmarksDoc, writeJson, type RunReport, type TargetResult } from "./report.ts";
import { repoRoot, targetFactories, type Target } from "./targets.ts";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const targetsArg = args.find((a) => a.startsWith("--targets="))?.slice("--targets=".length);
const phasesArg = args.find((a) => a.startsWith("--phases="))?.slice("--phases=".length);
const phases = phasesArg ? new Set(phasesArg.split(",")) : null;
const runs = (phase: string) => phases === null || phases.has(phase);
const profileArg = args.find((a) => a.startsWith("--profile="))?.slice("--profile=".length);
if (profileArg) process.env.BENCH_PROFILE_DIR = path.resolve(profileArg);
const compareArg = args.find((a) => a.startsWith("--compare="))?.slice("--compare=".length);
if (compareArg) process.env.BENCH_COMPARE_DIR = path.resolve(compareArg);
const writeDoc = !phases && !profileArg && !compareArg && (args.includes("--doc") || (!quick && !args.includes("--no-doc")));

type TargetKey = keyof typeof targetFactories;
const wanted: TargetKey[] = targetsArg
  ? (targetsArg.split(",") as TargetKey[])
  : [...(cocanvasAvailable(repoRoot) ? (["cocanvas"] as const) : []), ...(compareArg ? (["compare"] as const) : []), "hocuspocus", "relay"];
for (const key of wanted) if (!(key in targetFactories)) throw new Error(`unknown target ${key}`);
if (!targetsArg && !wanted.includes("cocanvas")) {
  process.stderr.write("Cocanvas's server (packages/server/bin/cocanvas.js) is not there yet: measuring the anchors only.\n");
}

const settings = settingsFor(quick);
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "cocanvas-bench-"));
const began = Date.now();
const elapsed = () => `${Math.round((Date.now() - began) / 1000)}s`;

// Latency on a shared 2-core machine swings between runs by 2x or more, so each profile
// runs several rounds, the targets taking turns in a rotating order, and the round with the
// median p99 stands for each target (all rounds' p99 are kept).
const rounds = Number(args.find((a) => a.startsWith("--rounds="))?.slice("--rounds=".length) ?? (quick ? 1 : 3));

const targets: TargetResult[] = [];
try {
  const created = new Map<TargetKey, Target>();
  for (const key of wanted) created.set(key, await targetFactories[key](workDir));
  const results = new Map<TargetKey, TargetResult>(
    wanted.map((key) => [key, { key, label: created.get(key)!.label, errors: [], profiles: {} }]),
  );
  const attempt = async (key: TargetKey, what: string, step: () => Promise<void>) => {
    try {
      await step();
    } catch (error) {
      progress.done();
      process.stderr.write(`[${created.get(key)!.label}] ${what} failed: ${(error as Error).stack ?? error}\n`);
      results.get(key)!.errors.push(`${what}: ${(error as Error).message ?? error}`);
    }
  };
  for (const profile of settings.profiles.filter((candidate) => runs(candidate.key))) {
    const runsOf = new Map<TargetKey, ProfileResult[]>(wanted.map((key) => [key, []]));
    for (let round = 0; round < rounds; round++) {
      const order = wanted.map((_, index) => wanted[(index + round) % wanted.length]!);
      for (const key of order) {
        await attempt(key, `${profile.key} round ${round + 1}`, async () => {
          runsOf.get(key)!.push(await runProfile(created.get(key)!, profile, settings));
        });
      }
    }
    for (const [key, list] of runsOf) {
      if (list.length === 0) continue;
      const sorted = [...list].sort((a, b) => a.latency.p99Ms - b.latency.p99Ms);
      results.get(key)!.profiles[profile.key] = { ...sorted[Math.floor((sorted.length - 1) / 2)]!, roundsP99Ms: list.map((run) => run.latency.p99Ms) };
    }
  }
  for (const key of wanted) {
    const target = created.get(key)!;
    const result = results.get(key)!;
    if (runs("memory")) await attempt(key, "memory", async () => void (result.memory = await runMemory(target, settings)));
    if (target.persistent && runs("cold")) await attempt(key, "cold load", async () => void (result.cold = await runColdLoad(target, settings)));
    progress.done();
    process.stderr.write(`[${target.label}] done at ${elapsed()}\n`);
    targets.push(result);
  }
} finally {
  fs.rmSync(workDir, { recursive: true, force: true });
}

const report: RunReport = {
  date: new Date().toISOString(),
  machine: machineInfo(),
  command: `npx tsx bench/collab/run.ts${args.length ? ` ${args.join(" ")}` : ""}`,
  settings,
  targets,
};
const markdown = renderMarkdown(report);
process.stdout.write(`${markdown}\n`);
process.stderr.write(`raw results: ${path.relative(repoRoot, writeJson(repoRoot, report))}\n`);
if (writeDoc) process.stderr.write(`updated ${path.relative(repoRoot, writeBenchmarksDoc(repoRoot, markdown))}\n`);
process.stderr.write(`total ${elapsed()}\n`);
process.exit(targets.some((t) => t.errors.length) ? 1 : 0);
