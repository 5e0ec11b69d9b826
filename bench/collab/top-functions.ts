/**
 * Where a server's CPU went: reads V8 CPU profiles (from `run.ts --profile=DIR`) and prints
 * the functions and the packages with the most self time.
 *
 *   npx tsx bench/collab/top-functions.ts DIR/cocanvas [--top=30]
 */
import fs from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [target, ...rest] = process.argv.slice(2);
if (!target) throw new Error("usage: top-functions.ts <profile file or directory> [--top=N]");
const top = Number(rest.find((a) => a.startsWith("--top="))?.slice(6) ?? 30);
const files = fs.statSync(target).isDirectory()
  ? fs.readdirSync(target).filter((f) => f.endsWith(".cpuprofile")).map((f) => path.join(target, f))
  : [target];
// Each thread writes a profile; the server's main thread is the one that was busiest.
const busyMicros = (p: CpuProfile) => {
  const idle = new Set(p.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
  return p.samples.reduce((sum, id, i) => sum + (idle.has(id) ? 0 : (p.timeDeltas[i] ?? 0)), 0);
};
const profiles = files.map((file) => JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile);
const profile = profiles.sort((a, b) => busyMicros(b) - busyMicros(a))[0];
if (!profile) throw new Error(`no .cpuprofile in ${target}`);

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMicros = new Map<number, number>();
profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

const packageOf = (url: string) => {
  if (!url) return "(native / V8)";
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1]!;
  if (url.startsWith("node:")) return "node core";
  const own = /packages\/([^/]+)\//.exec(url);
  return own ? `@cocanvas/${own[1]}` : url;
};
const functions = new Map<string, number>();
const packages = new Map<string, number>();
let total = 0;
for (const [id, micros] of selfMicros) {
  if (byId.get(id)!.callFrame.functionName === "(idle)") continue;
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const key = `${functionName || "(anonymous)"}  ${url ? `${url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*packages\//, "")}:${lineNumber + 1}` : ""}`;
  functions.set(key, (functions.get(key) ?? 0) + micros);
  packages.set(packageOf(url), (packages.get(packageOf(url)) ?? 0) + micros);
  total += micros;
}
const print = (title: string, rows: Map<string, number>, limit: number) => {
  process.stdout.write(`\n${title}\n`);
  for (const [key, micros] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    process.stdout.write(`${((micros / total) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${key}\n`);
  }
};
process.stdout.write(`${(total / 1e6).toFixed(1)} s sampled\n`);
print("by package", packages, 20);
print("by function (self time)", functions, top);
