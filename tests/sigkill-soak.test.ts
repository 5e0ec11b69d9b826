import { expect, test } from "vitest";
import { runSoak } from "../bench/soak/soak.ts";

// The bounded version of bench/soak (100 kills, docs/benchmarks.md): the compiled server is
// SIGKILLed 5 times while people type; nothing it acknowledged may be missing afterwards.
test("every acknowledged update survives 5 SIGKILLs and restarts while people type", async () => {
  const result = await runSoak({ kills: 5, people: 2, maxUptimeMs: 500 });
  expect(result.kills).toBe(5);
  // Each server process acknowledged each person at least once before it was killed.
  expect(result.acknowledged).toBeGreaterThanOrEqual(2 * 5);
  expect(result.lost).toBe(0);
  expect(result.garbled).toBe(0);
}, 240_000);
