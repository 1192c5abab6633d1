/**
 * Calendar dates and clock times in the configured zone. Instants are stored in UTC; what a person
 * reads ("截止 6月30日", "3月10日 09:00") and what "overdue" means depend on the zone.
 */
import { pad, wallClock } from "../../lib/dates-zh/zone.ts";

/** The calendar date of an instant in the zone, as YYYY-MM-DD (the form tasks.due is stored in). */
export function dayInZone(at: Date, timezone: string): string {
  return wallClock(at, timezone).day.format("YYYY-MM-DD");
}

/** "6月30日", with the year only when it is not the year of `today` (YYYY-MM-DD). */
export function formatDay(day: string, today: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const md = `${Number(m[2])}月${Number(m[3])}日`;
  return m[1] === today.slice(0, 4) ? md : `${m[1]}年${md}`;
}

/** "3月10日 09:00" in the zone, with the year only when it is not the year of `today`. */
export function formatMoment(at: Date, timezone: string, today: string): string {
  const w = wallClock(at, timezone);
  return `${formatDay(w.day.format("YYYY-MM-DD"), today)} ${pad(w.hour)}:${pad(w.minute)}`;
}
