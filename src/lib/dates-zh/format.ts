import { WEEKDAY_NAMES } from "./tables.ts";
import { isoWeekday, pad, wallClock } from "./zone.ts";

/** "12月2日（周三）" */
export function formatDay(at: Date, timezone: string): string {
  const { day } = wallClock(at, timezone);
  return `${day.month() + 1}月${day.date()}日（${WEEKDAY_NAMES[isoWeekday(day) - 1]}）`;
}

/** "2026年12月2日（周三）14:00" in the zone. */
export function formatWhen(at: Date, timezone: string): string {
  const w = wallClock(at, timezone);
  return `${w.day.year()}年${formatDay(at, timezone)}${pad(w.hour)}:${pad(w.minute)}`;
}

/** "2021-03-11T10:00:00+08:00": ISO 8601 with seconds and the zone's offset at that instant. */
export function formatIso(at: Date, timezone: string): string {
  const w = wallClock(at, timezone);
  const sign = w.offset < 0 ? "-" : "+";
  const off = Math.abs(w.offset);
  const time = `${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
  return `${w.day.format("YYYY-MM-DD")}T${time}${sign}${pad(Math.floor(off / 60))}:${pad(off % 60)}`;
}
