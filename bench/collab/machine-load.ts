/**
 * CPU used on this machine by processes other than the benchmark's own (coordinator,
 * clients, servers): the benchmark shares its 2 cores with whatever else runs, so each
 * measured window reports it, and phases wait for a quiet machine before they start.
 */
import fs from "node:fs";
import { treeUsage } from "./proc-stats.ts";
import { progress } from "./progress.ts";

const ticksPerSecond = 100;

export interface LoadSnapshot {
  at: number;
  busyMs: number;
  mineMs: number;
}

export function loadSnapshot(): LoadSnapshot {
  const fields = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal …
  const busyTicks = fields[0]! + fields[1]! + fields[2]! + fields[5]! + fields[6]! + fields[7]!;
  return { at: Date.now(), busyMs: (busyTicks * 1000) / ticksPerSecond, mineMs: treeUsage(process.pid).cpuMs };
}

/** CPU of other processes between two snapshots, in % of one core. */
export function otherCpuPercent(a: LoadSnapshot, b: LoadSnapshot): number {
  const wall = Math.max(1, b.at - a.at);
  return Math.max(0, (100 * (b.busyMs - a.busyMs - (b.mineMs - a.mineMs))) / wall);
}

/** Waits (up to `maxWaitMs`) until other processes use less than `maxPercent` of one core. */
export async function waitForQuiet(label: string, maxPercent = 20, maxWaitMs = 90_000): Promise<number> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const a = loadSnapshot();
    await new Promise((r) => setTimeout(r, 1000));
    const other = otherCpuPercent(a, loadSnapshot());
    if (other < maxPercent || Date.now() > deadline) return other;
    progress.set(`${label}: waiting for a quiet machine (other processes use ${other.toFixed(0)}% of a core)…`);
  }
}
