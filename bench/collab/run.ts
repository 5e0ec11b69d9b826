/**
 * Collaboration benchmark: Cocanvas's server against two anchors (stock Hocuspocus with
 * SQLite persistence, and the minimal y-websocket relay), each a separate process,
 * driven one after another by the same real clients.
 *
 *   npx tsx bench/collab/run.ts [--quick] [--targets=cocanvas,hocuspocus,relay] [--phases=many-docs-mixed,...] [--doc|--no-doc]
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
import { runProfile } from "./phases/profile.ts";
import { progress } from "./progress.ts";
import { machineInfo, renderMarkdown, writeBenchmarksDoc, writeJson, type RunReport, type TargetResult } from "./report.ts";
import { repoRoot, targetFactories } from "./targets.ts";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const targetsArg = args.find((a) => a.startsWith("--targets="))?.slice("--targets=".length);
const phasesArg = args.find((a) => a.startsWith("--phases="))?.slice("--phases=".length);
const phases = phasesArg ? new Set(phasesArg.split(",")) : null;
const runs = (phase: string) => phases === null || phases.has(phase);
const writeDoc = !phases && (args.includes("--doc") || (!quick && !args.includes("--no-doc")));

type TargetKey = keyof typeof targetFactories;
const wanted: TargetKey[] = targetsArg
  ? (targetsArg.split(",") as TargetKey[])
  : [...(cocanvasAvailable(repoRoot) ? (["cocanvas"] as const) : []), "hocuspocus", "relay"];
for (const key of wanted) if (!(key in targetFactories)) throw new Error(`unknown target ${key}`);
if (!targetsArg && !wanted.includes("cocanvas")) {
  process.stderr.write("Cocanvas's server (packages/server/bin/cocanvas.js) is not there yet: measuring the anchors only.\n");
}

const settings = settingsFor(quick);
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "cocanvas-bench-"));
const began = Date.now();
const elapsed = () => `${Math.round((Date.now() - began) / 1000)}s`;

async function measure(key: TargetKey): Promise<TargetResult> {
  const target = await targetFactories[key](workDir);
  const result: TargetResult = { key, label: target.label, errors: [], profiles: {} };
  const attempt = async (what: string, step: () => Promise<void>) => {
    try {
      await step();
    } catch (error) {
      progress.done();
      const message = (error as Error).stack ?? String(error);
      process.stderr.write(`[${target.label}] ${what} failed: ${message}\n`);
      result.errors.push(`${what}: ${(error as Error).message ?? error}`);
    }
  };
  for (const profile of settings.profiles.filter((candidate) => runs(candidate.key))) {
    await attempt(profile.key, async () => {
      result.profiles[profile.key] = await runProfile(target, profile, settings);
    });
  }
  if (runs("memory")) {
    await attempt("memory", async () => {
      result.memory = await runMemory(target, settings);
    });
  }
  if (target.persistent && runs("cold")) {
    await attempt("cold load", async () => {
      result.cold = await runColdLoad(target, settings);
    });
  }
  progress.done();
  process.stderr.write(`[${target.label}] done at ${elapsed()}\n`);
  return result;
}

const targets: TargetResult[] = [];
try {
  for (const key of wanted) targets.push(await measure(key));
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
