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

const bundledYears = new Set(Object.keys(calendar.holidays).map((d) => Number(d.slice(0, 4))));

interface Layer {
  holidays: Set<string>;
  workdays: Set<string>;
  years: Set<number>;
}

// The administrator's HOLIDAYS_FILE on top of the bundled data, newest last (see extendWorkdayCalendar).
// A list, not one slot: several runtimes in one process (tests) each add and remove their own.
const layers: Layer[] = [];

/**
 * Adds the administrator's holiday file to the calendar: its dates win over the bundled data, and
 * the years it gives count as known. Done at start-up by the composition root; returns the undo.
 */
export function extendWorkdayCalendar(overrides: {
  years?: readonly number[];
  holidays: readonly string[];
  workdays: readonly string[];
}): () => void {
  const layer: Layer = {
    holidays: new Set(overrides.holidays),
    workdays: new Set(overrides.workdays),
    years: new Set(overrides.years ?? []),
  };
  layers.push(layer);
  return () => {
    const i = layers.indexOf(layer);
    if (i >= 0) layers.splice(i, 1);
  };
}

/** Whether the State Council schedule of that year is known (bundled or from HOLIDAYS_FILE). */
export function calendarCovers(year: number): boolean {
  return bundledYears.has(year) || layers.some((l) => l.years.has(year));
}

/**
 * The years the calendar covers without a gap: outside them, Monday to Friday are working days. A
 * file giving 2030 alone does not make 2027 known.
 */
export function workdayCalendarYears(): { first: number; last: number } {
  const first = Math.min(...bundledYears);
  let last = first;
  while (calendarCovers(last + 1)) last += 1;
  return { first, last };
}

/**
 * A warning for the administrator when the calendar runs out: the current year is not known, or it
 * is November or December and next year is not (the State Council publishes next year's schedule
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
  return (
    `节假日数据只到 ${workdayCalendarYears().last} 年，还没有 ${missing} 年的放假和调休安排。` +
    `补上之前，${missing} 年按周一至周五上班计算，活动提醒、每周汇总和“下个工作日”可能落在假期。` +
    `国务院办公厅发布通知后，请管理员写入 HOLIDAYS_FILE 并重启（见 README「节假日」）。`
  );
}

function day(ymd: string): Day {
  const d = dayFromYmd(ymd);
  if (!d) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${ymd}`);
  return d;
}

function working(d: Day): boolean {
  const ymd = d.format("YYYY-MM-DD");
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i] as Layer;
    if (l.workdays.has(ymd)) return true;
    if (l.holidays.has(ymd)) return false;
  }
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
