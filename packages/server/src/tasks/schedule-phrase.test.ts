import { expect, test } from "vitest";
import { resolveSchedule } from "./schedule.ts";

// Friday 4 December 2026, 16:00 in Paris (15:00 UTC).
const now = new Date("2026-12-04T15:00:00Z");
const timeZone = "Europe/Paris";
const read = (phrase: string) => resolveSchedule({ phrase }, { now, timeZone, minIntervalSeconds: 60 });

/** Recurring phrases and the cron expression each must become. */
const recurring: [string, string][] = [
  ["every weekday at 8", "0 8 * * 1-5"],
  ["Every weekday at 8.", "0 8 * * 1-5"],
  ["weekdays at 8:15", "15 8 * * 1-5"],
  ["every 2 hours", "0 */2 * * *"],
  ["every hour", "0 * * * *"],
  ["hourly", "0 * * * *"],
  ["every 15 minutes", "*/15 * * * *"],
  ["every minute", "* * * * *"],
  ["every 6 hours", "0 */6 * * *"],
  ["on the 1st of each month at 9:30", "30 9 1 * *"],
  ["on the 15th of every month at 8am", "0 8 15 * *"],
  ["every month on the 15th at 8", "0 8 15 * *"],
  ["every 1st and 15th at 9", "0 9 1,15 * *"],
  ["on the last day of each month at 17:00", "0 17 L * *"],
  ["monthly", "0 9 1 * *"],
  ["every 3 months", "0 9 1 */3 *"],
  ["every morning at 7", "0 7 * * *"],
  ["every morning", "0 8 * * *"],
  ["every evening at 7", "0 19 * * *"],
  ["every night", "0 2 * * *"],
  ["every night at 11", "0 23 * * *"],
  ["nightly", "0 9 * * *"],
  ["every day at noon", "0 12 * * *"],
  ["every day at midnight", "0 0 * * *"],
  ["daily at 18:00", "0 18 * * *"],
  ["every day at 6:45pm", "45 18 * * *"],
  ["at 9:30 every day", "30 9 * * *"],
  ["every monday at 9", "0 9 * * 1"],
  ["every mon, wed and fri at 17:30", "30 17 * * 1,3,5"],
  ["every monday and thursday at 10am", "0 10 * * 1,4"],
  ["every mon-fri at 9:15", "15 9 * * 1-5"],
  ["mon-fri at 9", "0 9 * * 1-5"],
  ["mondays at 9", "0 9 * * 1"],
  ["every weekend at 10", "0 10 * * 0,6"],
  ["every week", "0 9 * * 1"],
  ["weekly", "0 9 * * 1"],
  ["every year on 25 december at 8", "0 8 25 12 *"],
  ["every december 25th", "0 9 25 12 *"],
  ["every 29th of february at 12:00", "0 12 29 2 *"],
];

/** One-off phrases and the instant each must become. */
const once: [string, string][] = [
  ["in 20 minutes", "2026-12-04T15:20:00.000Z"],
  ["in an hour", "2026-12-04T16:00:00.000Z"],
  ["in half an hour", "2026-12-04T15:30:00.000Z"],
  ["in 2 days", "2026-12-06T15:00:00.000Z"],
  ["tomorrow at noon", "2026-12-05T11:00:00.000Z"],
  ["tomorrow at 7am", "2026-12-05T06:00:00.000Z"],
  ["today at 17:00", "2026-12-04T16:00:00.000Z"],
  ["tonight", "2026-12-04T20:00:00.000Z"],
  ["at 9", "2026-12-05T08:00:00.000Z"],
  ["at 18:30", "2026-12-04T17:30:00.000Z"],
  // It is Friday 16:00 in Paris: "Friday 16:00" is next week's.
  ["remind me on Friday 16:00", "2026-12-11T15:00:00.000Z"],
  ["on friday at 17:00", "2026-12-04T16:00:00.000Z"],
  ["next monday at 10", "2026-12-07T09:00:00.000Z"],
  ["on 24 december at 18:00", "2026-12-24T17:00:00.000Z"],
  ["december 24th at 6pm", "2026-12-24T17:00:00.000Z"],
  ["on 3 january", "2027-01-03T08:00:00.000Z"],
  ["2026-12-24 18:00", "2026-12-24T17:00:00.000Z"],
  // 02:30 does not exist in Paris that night (clocks jump from 02:00 to 03:00): it moves an hour on, to 03:30.
  ["2027-03-28T02:30", "2027-03-28T01:30:00.000Z"],
];

/** Phrases that must be refused, and a word the reason must contain. */
const refused: [string, RegExp][] = [
  ["", /empty/],
  ["   ", /empty/],
  ["whenever", /not a schedule/],
  ["every blursday", /not a schedule/],
  ["every 30 seconds", /at most once every 60 s/],
  ["every second", /at most once every 60 s/],
  ["every 0 minutes", /more than zero/],
  ["every 90 minutes", /divide/],
  ["every 7 minutes", /divide/],
  ["every 5 hours", /divide/],
  ["every 3 days", /drifts/],
  ["every 2 weeks", /calendar/],
  ["every 5 months", /divide/],
  ["at 25:00", /hour 25/],
  ["every day at 13pm", /from 1 to 12/],
  ["every day at 9:75", /minutes go up to 59/],
  ["on the 32nd of each month", /day of the month/],
  ["yesterday at 5", /past/],
  ["in -5 minutes", /in N minutes/],
  ["in 5 fortnights", /in N minutes/],
  ["2020-01-01 10:00", /past/],
  ["on 31 february", /does not exist/],
  ["every 30th of february", /does not exist/],
  ["today at 9", /past/],
];

test.each(recurring)("%j becomes cron %j", (phrase, cron) => {
  expect(read(phrase)).toEqual({ kind: "cron", cron, phrase: phrase.trim() });
});

test.each(once)("%j is once at %s", (phrase, at) => {
  expect(read(phrase)).toEqual({ kind: "once", at, phrase: phrase.trim() });
});

test.each(refused)("%j is refused", (phrase, reason) => {
  expect(() => read(phrase)).toThrow(reason);
});

test("the table has at least 50 phrases, refusals included", () => {
  expect(recurring.length + once.length + refused.length).toBeGreaterThanOrEqual(50);
  expect(refused.length).toBeGreaterThanOrEqual(15);
});

test("cron expressions are checked: syntax, the minimum interval, the time zone", () => {
  const check = (cron: string, zone = timeZone, minIntervalSeconds = 60) => resolveSchedule({ cron }, { now, timeZone: zone, minIntervalSeconds });
  expect(check("0 7 * * *")).toEqual({ kind: "cron", cron: "0 7 * * *", phrase: null });
  expect(() => check("61 * * * *")).toThrow(/not valid.*minute/);
  expect(() => check("*/10 * * * * *")).toThrow(/fires every 10 s/);
  expect(() => check("*/5 * * * *", timeZone, 600)).toThrow(/at most once every 600 s/);
  expect(() => check("0 7 * * *", "Mars/Olympus")).toThrow(/IANA time zone/);
  expect(() => resolveSchedule({ at: "tomorrow" }, { now, timeZone, minIntervalSeconds: 60 })).toThrow(/ISO 8601/);
  expect(() => resolveSchedule({ at: "2026-12-01T10:00:00Z" }, { now, timeZone, minIntervalSeconds: 60 })).toThrow(/past/);
});
