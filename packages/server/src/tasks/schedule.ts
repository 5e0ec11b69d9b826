import { Cron } from "croner";
import type { TaskSchedule } from "../storage/task-store.ts";
import { parseSchedulePhrase, ScheduleError } from "./schedule-phrase.ts";
import { isTimeZone } from "./zoned-time.ts";

/** How a person gives a schedule: an English phrase, a cron expression, or one instant (ISO 8601). */
export type ScheduleInput = { phrase: string } | { cron: string } | { at: string };

/** How many upcoming runs are checked against the minimum interval. */
const intervalSample = 120;

function cronOf(expression: string, timeZone: string): Cron {
  try {
    return new Cron(expression, { timezone: timeZone, paused: true });
  } catch (error) {
    throw new ScheduleError(`The cron expression "${expression}" is not valid: ${error instanceof Error ? error.message.replace(/^CronPattern: /, "") : String(error)}.`);
  }
}

/**
 * Turns what a person wrote into a stored schedule, checked: the zone must be an IANA
 * zone, a cron expression must parse and fire at most once per `minIntervalSeconds`, a
 * one-off time must be in the future.
 */
export function resolveSchedule(input: ScheduleInput, options: { now: Date; timeZone: string; minIntervalSeconds: number }): TaskSchedule {
  const { now, timeZone, minIntervalSeconds } = options;
  if (!isTimeZone(timeZone)) throw new ScheduleError(`"${timeZone}" is not an IANA time zone (like Europe/Paris or America/New_York).`);
  let schedule: TaskSchedule;
  if ("phrase" in input) {
    const parsed = parseSchedulePhrase(input.phrase, { now, timeZone });
    schedule = parsed.kind === "cron" ? { kind: "cron", cron: parsed.cron, phrase: input.phrase.trim() } : { kind: "once", at: parsed.at.toISOString(), phrase: input.phrase.trim() };
  } else if ("cron" in input) {
    schedule = { kind: "cron", cron: input.cron.trim().replace(/\s+/g, " "), phrase: null };
  } else {
    const at = new Date(input.at);
    if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(input.at)) throw new ScheduleError(`"${input.at}" is not an ISO 8601 date and time (like 2026-12-24T18:00:00Z).`);
    if (at.getTime() <= now.getTime()) throw new ScheduleError(`${input.at} is in the past.`);
    schedule = { kind: "once", at: at.toISOString(), phrase: null };
  }
  if (schedule.kind === "cron") {
    const runs = cronOf(schedule.cron, timeZone).nextRuns(intervalSample, now);
    if (!runs.length) throw new ScheduleError(`The schedule "${schedule.phrase ?? schedule.cron}" never fires.`);
    for (let index = 1; index < runs.length; index++) {
      const gap = (runs[index]!.getTime() - runs[index - 1]!.getTime()) / 1000;
      if (gap < minIntervalSeconds) {
        throw new ScheduleError(`The schedule "${schedule.phrase ?? schedule.cron}" fires every ${gap} s; tasks may run at most once every ${minIntervalSeconds} s.`);
      }
    }
  }
  return schedule;
}

/** The next `count` run times after `after`. */
export function nextRuns(schedule: TaskSchedule, timeZone: string, after: Date, count: number): Date[] {
  if (schedule.kind === "once") {
    const at = new Date(schedule.at);
    return at.getTime() > after.getTime() ? [at] : [];
  }
  return cronOf(schedule.cron, timeZone).nextRuns(count, after);
}

/** The next run strictly after `after`, or null (a one-off that has passed). */
export function nextRun(schedule: TaskSchedule, timeZone: string, after: Date): Date | null {
  return nextRuns(schedule, timeZone, after, 1)[0] ?? null;
}

/** How many occurrences fell in (`from`, `to`] (missed while the server was down). */
export function occurrencesBetween(schedule: TaskSchedule, timeZone: string, from: Date, to: Date, cap = 1000): number {
  if (schedule.kind === "once") return new Date(schedule.at) > from && new Date(schedule.at) <= to ? 1 : 0;
  const cron = cronOf(schedule.cron, timeZone);
  let count = 0;
  let cursor: Date | null = from;
  while (count < cap && (cursor = cron.nextRun(cursor)) && cursor <= to) count++;
  return count;
}

export { ScheduleError };
