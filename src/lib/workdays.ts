import { createRequire } from "node:module";
import { atWallTime, type Day, dayFromYmd, isoWeekday, wallClock } from "./dates-zh/zone.ts";

/**
 * Working days by the State Council calendar, 调休 make-up days included, from the `chinese-days`
 * package. Only its data is used: its functions read a "YYYY-MM-DD" in the machine's zone, so under
 * TZ=America/New_York they answer for the day before (Saturday 2021-03-13 came out a working day).
 */
const calendar = createRequire(import.meta.url)("chinese-days/dist/chinese-days.json") as {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
};

const years = Object.keys(calendar.holidays).map((d) => Number(d.slice(0, 4)));

/** The years the published calendar covers; outside them, Monday to Friday are working days. */
export const workdayCalendarYears = { first: Math.min(...years), last: Math.max(...years) };

function day(ymd: string): Day {
  const d = dayFromYmd(ymd);
  if (!d) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${ymd}`);
  return d;
}

function working(d: Day): boolean {
  const ymd = d.format("YYYY-MM-DD");
  if (calendar.workdays[ymd] !== undefined) return true;
  if (calendar.holidays[ymd] !== undefined) return false;
  return isoWeekday(d) <= 5;
}

export function isWorkingDay(ymd: string): boolean {
  return working(day(ymd));
}

/** The first working day strictly after this one. */
export function nextWorkingDay(ymd: string): string {
  let d = day(ymd).add(1, "day");
  while (!working(d)) d = d.add(1, "day");
  return d.format("YYYY-MM-DD");
}

/** The same clock time on the next working day when the instant's day (in the zone) is not one. */
export function skipNonWorking(at: Date, timezone: string): Date {
  const w = wallClock(at, timezone);
  if (working(w.day)) return at;
  const next = day(nextWorkingDay(w.day.format("YYYY-MM-DD")));
  const moved = atWallTime(next, w.hour, w.minute, timezone, w.second);
  return new Date(moved.getTime() + at.getUTCMilliseconds());
}
