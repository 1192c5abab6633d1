import dayjs, { type Dayjs } from "dayjs";
import timezonePlugin from "dayjs/plugin/timezone.js";
import utcPlugin from "dayjs/plugin/utc.js";

dayjs.extend(utcPlugin);
dayjs.extend(timezonePlugin);

/**
 * Calendar days are dayjs values in UTC mode at midnight: adding days and reading the weekday then
 * never touches the machine's zone. Only the two functions below cross between instants and a zone.
 */
export type Day = Dayjs;

export interface WallClock {
  day: Day;
  hour: number;
  minute: number;
  second: number;
  /** Minutes east of UTC at that instant in that zone. */
  offset: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, f);
  }
  return f;
}

/**
 * The wall clock of an instant in a zone. Read through Intl rather than dayjs's `.tz()`, which
 * re-parses the wall time in the machine's zone and is an hour off around the machine's DST switch
 * (2021-03-14 02:30 in Shanghai came out as 03:30 under TZ=America/New_York).
 */
export function wallClock(at: Date, zone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(at)) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const day = dayjs.utc(Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1));
  const hour = parts.hour ?? 0;
  const minute = parts.minute ?? 0;
  const second = parts.second ?? 0;
  const asUtc = day.valueOf() + ((hour * 60 + minute) * 60 + second) * 1000;
  const offset = Math.round((asUtc - (at.getTime() - at.getUTCMilliseconds())) / 60_000);
  return { day, hour, minute, second, offset };
}

/** The instant at which the zone's clock shows this day and time (hour 24 is the next midnight). */
export function atWallTime(day: Day, hour: number, minute: number, zone: string, second = 0): Date {
  const d = hour === 24 ? day.add(1, "day") : day;
  const h = hour === 24 ? 0 : hour;
  const text = `${d.format("YYYY-MM-DD")} ${pad(h)}:${pad(minute)}:${pad(second)}`;
  return dayjs.tz(text, zone).toDate();
}

/** "2021-03-10 09:00[:00]" read as the zone's wall clock. */
export function parseWallTime(text: string, zone: string): Date {
  return dayjs.tz(text, zone).toDate();
}

/** A calendar day from numbers; undefined when the date does not exist (2月30日). */
export function calendarDay(year: number, month: number, date: number): Day | undefined {
  if (month < 1 || month > 12 || date < 1 || date > 31) return undefined;
  const d = dayjs.utc(Date.UTC(year, month - 1, date));
  return d.month() === month - 1 && d.date() === date ? d : undefined;
}

export function dayFromYmd(ymd: string): Day | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  return m ? calendarDay(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}

export function isZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** ISO weekday: Monday 1 … Sunday 7. */
export function isoWeekday(day: Day): number {
  return day.day() === 0 ? 7 : day.day();
}

export function pad(n: number): string {
  return String(n).padStart(2, "0");
}
