import type { DomainSettings } from "../../bot/command.ts";
import { atWallTime, type Day, dayFromYmd, isoWeekday, wallClock } from "../../lib/dates-zh/zone.ts";
import { skipNonWorking } from "../../lib/workdays.ts";

/**
 * When the weekly digest goes out: a weekday and a wall-clock time in the bot's zone (MON 09:00),
 * moved to the next working day when that day is a holiday (国庆 Monday → the Thursday after).
 * Each week is named by its nominal day ("2026-10-05"), so its job key stays the same however far
 * a holiday moves it, and a week runs once.
 */
export type DigestSchedule = NonNullable<DomainSettings["digestSchedule"]>;

export const DIGEST_JOB = "digest.weekly";
export const DIGEST_KEY_PREFIX = "digest:weekly:";

export interface DigestRun {
  /** The nominal day of that week's digest, YYYY-MM-DD. */
  week: string;
  runAt: Date;
}

export const digestKey = (week: string) => `${DIGEST_KEY_PREFIX}${week}`;

function nominal(day: Day, s: DigestSchedule, timezone: string): Date {
  return atWallTime(day, s.hour, s.minute, timezone);
}

/** The instant the digest of the week named `week` goes out. */
export function weekRun(week: string, s: DigestSchedule, timezone: string): Date {
  const day = dayFromYmd(week);
  if (!day) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${week}`);
  return skipNonWorking(nominal(day, s, timezone), timezone);
}

/**
 * The first digest strictly after `after`. A week whose holiday pushes its digest past the next
 * week's nominal time is dropped: the next week's digest says the same, a few hours later.
 */
export function nextDigestRun(after: Date, s: DigestSchedule, timezone: string): DigestRun {
  const today = wallClock(after, timezone).day;
  // Start a week back: last week's digest may still be ahead, pushed by a holiday.
  let day = today.subtract(((isoWeekday(today) - s.weekday + 7) % 7) + 7, "day");
  for (let i = 0; i < 60; i++, day = day.add(7, "day")) {
    const week = day.format("YYYY-MM-DD");
    const runAt = weekRun(week, s, timezone);
    if (runAt > after && runAt < nominal(day.add(7, "day"), s, timezone)) return { week, runAt };
  }
  throw new Error("no working day in sixty weeks");
}
