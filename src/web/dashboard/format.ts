/**
 * How the dashboard writes dates, units and states. Instants are shown in the configured zone;
 * due dates are calendar days already (YYYY-MM-DD).
 */

import { formatDay } from "../../domain/tasks/zone.ts";
import { WEEKDAY_NAMES } from "../../lib/dates-zh/tables.ts";
import { isoWeekday, pad, wallClock } from "../../lib/dates-zh/zone.ts";

/**
 * "3月12日（周五）14:00" in the zone: the domain's formatMoment ("3月12日 14:00") with the weekday,
 * which a page read at a glance needs more than a chat line does.
 */
export function formatMomentWithWeekday(at: Date, timezone: string, today: string): string {
  const w = wallClock(at, timezone);
  const day = formatDay(w.day.format("YYYY-MM-DD"), today);
  return `${day}（${WEEKDAY_NAMES[isoWeekday(w.day) - 1]}）${pad(w.hour)}:${pad(w.minute)}`;
}

export const OUTBOX_STATES: Record<string, string> = {
  queued: "排队中",
  sending: "发送中",
  sent: "已发送",
  failed: "发送失败",
  rerouted: "已改道",
};

/** Where a local chat is: "宣传科工作群" or "私聊 张三". */
export function chatLabel(chatId: string, groupNames: ReadonlyMap<string, string>): string {
  if (chatId.startsWith("dm:")) return `私聊 ${chatId.slice(3)}`;
  return groupNames.get(chatId) ?? chatId.replace(/^group:/, "");
}
