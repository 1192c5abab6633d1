import type { DbClient } from "../../db/database.ts";
import { parseWhen } from "../../lib/dates-zh/index.ts";
import { findUnit, type UnitRef } from "./units.ts";
import { dayInZone, formatDay } from "./zone.ts";

/** What an admin typed for a task's due date and owners, checked. Failures carry the reply. */
export type Checked<T> = ({ ok: true } & T) | { ok: false; message: string };

const NONE = new Set(["无", "没有", "不限", "取消", "none"]);

/** "6月30日", "2021年6月30日", "下周五"… → YYYY-MM-DD in the zone; "无" → null (no due date). */
export function readDue(
  text: string,
  opts: { now: Date; timezone: string },
): Checked<{ day: string | null; text: string }> {
  const t = text.trim();
  if (!t) return { ok: false, message: "截止后面写日期，如「截止 6月30日」。" };
  if (NONE.has(t.toLowerCase())) return { ok: true, day: null, text: "不设截止日期" };
  const when = parseWhen(t, { now: opts.now, timezone: opts.timezone, dateOnly: "allow" });
  if (!when.ok) return { ok: false, message: `截止日期「${t}」看不懂：${when.reason}` };
  const day = dayInZone(when.at, opts.timezone);
  return { ok: true, day, text: `截止 ${formatDay(day, dayInZone(opts.now, opts.timezone))}` };
}

/** Unit names or aliases → units; "无" → none. Every name must be a directory unit. */
export async function readUnits(db: DbClient, names: string[]): Promise<Checked<{ units: UnitRef[] }>> {
  if (names.length === 1 && NONE.has((names[0] ?? "").toLowerCase())) return { ok: true, units: [] };
  if (names.length === 0) return { ok: false, message: "负责、配合后面写单位简称，如「负责 宣传科」。" };
  const units: UnitRef[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const unit = await findUnit(db, name);
    if (!unit) unknown.push(name);
    else if (!units.some((u) => u.id === unit.id)) units.push(unit);
  }
  if (unknown.length) {
    return { ok: false, message: `没有叫「${unknown.join("」「")}」的单位。发「单位」查看单位简称。` };
  }
  return { ok: true, units };
}
