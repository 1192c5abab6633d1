import { formatWhen as formatWhenInZone } from "../../lib/dates-zh/index.ts";
import { kindName } from "./kinds.ts";

/** What every announcement of an event says: what, when, where, who speaks, how to sign up. */
export interface EventFacts {
  id: number;
  kind: string;
  topic: string;
  startsAt: Date;
  place: string | null;
  speaker: string | null;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// A due batch of reminders is mostly events at the same few start times; formatting through Intl
// costs a tenth of a millisecond, which thousands of reminders feel. Keyed by zone and minute.
const whenCache = new Map<string, string>();

/** "2026年12月2日（周三）14:00", remembered per minute. */
export function formatWhen(at: Date, timezone: string): string {
  const key = `${timezone}|${Math.floor(at.getTime() / MINUTE)}`;
  let text = whenCache.get(key);
  if (text === undefined) {
    if (whenCache.size >= 5_000) whenCache.clear();
    text = formatWhenInZone(at, timezone);
    whenCache.set(key, text);
  }
  return text;
}

/** A span as people say it: 7 天, 1 天 3 小时, 2 小时, 1 小时 30 分钟, 5 分钟 (days to the hour). */
export function formatSpan(ms: number): string {
  if (ms >= DAY - 30 * MINUTE) {
    const hours = Math.round(ms / HOUR);
    const d = Math.floor(hours / 24);
    const h = hours % 24;
    return h > 0 ? `${d} 天 ${h} 小时` : `${d} 天`;
  }
  const minutes = Math.max(1, Math.round(ms / MINUTE));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h > 0) return m > 0 ? `${h} 小时 ${m} 分钟` : `${h} 小时`;
  return `${m} 分钟`;
}

export function signupHint(id: number): string {
  return `回复“报名 ${id}”报名`;
}

/** 时间 / 地点 / 主讲 lines. */
export function factLines(e: EventFacts, timezone: string): string[] {
  const lines = [`时间：${formatWhen(e.startsAt, timezone)}`, `地点：${e.place ?? "待定"}`];
  if (e.speaker) lines.push(`${e.kind === "press_conference" ? "发言人" : "主讲"}：${e.speaker}`);
  return lines;
}

/** The announcement when an event is made known. */
export function newEventNotice(e: EventFacts, timezone: string): string {
  return [
    `【${kindName(e.kind)}预告】${e.topic}（#${e.id}）`,
    ...factLines(e, timezone),
    signupHint(e.id),
  ].join("\n");
}

export interface ReminderView extends EventFacts {
  signups: number;
}

/** A reminder before the start; `lateMs` set when the scheduler sends it late (after downtime). */
export function reminderNotice(e: ReminderView, now: Date, timezone: string, lateMs?: number): string {
  const late = lateMs === undefined ? "" : `（提醒晚发了 ${formatSpan(lateMs)}）`;
  const head = `【${kindName(e.kind)}提醒】${e.topic}（#${e.id}）还有 ${formatSpan(e.startsAt.getTime() - now.getTime())}开始${late}`;
  const signed = e.signups > 0 ? `已报名 ${e.signups} 人，` : "";
  return [head, ...factLines(e, timezone), `${signed}${signupHint(e.id)}`].join("\n");
}

/** `signedUp`: the copy for someone who signed up (one to one). */
export function rescheduledNotice(e: EventFacts, before: Date, timezone: string, signedUp = false): string {
  return [
    `【${kindName(e.kind)}改期】${e.topic}（#${e.id}）`,
    `原定：${formatWhen(before, timezone)}`,
    `改为：${formatWhen(e.startsAt, timezone)}`,
    `地点：${e.place ?? "待定"}`,
    ...(e.speaker ? [`${e.kind === "press_conference" ? "发言人" : "主讲"}：${e.speaker}`] : []),
    signedUp ? "你的报名仍然有效，不用重新报名。" : `已报名的不用重新报名；还没报名的${signupHint(e.id)}`,
  ].join("\n");
}

export function cancelledNotice(e: EventFacts, reason: string | null, timezone: string): string {
  return [
    `【${kindName(e.kind)}取消】${e.topic}（#${e.id}）`,
    `原定 ${formatWhen(e.startsAt, timezone)}${e.place ? `在${e.place}` : ""}举行，现已取消。`,
    ...(reason ? [`理由：${reason}`] : []),
  ].join("\n");
}
