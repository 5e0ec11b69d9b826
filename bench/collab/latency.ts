/**
 * Joins send logs and receipt logs by (clientID, clock): an update of client C ending at
 * clock E reached a receiver when that receiver first integrated C's structs up to ≥ E.
 */
import type { ClientSpec, RunResult } from "./protocol.ts";

export interface LatencyStats {
  updates: number;
  expected: number;
  delivered: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const debugPairs: [number, number][] = [];

export function computeLatency(specs: ClientSpec[], results: RunResult[]): LatencyStats {
  const byClientID = new Map(specs.map((s) => [s.clientID, s]));
  const byDoc = new Map<string, ClientSpec[]>();
  for (const spec of specs) byDoc.set(spec.doc, [...(byDoc.get(spec.doc) ?? []), spec]);
  const receipts = new Map<string, { clocks: Float64Array; times: Float64Array }>();
  for (const result of results) for (const r of result.receipts) receipts.set(`${r.receiver}:${r.sender}`, r);

  const latencies: number[] = [];
  let updates = 0;
  let expected = 0;
  for (const result of results) {
    for (const { client, ends, times } of result.sends) {
      const sender = byClientID.get(client)!;
      updates += ends.length;
      for (const receiver of byDoc.get(sender.doc) ?? []) {
        if (receiver.id === sender.id) continue;
        expected += ends.length;
        const log = receipts.get(`${receiver.id}:${client}`);
        if (!log) continue;
        let j = 0;
        for (let i = 0; i < ends.length; i++) {
          while (j < log.clocks.length && log.clocks[j]! < ends[i]!) j++;
          if (j === log.clocks.length) break;
          latencies.push(log.times[j]! - times[i]!);
          if (process.env.BENCH_DEBUG) debugPairs.push([times[i]!, log.times[j]! - times[i]!]);
        }
      }
    }
  }
  const sorted = Float64Array.from(latencies).sort();
  return {
    updates,
    expected,
    delivered: sorted.length,
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}
