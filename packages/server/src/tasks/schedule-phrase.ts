import { Cron } from "croner";
import { addDays, calendarDateIn, instantAt } from "./zoned-time.ts";

/** What an English schedule phrase means: a cron expression (recurring) or one instant. */
export type ParsedPhrase = { kind: "cron"; cron: string } | { kind: "once"; at: Date };

/** A phrase, cron expression, time or zone that cannot be used; the message says why. */
export class ScheduleError extends Error {
  override name = "ScheduleError";
}

const dayNames: [RegExp, number][] = [
  [/^sun(day)?s?$/, 0],
  [/^mon(day)?s?$/, 1],
  [/^tue(s|sday)?s?$/, 2],
  [/^wed(nesday)?s?$/, 3],
  [/^thu(r|rs|rsday)?s?$/, 4],
  [/^fri(day)?s?$/, 5],
  [/^sat(urday)?s?$/, 6],
];
const monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
/** Times of day a phrase may name instead of a clock time, and which hours they mean. */
const periods: Record<string, { hour: number; minute: number; pm: (hour: number) => boolean }> = {
  morning: { hour: 8, minute: 0, pm: () => false },
  noon: { hour: 12, minute: 0, pm: () => false },
  afternoon: { hour: 15, minute: 0, pm: (hour) => hour < 12 },
  evening: { hour: 19, minute: 0, pm: (hour) => hour < 12 },
  night: { hour: 2, minute: 0, pm: (hour) => hour >= 6 && hour < 12 },
  midnight: { hour: 0, minute: 0, pm: () => false },
};
/** When a phrase names days but no time. */
const defaultTime = { hour: 9, minute: 0 };

const timePattern = String.raw`(noon|midnight|\d{1,2}(?:[:.h]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.|h|o'clock)?)`;
const unitMs: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 };

function dayOf(word: string): number | null {
  for (const [pattern, day] of dayNames) if (pattern.test(word)) return day;
  return null;
}
function monthOf(word: string): number | null {
  const index = monthNames.indexOf(word.slice(0, 3));
  return index >= 0 && (word.length === 3 || word.startsWith(monthNames[index]!) || /^sept$/.test(word)) ? index + 1 : null;
}
function unitOf(word: string): string | null {
  const singular = word.replace(/s$/, "");
  if (["min", "minute"].includes(singular)) return "minute";
  if (["h", "hr", "hour"].includes(singular)) return "hour";
  if (["sec", "second"].includes(singular)) return "second";
  if (singular === "day") return "day";
  if (singular === "week") return "week";
  if (singular === "month") return "month";
  return null;
}
function numberOf(word: string): number | null {
  const words: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, ten: 10, twelve: 12, fifteen: 15, twenty: 20, thirty: 30 };
  if (word in words) return words[word]!;
  return /^\d+$/.test(word) ? Number(word) : null;
}

/** "8", "8:30", "8.30pm", "20h", "noon" → hour and minute; throws for times that do not exist. */
export function parseTime(text: string, period?: string): { hour: number; minute: number } {
  const word = text.trim();
  if (word === "noon") return { hour: 12, minute: 0 };
  if (word === "midnight") return { hour: 0, minute: 0 };
  const match = /^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|h|o'clock)?$/.exec(word);
  if (!match) throw new ScheduleError(`"${text}" is not a time; write it like 8, 8:30, 8:30pm or 20:00.`);
  let hour = Number(match[1]);
  const minute = match[2] ? Number(match[2]) : 0;
  const suffix = match[3]?.replaceAll(".", "");
  if (minute > 59) throw new ScheduleError(`"${text}" has ${minute} minutes; minutes go up to 59.`);
  if (suffix === "am" || suffix === "pm") {
    if (hour < 1 || hour > 12) throw new ScheduleError(`"${text}": with am or pm the hour goes from 1 to 12.`);
    hour = (hour % 12) + (suffix === "pm" ? 12 : 0);
  } else {
    if (hour > 23) throw new ScheduleError(`"${text}" has hour ${hour}; hours go up to 23.`);
    if (period && periods[period]?.pm(hour)) hour += 12;
  }
  return { hour, minute };
}

/** Takes "at 8:30" (anywhere) or a trailing clock time that cannot be mistaken for a count ("16:00", "7pm"). */
function extractTime(phrase: string): { rest: string; time: string | null } {
  const at = new RegExp(String.raw`(?:^|\s)at\s+${timePattern}(?=\s|$)`).exec(phrase);
  if (at) return { rest: (phrase.slice(0, at.index) + " " + phrase.slice(at.index + at[0].length)).trim().replace(/\s+/g, " "), time: at[1]! };
  const trailing = /(?:^|\s)(\d{1,2}[:.h]\d{2}|\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.))$/.exec(phrase);
  if (trailing) return { rest: phrase.slice(0, trailing.index).trim(), time: trailing[1]! };
  if (/\bat\b/.test(phrase)) {
    const after = phrase.slice(phrase.lastIndexOf(" at ") + 4).split(" ")[0] ?? "";
    parseTime(after); // throws naming what is wrong with the time
  }
  return { rest: phrase, time: null };
}

/** "monday, wednesday and friday", "mon-fri", "weekday", "weekend" → a cron day-of-week field. */
function daysField(text: string): string | null {
  const words = text.replace(/,/g, " ").replace(/\band\b/g, " ").trim().split(/\s+/).filter(Boolean);
  if (!words.length) return null;
  if (words.length === 1 && /^week-?days?$/.test(words[0]!)) return "1-5";
  if (words.length === 1 && /^week-?ends?$/.test(words[0]!)) return "0,6";
  const range = /^(\w+)\s*(?:-|to|through)\s*(\w+)$/.exec(text.trim());
  if (range) {
    const from = dayOf(range[1]!);
    const to = dayOf(range[2]!);
    if (from !== null && to !== null) return `${from}-${to}`;
  }
  const days = words.map(dayOf);
  if (days.some((day) => day === null)) return null;
  return [...new Set(days as number[])].sort((a, b) => a - b).join(",");
}

/** "1st", "15th", "last day" → a cron day-of-month value. */
function dayOfMonth(word: string): string {
  if (word === "last" || word === "last day") return "L";
  const match = /^(\d{1,2})(st|nd|rd|th)?$/.exec(word);
  const day = match ? Number(match[1]) : NaN;
  if (!(day >= 1 && day <= 31)) throw new ScheduleError(`"${word}" is not a day of the month (1st to 31st, or "last day").`);
  return String(day);
}

function cronAt(time: { hour: number; minute: number }, days = "*", dom = "*", month = "*"): ParsedPhrase {
  return { kind: "cron", cron: `${time.minute} ${time.hour} ${dom} ${month} ${days}` };
}

/**
 * Reads an English schedule phrase, deterministically (no model): recurring phrases become
 * a cron expression read in the task's time zone, one-off ones an instant.
 *
 * @example parseSchedulePhrase("every weekday at 8", { now, timeZone: "Europe/Paris" }) // { kind: "cron", cron: "0 8 * * 1-5" }
 * @example parseSchedulePhrase("tomorrow at noon", { now, timeZone: "Europe/Paris" }) // { kind: "once", at: Date }
 */
export function parseSchedulePhrase(input: string, options: { now: Date; timeZone: string }): ParsedPhrase {
  const phrase = input.trim().toLowerCase().replace(/[.!]+$/, "").replace(/\s+/g, " ").replace(/^(remind me |run )/, "");
  if (!phrase) throw new ScheduleError("The schedule is empty; write something like \"every weekday at 8\" or \"tomorrow at noon\".");
  const { now, timeZone } = options;

  // "in 20 minutes", "in an hour", "in half an hour"
  const relative = /^in (half an hour|(\S+) (\S+))$/.exec(phrase);
  if (relative) {
    if (relative[1] === "half an hour") return { kind: "once", at: new Date(now.getTime() + 30 * 60_000) };
    const count = numberOf(relative[2]!);
    const unit = unitOf(relative[3]!);
    if (count === null || !unit || unit === "month") throw new ScheduleError(`"${input}": write "in N minutes", "in N hours", "in N days" or "in N weeks".`);
    if (count <= 0) throw new ScheduleError(`"${input}": the delay must be more than zero.`);
    return { kind: "once", at: new Date(now.getTime() + count * unitMs[unit]!) };
  }

  // An ISO date and time: "2026-12-24 18:00", "2026-12-24T18:00"
  const iso = /^(?:on )?(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{1,2}:\d{2}))?(?: at (.+))?$/.exec(phrase);
  if (iso) return onceOn({ year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) }, iso[4] ?? iso[5] ?? null, input, options);

  const { rest, time: timeText } = extractTime(phrase);
  const recurring =
    /^(every|each|daily|nightly|hourly|weekly|monthly|yearly|annually|weekdays|weekends|on the|on every)\b/.test(rest) ||
    /\b(of (each|every) month|every)\b/.test(rest) ||
    /^(on )?[a-z]+days?\s*(-|to|through)\s*[a-z]+$/.test(rest) ||
    /^(on )?(mon|tue|wed|thu|fri|sat|sun)[a-z]*-(mon|tue|wed|thu|fri|sat|sun)[a-z]*$/.test(rest) ||
    /^(on )?(mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)\b/.test(rest);
  const periodWord = Object.keys(periods).find((name) => new RegExp(String.raw`\b${name}\b`).test(rest));
  const time = timeText ? parseTime(timeText, periodWord) : periodWord ? { hour: periods[periodWord]!.hour, minute: periods[periodWord]!.minute } : null;

  if (recurring) return recurringPhrase(rest, time, input);

  // One-off: "today", "tonight", "tomorrow", "on friday", "next monday", "on 24 december", "at 9"
  const today = calendarDateIn(now, timeZone);
  const once = (date: typeof today, fallback = defaultTime) => {
    const chosen = time ?? fallback;
    const at = instantAt(date, chosen.hour, chosen.minute, timeZone);
    if (!at || at.getTime() <= now.getTime()) throw new ScheduleError(`"${input}" is in the past.`);
    return { kind: "once", at } as const;
  };
  const bare = rest.replace(/\b(this|the)\b/g, "").replace(/\s+/g, " ").trim();
  if (bare === "" && time) {
    const at = instantAt(today, time.hour, time.minute, timeZone)!;
    return { kind: "once", at: at.getTime() > now.getTime() ? at : instantAt(addDays(today, 1), time.hour, time.minute, timeZone)! };
  }
  if (/^(today|this (morning|afternoon|evening))$/.test(rest) || (periodWord && /^(this )?(morning|afternoon|evening)$/.test(rest))) return once(today);
  if (/^tonight$/.test(rest)) return once(today, { hour: 21, minute: 0 });
  if (/^tomorrow( (morning|afternoon|evening|night))?$/.test(rest)) return once(addDays(today, 1));
  if (/^(yesterday|last)\b/.test(rest)) throw new ScheduleError(`"${input}" is in the past.`);
  const weekday = /^(?:on |next |this |coming )?(\w+)( (morning|afternoon|evening|night))?$/.exec(rest);
  const day = weekday ? dayOf(weekday[1]!) : null;
  if (day !== null) {
    const chosen = time ?? defaultTime;
    const next = new Cron(`${chosen.minute} ${chosen.hour} * * ${day}`, { timezone: timeZone, paused: true }).nextRun(now)!;
    return { kind: "once", at: next };
  }
  const dated = /^(?:on )?(?:(\d{1,2})(?:st|nd|rd|th)? (?:of )?([a-z]+)|([a-z]+) (\d{1,2})(?:st|nd|rd|th)?)(?:,? (\d{4}))?$/.exec(rest);
  if (dated) {
    const month = monthOf(dated[2] ?? dated[3]!);
    const dayNumber = Number(dated[1] ?? dated[4]);
    if (month !== null) {
      const explicitYear = dated[5] ? Number(dated[5]) : null;
      let date = { year: explicitYear ?? today.year, month, day: dayNumber };
      const chosen = time ?? defaultTime;
      let at = instantAt(date, chosen.hour, chosen.minute, timeZone);
      if (!at) throw new ScheduleError(`"${input}": that date does not exist.`);
      if (at.getTime() <= now.getTime() && explicitYear === null) {
        date = { ...date, year: date.year + 1 };
        at = instantAt(date, chosen.hour, chosen.minute, timeZone);
        if (!at) throw new ScheduleError(`"${input}": that date does not exist next year.`);
      }
      return once({ ...date, weekday: 0 });
    }
  }
  throw new ScheduleError(
    `"${input}" is not a schedule I can read. Examples: "every weekday at 8", "every 2 hours", "on the 1st of each month at 9:30", "in 20 minutes", "tomorrow at noon", or a cron expression.`,
  );
}

function onceOn(date: { year: number; month: number; day: number }, timeText: string | null, input: string, options: { now: Date; timeZone: string }): ParsedPhrase {
  const time = timeText ? parseTime(timeText) : defaultTime;
  const at = instantAt(date, time.hour, time.minute, options.timeZone);
  if (!at) throw new ScheduleError(`"${input}": that date does not exist.`);
  if (at.getTime() <= options.now.getTime()) throw new ScheduleError(`"${input}" is in the past.`);
  return { kind: "once", at };
}

function recurringPhrase(rest: string, time: { hour: number; minute: number } | null, input: string): ParsedPhrase {
  const text = rest
    .replace(/^(each|on every|every)\s*/, "")
    .replace(/\b(in the |at )?(morning|afternoon|evening|night|noon|midnight)\b/, "")
    .replace(/\s+/g, " ")
    .trim();
  const at = time ?? defaultTime;

  // "every minute", "every 15 minutes", "every 2 hours", "hourly", "every 30 seconds"
  if (rest === "hourly") return { kind: "cron", cron: `${time ? time.minute : 0} * * * *` };
  const interval = /^(?:(\S+) )?(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)$/.exec(text);
  if (interval) {
    const count = interval[1] === undefined ? 1 : numberOf(interval[1]);
    const unit = unitOf(interval[2]!) ?? interval[2]!.replace(/s$/, "");
    if (count === null) throw new ScheduleError(`"${input}": "${interval[1]}" is not a number.`);
    if (count <= 0) throw new ScheduleError(`"${input}": the interval must be more than zero.`);
    const divides = (whole: number) => {
      if (count === 1 || (whole % count === 0 && count < whole)) return true;
      throw new ScheduleError(`"${input}": every ${count} ${unit}s does not divide ${unit === "month" ? "a year" : unit === "hour" ? "a day" : "an hour"} evenly, so it cannot be kept on the clock; choose a divisor of ${whole}.`);
    };
    switch (unit) {
      case "second":
        if (count >= 60 || 60 % count !== 0) throw new ScheduleError(`"${input}": choose a number of seconds that divides a minute.`);
        return { kind: "cron", cron: `*/${count} * * * * *` };
      case "minute":
        divides(60);
        return { kind: "cron", cron: count === 1 ? "* * * * *" : `*/${count} * * * *` };
      case "hour":
        divides(24);
        return { kind: "cron", cron: `${time ? time.minute : 0} ${count === 1 ? "*" : `*/${count}`} * * *` };
      case "day":
        if (count !== 1) throw new ScheduleError(`"${input}": every ${count} days drifts against weeks and months; name weekdays ("every monday and thursday") or days of the month instead.`);
        return cronAt(at);
      case "week":
        if (count !== 1) throw new ScheduleError(`"${input}": every ${count} weeks cannot be written as a calendar schedule; name a day ("every monday") or days of the month.`);
        return cronAt(at, "1");
      case "month":
        divides(12);
        return cronAt(at, "*", "1", count === 1 ? "*" : `*/${count}`);
      case "year":
        if (count !== 1) throw new ScheduleError(`"${input}": only "every year" is supported for years.`);
        return cronAt(at, "*", "1", "1");
    }
  }
  if (/^(daily|nightly|day|days|)$/.test(text)) return cronAt(at);
  if (text === "weekly") return cronAt(at, "1");
  if (text === "monthly") return cronAt(at, "*", "1");
  if (/^(yearly|annually)$/.test(text)) return cronAt(at, "*", "1", "1");

  // "on the 1st of each month", "the last day of every month", "1st and 15th of the month", "every month on the 15th"
  const monthDays = /^(?:on )?(?:the )?(.+?) (?:day )?of (?:each|every|the) month$/.exec(text) ?? /^month on (?:the )?(.+)$/.exec(text);
  if (monthDays) {
    const days = monthDays[1]!.replace(/\bday\b/, "").replace(/,/g, " ").replace(/\band\b/g, " ").replace(/\bthe\b/g, " ").trim().split(/\s+/);
    const field = days.map((day) => dayOfMonth(day === "last" ? "last" : day)).join(",");
    return cronAt(at, "*", field);
  }
  const monthDaysOnly = /^(?:on )?(?:the )?((?:\d{1,2}(?:st|nd|rd|th)(?:,? (?:and )?)?)+)$/.exec(text);
  if (monthDaysOnly) {
    const days = monthDaysOnly[1]!.replace(/,/g, " ").replace(/\band\b/g, " ").trim().split(/\s+/);
    return cronAt(at, "*", days.map(dayOfMonth).join(","));
  }

  // "every year on 25 december", "every december 25th", "every 1st of january"
  const yearly = /^(?:year on )?(?:(\d{1,2})(?:st|nd|rd|th)? (?:of )?([a-z]+)|([a-z]+) (\d{1,2})(?:st|nd|rd|th)?)$/.exec(text);
  if (yearly) {
    const month = monthOf(yearly[2] ?? yearly[3]!);
    if (month !== null) {
      const day = Number(yearly[1] ?? yearly[4]);
      if (!instantAt({ year: 2028, month, day }, 0, 0, "UTC")) throw new ScheduleError(`"${input}": that date does not exist.`);
      return cronAt(at, "*", String(day), String(month));
    }
  }

  // "every weekday", "every monday, wednesday and friday", "weekdays", "mon-fri", "every week on tuesday"
  const days = daysField(text.replace(/^week on /, "").replace(/^on /, ""));
  if (days) return cronAt(at, days);

  throw new ScheduleError(
    `"${input}" is not a schedule I can read. Examples: "every weekday at 8", "every 2 hours", "on the 1st of each month at 9:30", "every monday and thursday at 17:30", or a cron expression.`,
  );
}
