/**
 * How the dashboard writes dates, units and states. Instants are shown in the configured zone;
 * due dates are calendar days already (YYYY-MM-DD).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(at: Date, timezone: string): Record<string, string> {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      weekday: "short",
      hourCycle: "h23",
    });
    formatters.set(timezone, f);
  }
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(at)) if (p.type !== "literal") out[p.type] = p.value;
  return out;
}

const WEEKDAYS: Record<string, string> = {
  Mon: "一",
  Tue: "二",
  Wed: "三",
  Thu: "四",
  Fri: "五",
  Sat: "六",
  Sun: "日",
};

/** YYYY-MM-DD of the instant in the zone: what "today" means for due dates. */
export function dayOf(at: Date, timezone: string): string {
  const p = parts(at, timezone);
  return `${p.year}-${(p.month ?? "").padStart(2, "0")}-${(p.day ?? "").padStart(2, "0")}`;
}

/** "6月30日", with the year when it is not this year. */
export function formatDay(day: string, today: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const md = `${Number(m[2])}月${Number(m[3])}日`;
  return m[1] === today.slice(0, 4) ? md : `${m[1]}年${md}`;
}

/** "3月12日（周五）14:00" in the zone. */
export function formatMoment(at: Date, timezone: string, today: string): string {
  const p = parts(at, timezone);
  const day = formatDay(dayOf(at, timezone), today);
  return `${day}（周${WEEKDAYS[p.weekday ?? ""] ?? "?"}）${p.hour}:${p.minute}`;
}

/** The name people use in chat: the first alias (宣传科) rather than the full name. */
export function shortName(unit: { name: string; aliases: readonly string[] }): string {
  return unit.aliases[0] ?? unit.name;
}

export const EVENT_KINDS: Record<string, string> = {
  lecture: "讲座",
  press_conference: "发布会",
  event: "活动",
};
export const EVENT_STATES: Record<string, string> = {
  scheduled: "待举办",
  cancelled: "已取消",
  held: "已举办",
};
export const DRAFT_STATES: Record<string, string> = {
  pending: "审批中",
  approved: "已通过",
  rejected: "已驳回",
  withdrawn: "已撤回",
  expired: "已过期",
  published: "已发布",
};
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
