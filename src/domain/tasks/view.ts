import type { DbClient } from "../../db/database.ts";
import type { TaskDetail } from "./find.ts";
import { barWithAmount } from "./format.ts";
import { type HistoryEntry, taskHistory } from "./history.ts";
import { isComplete, isCounted, isOverdue } from "./state.ts";
import { shortName } from "./units.ts";
import { formatDay, formatMoment } from "./zone.ts";

/** Enough history for a phone; older entries are counted, not listed. */
export const HISTORY_LIMIT = 50;

function owners(task: TaskDetail): string {
  const side = (units: { name: string; aliases: string[] }[], text: string[]) => {
    const known = new Set(units.flatMap((u) => [u.name, ...u.aliases]));
    const names = [...units.map(shortName), ...text.filter((t) => !known.has(t))];
    return names.length ? names.join("、") : null;
  };
  const lead = side(task.owners.lead, task.owners.leadText);
  const support = side(task.owners.support, task.owners.supportText);
  const parts = [`负责：${lead ?? "未指定"}`];
  if (support) parts.push(`配合：${support}`);
  return parts.join("；");
}

function target(task: TaskDetail): string {
  if (!isCounted(task)) return "按百分比汇报";
  const text = task.targets.find((t) => t.count === task.targetCount)?.text ?? task.targets[0]?.text;
  return text ? `${task.targetCount}（${text}）` : String(task.targetCount);
}

function entryText(e: HistoryEntry, counted: boolean, timezone: string, today: string): string {
  const r = e.report;
  const who = e.personName ?? (e.eventTopic ? `活动「${e.eventTopic}」` : "系统");
  let what: string;
  switch (r.kind) {
    case "count": {
      const d = r.countAfter - r.countBefore;
      what = `${d >= 0 ? "+" : ""}${d}${counted ? ` → ${r.countAfter}` : ""}`;
      break;
    }
    case "percent":
      what = `${r.percentBefore}% → ${r.percentAfter}%`;
      break;
    case "complete":
      what = "完成";
      break;
    default:
      what = "修改";
  }
  const note = r.note ? ` ${r.note}` : "";
  const undone = r.undoneAt ? "（已撤销）" : "";
  return `· ${formatMoment(r.createdAt, timezone, today)} ${who} ${what}${note}${undone}`;
}

/** 任务 2.2: everything about one task, its state and its history. */
export async function taskView(
  db: DbClient,
  task: TaskDetail,
  timezone: string,
  today: string,
): Promise<string> {
  const lines = [`${task.code} ${task.title}`];
  if (task.body && task.body !== task.title) lines.push(`内容：${task.body}`);
  lines.push(owners(task), `目标：${target(task)}`);
  if (task.due) lines.push(`截止：${formatDay(task.due, today)}`);
  let state = `现状：${barWithAmount(task)}`;
  if (task.completedAt && isComplete(task))
    state += ` ✅ 已完成（${formatMoment(task.completedAt, timezone, today)}）`;
  else if (isOverdue(task, today)) state += " ⚠️逾期";
  lines.push(state);
  const history = await taskHistory(db, task.id, HISTORY_LIMIT);
  if (history.entries.length === 0) {
    lines.push(`还没有人汇报。`);
  } else {
    lines.push(`进度记录（${history.entries.length + history.omitted} 条）：`);
    if (history.omitted > 0) lines.push(`· ……更早的 ${history.omitted} 条未列出`);
    const counted = isCounted(task);
    for (const e of history.entries) lines.push(entryText(e, counted, timezone, today));
  }
  return lines.join("\n");
}
