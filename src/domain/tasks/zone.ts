/**
 * Calendar dates and clock times in the configured zone. Instants are stored in UTC; what a person
 * reads ("截止 6月30日", "3月10日 09:00") and what "overdue" means depend on the zone.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

// Creating a DateTimeFormat costs far more than using one; boards format hundreds of dates.
function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone: timezone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timezone, f);
  }
  return f;
}

interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function zoned(at: Date, timezone: string): ZonedParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(timezone).formatToParts(at))
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
  };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The calendar date of an instant in the zone, as YYYY-MM-DD (the form tasks.due is stored in). */
export function dayInZone(at: Date, timezone: string): string {
  const z = zoned(at, timezone);
  return `${z.year}-${pad(z.month)}-${pad(z.day)}`;
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
  const z = zoned(at, timezone);
  return `${formatDay(`${z.year}-${pad(z.month)}-${pad(z.day)}`, today)} ${pad(z.hour)}:${pad(z.minute)}`;
}
