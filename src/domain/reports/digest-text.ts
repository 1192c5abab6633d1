import { formatDay as formatWeekday, formatWhen } from "../../lib/dates-zh/index.ts";
import { kindName } from "../events/kinds.ts";
import { barWithAmount, shorten } from "../tasks/format.ts";
import { isComplete, isOverdue } from "../tasks/state.ts";
import { formatDay, formatMoment } from "../tasks/zone.ts";
import { CHANGES_DAYS, type Digest, type DigestTask, EVENTS_DAYS } from "./digest-data.ts";
import { changeText, daysBetween, ratioBar, unitLabel } from "./shared.ts";

/**
 * A digest as a chat message, made for a phone: a heading per part, one line per item, at most
 * MAX_LINES lines a part with a pointer to the command that shows the rest.
 */
export const MAX_LINES = 10;

export function isEmptyDigest(d: Digest): boolean {
  return d.tasks.length === 0 && d.changes.length === 0 && d.events.length === 0 && d.drafts.length === 0;
}

function capped(lines: string[], more: (n: number) => string): string[] {
  if (lines.length <= MAX_LINES) return lines;
  return [...lines.slice(0, MAX_LINES), more(lines.length - MAX_LINES)];
}

export function digestText(d: Digest, timezone: string): string {
  const scope = d.unit ? unitLabel(d.unit) : "全部单位";
  const lines = [`【每周汇总】${scope} · ${formatWeekday(d.now, timezone)}`];
  lines.push(...(d.unit ? unitTasks(d) : allTasks(d)));
  lines.push(...changes(d, timezone), ...overdue(d), ...events(d, timezone), ...drafts(d, timezone));
  lines.push(
    d.unit
      ? "发「任务」看全部任务，「逾期」看逾期详情，「汇总 全部」看全局。"
      : "发「任务 全部」看全部任务，「逾期」看逾期详情。",
  );
  return lines.join("\n");
}

function counts(d: Digest, tasks: DigestTask[]) {
  const done = tasks.filter(isComplete).length;
  const late = tasks.filter((t) => isOverdue(t, d.today)).length;
  return { total: tasks.length, done, late };
}

function headline(d: Digest, tasks: DigestTask[]): string {
  const c = counts(d, tasks);
  return `【任务进度】${d.planTitle ?? ""}：共 ${c.total} 项，已完成 ${c.done} 项，逾期 ${c.late} 项`;
}

function unitTasks(d: Digest): string[] {
  if (!d.planTitle) return ["【任务进度】还没有导入工作计划。"];
  if (d.tasks.length === 0) return [`【任务进度】${d.planTitle}里没有本单位的任务。`];
  const open = d.tasks.filter((t) => !isComplete(t) && !isOverdue(t, d.today));
  const lines = open.map((t) => {
    const due = t.due ? ` 截止 ${formatDay(t.due, d.today)}` : "";
    const role = t.supportOnly ? "（配合）" : "";
    return `${t.code} ${shorten(t.title, 14)}${role} ${barWithAmount(t)}${due}`;
  });
  return [headline(d, d.tasks), ...capped(lines, (n) => `…还有 ${n} 项进行中，发「任务」查看`)];
}

function allTasks(d: Digest): string[] {
  if (!d.planTitle) return ["【任务进度】还没有导入工作计划。"];
  const lines: string[] = [];
  for (const unit of d.units) {
    const led = d.tasks.filter((t) => t.leadUnitIds.includes(unit.id));
    if (led.length === 0) continue;
    const c = counts(d, led);
    lines.push(`${unitLabel(unit)} ${ratioBar(c.done, c.total)} 完成 ${c.done}/${c.total}，逾期 ${c.late}`);
  }
  const unmatched = d.tasks.filter((t) => t.leadUnitIds.length === 0);
  if (unmatched.length > 0) {
    const c = counts(d, unmatched);
    lines.push(`未对应单位 ${ratioBar(c.done, c.total)} 完成 ${c.done}/${c.total}，逾期 ${c.late}`);
  }
  return [headline(d, d.tasks), ...lines];
}

function changes(d: Digest, timezone: string): string[] {
  if (d.changes.length === 0) return [`【本周进展】近 ${CHANGES_DAYS} 天没有新的进度汇报。`];
  const lines = [...d.changes].reverse().map((c) => {
    const who = c.person ? ` ${c.person}` : "";
    const note = c.note ? `：${shorten(c.note, 20)}` : "";
    return `· ${formatMoment(c.at, timezone, d.today)} ${c.code} ${shorten(c.title, 10)} ${changeText(c)}${who}${note}`;
  });
  return [
    `【本周进展】近 ${CHANGES_DAYS} 天 ${d.changes.length} 条汇报`,
    ...capped(lines, (n) => `…更早的 ${n} 条，发「任务 编号」看记录`),
  ];
}

function overdue(d: Digest): string[] {
  const late = d.tasks.filter((t) => isOverdue(t, d.today));
  if (late.length === 0) return ["【逾期未完成】没有。"];
  const unitName = new Map(d.units.map((u) => [u.id, unitLabel(u)]));
  const lines = late.map((t) => {
    const owner = d.unit
      ? ""
      : `${t.leadUnitIds.map((id) => unitName.get(id)).join("、") || t.leadText.join("、") || "未指定"} `;
    const due = t.due ?? d.today;
    return `· ${owner}${t.code} ${shorten(t.title, 12)} ${barWithAmount(t)} 截止 ${formatDay(due, d.today)}，逾期 ${daysBetween(due, d.today)} 天`;
  });
  return [`【逾期未完成】${late.length} 项`, ...capped(lines, (n) => `…还有 ${n} 项，发「逾期」查看`)];
}

function events(d: Digest, timezone: string): string[] {
  if (d.events.length === 0) return [`【近期活动】未来 ${EVENTS_DAYS} 天没有安排。`];
  const lines = d.events.map((e) => {
    const place = e.place ? ` ${e.place}` : "";
    return `· ${formatWhen(e.startsAt, timezone).replace(/^\d{4}年/, "")} ${kindName(e.kind)}《${shorten(e.topic, 16)}》#${e.id}${place}，已报名 ${e.signups} 人`;
  });
  return [
    `【近期活动】未来 ${EVENTS_DAYS} 天 ${d.events.length} 场`,
    ...capped(lines, (n) => `…还有 ${n} 场，发「活动」查看`),
  ];
}

function drafts(d: Digest, timezone: string): string[] {
  if (d.drafts.length === 0) return ["【待审稿件】没有。"];
  const lines = d.drafts.map((r) => {
    const who = r.submitter ? ` ${r.submitter}送审` : "";
    const stage = r.stage ? `，在“${r.stage}”` : "";
    return `· #${r.id} ${r.channel}《${shorten(r.title, 16)}》${who}${stage}，截止 ${formatMoment(r.deadline, timezone, d.today)}`;
  });
  return [`【待审稿件】${d.drafts.length} 篇`, ...capped(lines, (n) => `…还有 ${n} 篇`)];
}
