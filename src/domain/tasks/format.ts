import type { ProgressReport } from "../../generated/prisma/client.ts";
import { isComplete, isCounted, isOverdue, type TaskProgress } from "./state.ts";
import { formatDay } from "./zone.ts";

/**
 * How tasks read in chat: one short line each, made for a phone screen.
 *   2.2 规范新闻发布 ▓▓▓▓▓░░░░░ 2/4 截止 6月30日 ⚠️逾期
 */

const CELLS = 10;

/** Ten cells; full only when done, so 99% never looks finished. */
export function progressBar(task: TaskProgress): string {
  const ratio = isCounted(task) ? Math.min(1, task.count / task.targetCount) : task.percent / 100;
  const filled = Math.max(0, Math.min(CELLS, Math.floor(ratio * CELLS + 1e-9)));
  return "▓".repeat(filled) + "░".repeat(CELLS - filled);
}

/** "2/4" for a counted target, "40%" otherwise. */
export function amount(task: TaskProgress): string {
  return isCounted(task) ? `${task.count}/${task.targetCount}` : `${task.percent}%`;
}

export function barWithAmount(task: TaskProgress): string {
  return `${progressBar(task)} ${amount(task)}`;
}

export function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

export interface LineTask extends TaskProgress {
  code: string;
  title: string;
  due: string | null;
}

export function taskLine(task: LineTask, today: string, opts: { supportOnly?: boolean } = {}): string {
  const parts = [
    task.code,
    shorten(task.title, 14) + (opts.supportOnly ? "（配合）" : ""),
    barWithAmount(task),
  ];
  if (task.due) parts.push(`截止 ${formatDay(task.due, today)}`);
  if (isComplete(task)) parts.push("✅");
  else if (isOverdue(task, today)) parts.push("⚠️逾期");
  return parts.join(" ");
}

const signed = (n: number) => (n >= 0 ? `+${n}` : `${n}`);

/** What one report did, in a few characters: "+1", "原 40%", "完成". */
export function changeText(report: ProgressReport): string {
  if (report.kind === "complete") return "完成";
  if (report.kind === "count") return signed(report.countAfter - report.countBefore);
  if (report.kind === "percent") {
    return report.percentBefore === report.percentAfter ? "进度不变" : `原 ${report.percentBefore}%`;
  }
  return report.note;
}
