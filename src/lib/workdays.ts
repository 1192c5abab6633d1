import { createRequire } from "node:module";
import { atWallTime, type Day, dayFromYmd, isoWeekday, wallClock } from "./dates-zh/zone.ts";
import type { HolidayOverrides } from "./holiday-file.ts";

/**
 * Working days by the State Council calendar, 调休 make-up days included, from the `chinese-days`
 * package. Only its data is used: its functions read a "YYYY-MM-DD" in the machine's zone, so under
 * TZ=America/New_York they answer for the day before (Saturday 2021-03-13 came out a working day).
 */
const calendar = createRequire(import.meta.url)("chinese-days/dist/chinese-days.json") as {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
};

const bundledYears = new Set(Object.keys(calendar.holidays).map((d) => Number(d.slice(0, 4))));

// The administrator's HOLIDAYS_FILE, on top of the bundled data (see extendWorkdayCalendar).
let extra: { holidays: Set<string>; workdays: Set<string>; years: Set<number> } | undefined;

/**
 * Adds the administrator's holiday file to the calendar: its dates win over the bundled data, and a
 * year it names counts as covered. Set once at start-up (the composition root); returns the undo,
 * for tests.
 */
export function extendWorkdayCalendar(overrides: HolidayOverrides): () => void {
  const before = extra;
  const all = [...overrides.holidays, ...overrides.workdays];
  extra = {
    holidays: new Set(overrides.holidays),
    workdays: new Set(overrides.workdays),
    years: new Set(all.map((d) => Number(d.slice(0, 4)))),
  };
  return () => {
    extra = before;
  };
}

/** Whether the State Council schedule of that year is known (bundled or from HOLIDAYS_FILE). */
export function calendarCovers(year: number): boolean {
  return bundledYears.has(year) || (extra?.years.has(year) ?? false);
}

/** The years the calendar covers; outside them, Monday to Friday are working days. */
export function workdayCalendarYears(): { first: number; last: number } {
  const years = [...bundledYears, ...(extra?.years ?? [])];
  return { first: Math.min(...years), last: Math.max(...years) };
}

/**
 * A warning for the administrator when the calendar runs out: the current year is not covered, or
 * it is November or December and next year is not (the State Council publishes next year's schedule
 * around then). Undefined when all is well.
 */
export function calendarGapWarning(today: string): string | undefined {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const missing = !calendarCovers(year)
    ? year
    : month >= 11 && !calendarCovers(year + 1)
      ? year + 1
      : undefined;
  if (missing === undefined) return undefined;
  const { last } = workdayCalendarYears();
  return (
    `节假日数据只到 ${last} 年，还没有 ${missing} 年的放假和调休安排，写进去之前 ${missing} 年会按周一到周五上班计算` +
    `（提醒、日报和“下个工作日”都会受影响）。国务院办公厅发布通知后，请写进 HOLIDAYS_FILE（见 README「节假日」）。`
  );
}

function day(ymd: string): Day {
  const d = dayFromYmd(ymd);
  if (!d) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${ymd}`);
  return d;
}

function working(d: Day): boolean {
  const ymd = d.format("YYYY-MM-DD");
  if (extra?.workdays.has(ymd)) return true;
  if (extra?.holidays.has(ymd)) return false;
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
