import { Cron } from "croner";

/** A calendar date in some time zone. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
  /** 0 = Sunday. */
  weekday: number;
}

const weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone }).format(0);
    return timeZone.length > 0;
  } catch {
    return false;
  }
}

/** The date it is at `instant` in `timeZone`. */
export function calendarDateIn(instant: Date, timeZone: string): CalendarDate {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "numeric", day: "numeric", weekday: "short" }).formatToParts(instant);
  const part = (type: string) => parts.find((entry) => entry.type === type)!.value;
  return { year: Number(part("year")), month: Number(part("month")), day: Number(part("day")), weekday: weekdays.indexOf(part("weekday")) };
}

/** The date `days` after `date` (calendar arithmetic, time zones play no part). */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate(), weekday: moved.getUTCDay() };
}

/**
 * The instant a wall-clock time on a date has in `timeZone` (croner's arithmetic, so a time
 * that a DST change skips moves forward like a recurring schedule's would), or null if
 * the date does not exist.
 */
export function instantAt(date: Pick<CalendarDate, "year" | "month" | "day">, hour: number, minute: number, timeZone: string): Date | null {
  const check = new Date(Date.UTC(date.year, date.month - 1, date.day));
  if (check.getUTCMonth() !== date.month - 1 || check.getUTCDate() !== date.day) return null;
  const pad = (value: number) => String(value).padStart(2, "0");
  const iso = `${date.year}-${pad(date.month)}-${pad(date.day)}T${pad(hour)}:${pad(minute)}:00`;
  return new Cron(iso, { timezone: timeZone, paused: true }).nextRun(new Date(check.getTime() - 3 * 86_400_000));
}
