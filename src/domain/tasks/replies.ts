import type { ProgressReport } from "../../generated/prisma/client.ts";
import type { TaskDetail } from "./find.ts";
import { amount, changeText, progressBar, shorten } from "./format.ts";
import { ownerNames } from "./permissions.ts";
import type { ProgressChange, Refusal } from "./rules.ts";
import { isCounted, type TaskProgress } from "./state.ts";

/** The Chinese sentences of progress reporting, shared by 进度, 撤销 and the task view. */

type TaskHead = Pick<TaskDetail, "code" | "title" | "targetCount">;

function afterReport(task: TaskHead, report: ProgressReport): TaskProgress {
  return {
    percent: report.percentAfter,
    count: report.countAfter,
    targetCount: task.targetCount,
    completedAt: report.percentAfter >= 100 ? report.createdAt : null,
  };
}

/** "2.2 规范新闻发布：2/4 ▓▓▓▓▓░░░░░（+1，张三）", built from the stored report so a repeat reads the same. */
export function confirmation(task: TaskHead, report: ProgressReport, personName: string): string {
  const after = afterReport(task, report);
  const done = after.percent >= 100 ? " ✅" : "";
  return `${task.code} ${shorten(task.title, 14)}：${amount(after)} ${progressBar(after)}${done}（${changeText(report)}，${personName}）`;
}

export function whoCanReport(task: TaskDetail): string {
  const names = ownerNames(task.owners);
  if (names.length === 0) {
    return `${task.code} 还没有指定负责单位，只有管理员可以汇报。管理员可以发「任务 ${task.code} 负责 单位名」指定。`;
  }
  return `只有 ${names.join("、")} 的同事或管理员可以汇报 ${task.code} 的进度。`;
}

export function reportHowTo(task: TaskDetail): string {
  return isCounted(task)
    ? `这样汇报：「进度 ${task.code} +1 说明」，全部做完发「进度 ${task.code} 完成」。`
    : `这样汇报：「进度 ${task.code} 60% 说明」，做完了发「进度 ${task.code} 完成」。`;
}

function typed(change: ProgressChange): string {
  switch (change.kind) {
    case "percent":
      return `${change.percent}%`;
    case "count":
      return change.delta >= 0 ? `+${change.delta}` : `${change.delta}`;
    case "complete":
      return change.delta ? `+${change.delta} 完成` : "完成";
  }
}

export function refusalText(refusal: Refusal, task: TaskDetail, change: ProgressChange): string {
  const c = task.code;
  const now = amount(task);
  switch (refusal.code) {
    case "task_not_found":
      return `任务 ${c} 不存在了。发「任务」查看任务编号。`;
    case "counted_task":
      return `${c} 按次数计（现在 ${now}），不用百分比。完成一次发「进度 ${c} +1 说明」，全部做完发「进度 ${c} 完成」。`;
    case "not_counted":
      return `${c} 没有计数目标，请用百分比汇报，如「进度 ${c} 60% 说明」。`;
    case "percent_range":
      return `百分比写 0 到 100 的整数。做完了请发「进度 ${c} 完成」。`;
    case "zero_delta":
      return `「${typed(change)}」不会改变进度。完成一次发「进度 ${c} +1 说明」。`;
    case "backwards":
      return `${c} 现在是 ${now}，改成「${typed(change)}」是往回调，请写明原因，如「进度 ${c} ${typed(change)} 原因」。`;
    case "below_zero":
      return `${c} 现在是 ${now}，不能再减了。`;
    case "over_target": {
      const d = refusal.delta;
      const over = `${c} 的目标是 ${refusal.target}，现在 ${now}，+${d} 会超过目标。确实超额完成请发「进度 ${c} +${d} 完成 说明」`;
      return task.count >= refusal.target ? `${over}。` : `${over}；只是做完了发「进度 ${c} 完成」。`;
    }
    case "already_complete":
      return `${c} 已经完成了（${now} ✅）。`;
  }
}
