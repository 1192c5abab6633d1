import { atWallTime, calendarDay } from "../../lib/dates-zh/zone.ts";
import { dayInZone } from "../tasks/zone.ts";

/**
 * The half-year an assessment covers, in the bot's zone: 上半年 is 1 January to 30 June, 下半年 1 July
 * to 31 December. A half that is still running is counted up to now.
 */
export interface Period {
  year: number;
  half: 1 | 2;
  /** 上半年 | 下半年 */
  label: string;
  /** First and last calendar day, YYYY-MM-DD. */
  first: string;
  last: string;
  start: Date;
  /** The instant after the last day. */
  end: Date;
  /** What is counted: before this instant (the end, or now while the half runs). */
  cutoff: Date;
  /** Tasks due before this day and not complete at the cutoff are overdue. */
  overdueBefore: string;
  /** The last day counted, for "统计截至…". */
  asOf: string;
  /** The half is over. */
  complete: boolean;
}

export const HALF_LABELS = { 1: "上半年", 2: "下半年" } as const;

export class ReportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReportError";
  }
}

/** "上半年" / "下半年" / "1" / "2" / "H1" → 1 | 2; anything else → null. */
export function parseHalf(text: string): 1 | 2 | null {
  const t = text.normalize("NFKC").trim().toLowerCase();
  if (["1", "h1", "上半年", "上"].includes(t)) return 1;
  if (["2", "h2", "下半年", "下"].includes(t)) return 2;
  return null;
}

export function halfPeriod(year: number, half: 1 | 2, now: Date, timezone: string): Period {
  const firstDay = calendarDay(year, half === 1 ? 1 : 7, 1);
  const nextDay = half === 1 ? calendarDay(year, 7, 1) : calendarDay(year + 1, 1, 1);
  if (!firstDay || !nextDay) throw new ReportError(`年份不对：${year}`);
  const start = atWallTime(firstDay, 0, 0, timezone);
  const end = atWallTime(nextDay, 0, 0, timezone);
  const label = HALF_LABELS[half];
  if (now < start) throw new ReportError(`${year} 年${label}还没开始。`);
  const complete = now >= end;
  const cutoff = complete ? end : now;
  const last = nextDay.subtract(1, "day").format("YYYY-MM-DD");
  return {
    year,
    half,
    label,
    first: firstDay.format("YYYY-MM-DD"),
    last,
    start,
    end,
    cutoff,
    overdueBefore: dayInZone(cutoff, timezone),
    asOf: complete ? last : dayInZone(now, timezone),
    complete,
  };
}
