import { wallClock } from "../../lib/dates-zh/zone.ts";

/**
 * Table cells of the reports. Values stay what they are (numbers, instants) until a format writes
 * them: the .xlsx keeps numbers as numbers, the text formats use cellText.
 *   int      whole number
 *   share    0…1, shown as a percentage (完成率)
 *   percent  0…100, a task's progress
 *   hours    decimal hours
 *   day      a calendar day, YYYY-MM-DD
 *   time     an instant, shown in the bot's zone
 *   byRow    the part's rowTypes say
 */
export type CellType = "text" | "int" | "share" | "percent" | "hours" | "day" | "time" | "byRow";
export type CellValue = string | number | Date | null;

export interface Column {
  header: string;
  type: CellType;
  width: number;
}

export function formatShare(v: number): string {
  return `${(Math.round(v * 1000) / 10).toFixed(1)}%`;
}

/** "2021-07-05" → "2021年7月5日" */
export function chineseDate(ymd: string): string {
  const [y, m, d] = ymd.split("-").map(Number);
  return `${y}年${m}月${d}日`;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "2021-06-30 14:05" in the zone. */
export function formatInstant(at: Date, timezone: string): string {
  const w = wallClock(at, timezone);
  return `${w.day.format("YYYY-MM-DD")} ${pad(w.hour)}:${pad(w.minute)}`;
}

/** The same wall clock as a Date whose UTC fields show it: spreadsheet cells have no zone. */
export function wallDate(at: Date, timezone: string): Date {
  const w = wallClock(at, timezone);
  return new Date(w.day.valueOf() + ((w.hour * 60 + w.minute) * 60 + w.second) * 1000);
}

export function cellType(
  part: { columns: Column[]; rowTypes?: CellType[] },
  row: number,
  col: number,
): CellType {
  const t = part.columns[col]?.type ?? "text";
  return t === "byRow" ? (part.rowTypes?.[row] ?? "text") : t;
}

export function cellText(value: CellValue, type: CellType, timezone: string): string {
  if (value === null || value === "") return "";
  if (value instanceof Date) return formatInstant(value, timezone);
  if (typeof value === "string") return value;
  switch (type) {
    case "share":
      return formatShare(value);
    case "percent":
      return `${value}%`;
    case "hours":
      return value.toFixed(1);
    default:
      return String(value);
  }
}
