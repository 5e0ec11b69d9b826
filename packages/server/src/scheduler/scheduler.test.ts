import Database from "better-sqlite3";
import { expect, test } from "vitest";
import { ManualClock } from "../../../../tests/fixtures/manual-clock.ts";
import { createLogger } from "../logger.ts";
import { SqliteJobStore } from "../storage/sqlite-job-store.ts";
import { migrate } from "../storage/sqlite-storage.ts";
import { Scheduler } from "./scheduler.ts";

/** Waits (polling) until `condition` holds; fails after 10 s. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function setup(options: { concurrency: number; groupConcurrency: number }) {
  const db = new Database(":memory:");
  migrate(db);
  const store = new SqliteJobStore(db);
  const clock = new ManualClock(Date.parse("2027-01-01T00:00:00Z"));
  const scheduler = new Scheduler({ store, clock, logger: createLogger("silent"), ...options });
  return { store, clock, scheduler };
}

test("jobs due together run within the server's and each group's limit, each once, and the rest follow as slots free", async () => {
  const { store, clock, scheduler } = setup({ concurrency: 3, groupConcurrency: 2 });
  const running = new Set<string>();
  const started: string[] = [];
  const release = new Map<string, () => void>();
  let mostAtOnce = 0;
  let mostInA = 0;
  scheduler.handle("work", {
    run: async (job) => {
      expect(running.has(job.id)).toBe(false); // never twice at once
      running.add(job.id);
      started.push(job.id);
      mostAtOnce = Math.max(mostAtOnce, running.size);
      mostInA = Math.max(mostInA, [...running].filter((id) => id.startsWith("a")).length);
      await new Promise<void>((resolve) => release.set(job.id, resolve));
      running.delete(job.id);
      return null;
    },
  });
  const due = clock.now() + 1000;
  for (const id of ["a1", "a2", "a3", "a4", "b1", "b2"]) await store.putJob({ id, kind: "work", groupKey: id[0]!, dueAt: due });
  await scheduler.start();
  await clock.advanceTo(due, async () => {});
  await until(() => running.size === 3);
  expect([...running].filter((id) => id.startsWith("a"))).toHaveLength(2);

  // Let everything finish, one at a time.
  while (started.length < 6 || running.size) {
    const [id] = [...running];
    release.get(id!)!();
    await until(() => !running.has(id!) && (running.size > 0 || started.length === 6));
  }
  await scheduler.idle();
  expect(started.sort()).toEqual(["a1", "a2", "a3", "a4", "b1", "b2"]);
  expect(mostAtOnce).toBe(3);
  expect(mostInA).toBe(2);
  expect(await store.countJobs()).toBe(0);
  await scheduler.stop();
});

test("one timer for the earliest job, re-armed when an earlier one arrives; a held job is not claimed again until its lease ends", async () => {
  const { store, clock, scheduler } = setup({ concurrency: 4, groupConcurrency: 4 });
  scheduler.handle("work", { run: async () => ({ dueAt: clock.now() + 3_600_000 }) });
  await store.putJob({ id: "late", kind: "work", groupKey: "g", dueAt: clock.now() + 60_000 });
  await scheduler.start();
  await scheduler.idle();
  expect(scheduler.nextWake).toBe(clock.now() + 60_000);
  await store.putJob({ id: "early", kind: "work", groupKey: "g", dueAt: clock.now() + 5_000 });
  scheduler.wake();
  await scheduler.idle();
  expect(scheduler.nextWake).toBe(clock.now() + 5_000);

  // A job another scheduler holds (lease until +30 s) waits for the lease to end.
  const held = await store.claimDue(clock.now() + 60_000, 10, [], "someone-else", clock.now() + 90_000);
  expect(held.map((job) => job.id).sort()).toEqual(["early", "late"]);
  scheduler.wake();
  await scheduler.idle();
  expect(scheduler.nextWake).toBe(clock.now() + 90_000);
  await scheduler.stop();
});
