import { afterAll, beforeAll, expect, test } from "vitest";
import type { RunningServer } from "@cocanvas/server";
import { ManualClock } from "./fixtures/manual-clock.ts";
import { api, signUp, startTestServer, type TestUser } from "./helpers/server.ts";

// From 20 February to 2 April 2028: a leap day (29 Feb), two month ends, and clocks going
// forward in New York (12 March) and in Berlin (26 March).
const start = Date.parse("2028-02-20T00:00:00Z");
const end = Date.parse("2028-04-02T00:00:00Z");

let server: RunningServer;
let clock: ManualClock;
let alice: TestUser;
let workspaceId: string;

beforeAll(async () => {
  clock = new ManualClock(start);
  server = await startTestServer({ clock, schedulerPollSeconds: 0 });
  alice = await signUp(server, "alice@example.com");
  workspaceId = (await api(server, alice, "POST", "/api/workspaces", { name: "Clockwork" })).body.id;
});
afterAll(() => server.close());

async function reminder(name: string, schedule: { phrase: string } | { cron: string } | { at: string }, timeZone: string) {
  const created = await api(server, alice, "POST", `/api/workspaces/${workspaceId}/tasks`, { name, instruction: name, target: { kind: "reminder" }, schedule, timeZone });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string; nextRuns: string[] };
}

/** The local wall-clock time of each run, oldest first. */
async function localRunTimes(taskId: string, timeZone: string) {
  const runs = (await server.storage.tasks.listRuns(taskId, 10_000)).reverse();
  for (const run of runs) {
    expect(run.status).toBe("done");
    // The clock jumps to each due time exactly: a run starts when it is due.
    expect(run.startedAt).toBe(run.scheduledFor);
  }
  const format = new Intl.DateTimeFormat("sv-SE", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  return runs.map((run) => format.format(new Date(run.startedAt)));
}

test("a simulated month of schedules: DST in two zones, a leap day, month ends — each run once, at its local time", async () => {
  const morning = await reminder("New York mornings", { phrase: "every day at 9" }, "America/New_York");
  const gap = await reminder("New York 2:30", { phrase: "every day at 2:30" }, "America/New_York");
  const monthEnd = await reminder("Berlin month end", { phrase: "on the last day of each month at 17:00" }, "Europe/Berlin");
  const the29th = await reminder("Berlin 29th", { phrase: "on the 29th of each month at noon" }, "Europe/Berlin");
  const hourly = await reminder("Berlin hourly", { phrase: "every hour" }, "Europe/Berlin");
  const weekdays = await reminder("Berlin weekdays", { cron: "0 8 * * 1-5" }, "Europe/Berlin");
  const once = await reminder("Berlin once in the gap", { at: "2028-03-26T01:30:00Z" }, "Europe/Berlin");
  // The next five runs were shown before saving: New York's 9:00 is 14:00 UTC in winter.
  expect(morning.nextRuns).toEqual(["2028-02-20T14:00:00.000Z", "2028-02-21T14:00:00.000Z", "2028-02-22T14:00:00.000Z", "2028-02-23T14:00:00.000Z", "2028-02-24T14:00:00.000Z"]);

  const started = performance.now();
  await clock.advanceTo(end, () => server.scheduler.idle());
  expect(performance.now() - started).toBeLessThan(120_000);

  const days = 42; // 20 Feb – 1 Apr inclusive
  const mornings = await localRunTimes(morning.id, "America/New_York");
  expect(mornings).toHaveLength(days);
  expect(mornings.every((time) => time.endsWith(" 09:00"))).toBe(true);
  expect(mornings).toContain("2028-02-29 09:00");
  const utcHours = (await server.storage.tasks.listRuns(morning.id, 100)).map((run) => new Date(run.startedAt).getUTCHours());
  expect(new Set(utcHours)).toEqual(new Set([13, 14])); // EST then EDT

  // 2:30 does not exist in New York on 12 March: that day it runs once, at 3:00.
  const gapRuns = await localRunTimes(gap.id, "America/New_York");
  expect(gapRuns).toHaveLength(days);
  expect(gapRuns.filter((time) => time.startsWith("2028-03-12"))).toEqual(["2028-03-12 03:00"]);
  expect(gapRuns.filter((time) => !time.startsWith("2028-03-12")).every((time) => time.endsWith(" 02:30"))).toBe(true);

  expect(await localRunTimes(monthEnd.id, "Europe/Berlin")).toEqual(["2028-02-29 17:00", "2028-03-31 17:00"]);
  expect(await localRunTimes(the29th.id, "Europe/Berlin")).toEqual(["2028-02-29 12:00", "2028-03-29 12:00"]);

  // Every hour on the hour: one run per elapsed hour, 23 local hours on the day Berlin springs forward.
  const hours = await localRunTimes(hourly.id, "Europe/Berlin");
  expect(hours).toHaveLength((end - start) / 3_600_000);
  expect(hours.filter((time) => time.startsWith("2028-03-26"))).toHaveLength(23);
  expect(new Set(hours).size).toBe(hours.length);

  const weekdayRuns = await localRunTimes(weekdays.id, "Europe/Berlin");
  expect(weekdayRuns).toHaveLength(30);
  expect(weekdayRuns.map((time) => new Date(`${time.slice(0, 10)}T12:00:00Z`).getUTCDay()).every((day) => day >= 1 && day <= 5)).toBe(true);

  // A one-off runs once and is finished; nothing of it is left in the queue.
  expect(await localRunTimes(once.id, "Europe/Berlin")).toEqual(["2028-03-26 03:30"]);
  expect((await server.storage.tasks.getTask(once.id))?.status).toBe("finished");
  expect(await server.storage.jobs.getJob(once.id)).toBeNull();
});

test("after downtime a missed occurrence runs once (or is skipped), never as a burst", async () => {
  // Another server on its own data folder: ten hours pass while it is down.
  const downClock = new ManualClock(Date.parse("2028-06-01T00:00:00Z"));
  const dataDir = (await import("./helpers/server.ts")).temporaryDataDir();
  const first = await startTestServer({ clock: downClock, schedulerPollSeconds: 0, dataDir });
  const bob = await signUp(first, "bob@example.com");
  const workspace = (await api(first, bob, "POST", "/api/workspaces", { name: "Down" })).body.id;
  const make = async (name: string, missedPolicy: string) =>
    (await api(first, bob, "POST", `/api/workspaces/${workspace}/tasks`, { name, instruction: name, target: { kind: "reminder" }, schedule: { phrase: "every hour" }, timeZone: "UTC", missedPolicy })).body.id as string;
  const runOnce = await make("run once", "run-once");
  const skip = await make("skip", "skip");
  await downClock.advanceTo(Date.parse("2028-06-01T02:00:00Z"), () => first.scheduler.idle());
  await first.close();

  const laterClock = new ManualClock(Date.parse("2028-06-01T12:30:00Z"));
  const second = await startTestServer({ clock: laterClock, schedulerPollSeconds: 0, dataDir });
  await laterClock.advanceTo(Date.parse("2028-06-01T12:30:01Z"), () => second.scheduler.idle());
  const ran = await second.storage.tasks.listRuns(runOnce, 100);
  const skipped = await second.storage.tasks.listRuns(skip, 100);
  // Two on-time runs before the downtime, then exactly one for the ten missed hours.
  expect(ran.map((run) => run.status)).toEqual(["done", "done", "done"]);
  expect(ran[0]!.note).toMatch(/missed 10 time\(s\).*run once now/i);
  expect(skipped.map((run) => run.status)).toEqual(["skipped", "done", "done"]);
  expect(skipped[0]!.note).toMatch(/missed 10 time\(s\).*skipped/i);
  // Both continue on the hour.
  expect((await api(second, bob, "GET", `/api/tasks/${runOnce}`)).body.nextRunAt).toBe("2028-06-01T13:00:00.000Z");
  await second.close();
});
