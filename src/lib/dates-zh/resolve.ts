import { nextWorkingDay } from "../workdays.ts";
import type { DayRef, Refusal, Spec } from "./grammar.ts";
import { atWallTime, calendarDay, type Day, dayFromYmd, isoWeekday, wallClock } from "./zone.ts";

export type WhenResult = { ok: true; at: Date; hasTime: boolean } | { ok: false; reason: string };

export interface WhenOptions {
  now: Date;
  timezone: string;
  dateOnly?: "allow" | "refuse";
}

/**
 * A day, and how far to move it when the time on it has already passed: a time without a date
 * is the next such time (step 1), a bare weekday the next such weekday (step 7).
 */
interface Placed {
  day: Day;
  step: number;
}

const refuse = (reason: string): WhenResult => ({ ok: false, reason });

function place(ref: DayRef | undefined, today: Day): Placed | Refusal {
  if (!ref) return { day: today, step: 1 };
  switch (ref.kind) {
    case "relative":
      return { day: today.add(ref.days, "day"), step: 0 };
    case "workday": {
      const next = dayFromYmd(nextWorkingDay(today.format("YYYY-MM-DD")));
      return next ? { day: next, step: 0 } : { reason: "找不到下一个工作日" };
    }
    case "week": {
      const monday = today.subtract(isoWeekday(today) - 1, "day");
      return { day: monday.add(ref.weeks * 7 + ref.weekday - 1, "day"), step: 0 };
    }
    case "weekday":
      return { day: today.add((ref.weekday - isoWeekday(today) + 7) % 7, "day"), step: 7 };
    case "monthDay": {
      if (ref.date < 1 || ref.date > 31) return { reason: `没有${ref.date}号这一天` };
      const month = ref.date >= today.date() ? today : today.add(1, "month").date(1);
      const day = calendarDay(month.year(), month.month() + 1, ref.date);
      return day ? { day, step: 0 } : { reason: `${month.month() + 1}月没有${ref.date}号` };
    }
    case "date":
      return placeDate(ref.year, ref.month, ref.date, today);
  }
}

function placeDate(year: number | undefined, month: number, date: number, today: Day): Placed | Refusal {
  if (month < 1 || month > 12) return { reason: `没有${month}月：一年只有1到12月` };
  // 2000 is a leap year: a month and day that exist in no year at all are refused as such.
  if (!calendarDay(2000, month, date)) return { reason: `没有${month}月${date}日这一天` };
  if (year !== undefined) {
    const day = calendarDay(year, month, date);
    return day ? { day, step: 0 } : { reason: `${year}年没有${month}月${date}日` };
  }
  const thisYear = calendarDay(today.year(), month, date);
  // A month and day already past this year means next year.
  const y = thisYear && !thisYear.isBefore(today) ? today.year() : today.year() + 1;
  const day = calendarDay(y, month, date);
  return day ? { day, step: 0 } : { reason: `${y}年没有${month}月${date}日` };
}

function hourOf(spec: Spec): number | Refusal | undefined {
  if (!spec.time) return undefined;
  if (!spec.period) return spec.time.hour;
  const hour = spec.period.period.toHour(spec.time.hour);
  if (hour === undefined) {
    return { reason: `“${spec.period.word}${spec.time.text}”说不通，请换个说法，比如“下午3点”或“15:00”` };
  }
  return hour;
}

export function resolve(spec: Spec, opts: WhenOptions): WhenResult {
  if (spec.afterMinutes !== undefined) {
    if (spec.afterMinutes <= 0) return refuse("要写一段大于零的时间，比如“30分钟后”");
    return { ok: true, at: new Date(opts.now.getTime() + spec.afterMinutes * 60_000), hasTime: true };
  }
  const hour = hourOf(spec);
  if (typeof hour === "object") return refuse(hour.reason);
  if (hour === undefined && spec.period) {
    const { word, period } = spec.period;
    return refuse(`${word}几点？请写上时间，比如“${word}${period.example}点”`);
  }
  const today = wallClock(opts.now, opts.timezone).day;
  const placed = place(spec.day, today);
  if ("reason" in placed) return refuse(placed.reason);
  if (hour === undefined) {
    if (!spec.day)
      return refuse("没看懂这个时间，可以这样写：明天下午3点、下周三上午9点、3月20日14:00、两小时后");
    if (opts.dateOnly !== "allow") return refuse("请写上几点，比如“明天上午10点”");
    return { ok: true, at: atWallTime(placed.day, 0, 0, opts.timezone), hasTime: false };
  }
  const minute = spec.time?.minute ?? 0;
  let at = atWallTime(placed.day, hour, minute, opts.timezone);
  if (placed.step > 0 && at.getTime() <= opts.now.getTime()) {
    at = atWallTime(placed.day.add(placed.step, "day"), hour, minute, opts.timezone);
  }
  return { ok: true, at, hasTime: true };
}
