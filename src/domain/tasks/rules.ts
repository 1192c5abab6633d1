import { countedPercent, isComplete, isCounted, type TaskProgress } from "./state.ts";

/**
 * The rules of a progress report, apart from any database: what a report may change, and why it is
 * refused otherwise. Refusals carry what a reply needs to explain them.
 */
export type ProgressChange =
  | { kind: "percent"; percent: number }
  | { kind: "count"; delta: number }
  /** Done. `delta` counts more on the way ("+1 完成"), and may pass the target. */
  | { kind: "complete"; delta?: number };

export type Refusal =
  | { code: "task_not_found" }
  /** A percent on a task measured by its count. */
  | { code: "counted_task" }
  /** A count on a task without a counted target. */
  | { code: "not_counted" }
  | { code: "percent_range"; percent: number }
  | { code: "zero_delta" }
  /** Lower than now without a reason. */
  | { code: "backwards" }
  | { code: "below_zero" }
  | { code: "over_target"; target: number; delta: number }
  | { code: "already_complete" };

export interface ChangeContext {
  /** The report says why (a note); going backwards needs one. */
  hasNote: boolean;
  /**
   * The report states a fact the system saw (a held event), not a number someone typed: it is never
   * refused for passing the target, and on a task without a counted target it still counts.
   */
  fact: boolean;
}

export interface ProgressValues {
  percent: number;
  count: number;
}

export type ChangeOutcome = { ok: true; next: ProgressValues } | { ok: false; refusal: Refusal };

const refuse = (refusal: Refusal): ChangeOutcome => ({ ok: false, refusal });

function withCount(task: TaskProgress, count: number): ProgressValues {
  return { count, percent: isCounted(task) ? countedPercent(count, task.targetCount) : task.percent };
}

export function applyChange(task: TaskProgress, change: ProgressChange, ctx: ChangeContext): ChangeOutcome {
  switch (change.kind) {
    case "percent": {
      if (isCounted(task) && !ctx.fact) return refuse({ code: "counted_task" });
      const p = change.percent;
      if (!Number.isInteger(p) || p < 0 || p > 100) return refuse({ code: "percent_range", percent: p });
      if (p < task.percent && !ctx.hasNote) return refuse({ code: "backwards" });
      return { ok: true, next: { percent: p, count: task.count } };
    }
    case "count": {
      const d = change.delta;
      if (!isCounted(task) && !ctx.fact) return refuse({ code: "not_counted" });
      if (!Number.isInteger(d) || d === 0) return refuse({ code: "zero_delta" });
      if (d < 0 && !ctx.hasNote) return refuse({ code: "backwards" });
      if (task.count + d < 0) return refuse({ code: "below_zero" });
      if (isCounted(task) && task.count + d > task.targetCount && !ctx.fact) {
        return refuse({ code: "over_target", target: task.targetCount, delta: d });
      }
      return { ok: true, next: withCount(task, task.count + d) };
    }
    case "complete": {
      const d = change.delta ?? 0;
      if (!Number.isInteger(d) || d < 0) return refuse({ code: "zero_delta" });
      if (d > 0 && !isCounted(task) && !ctx.fact) return refuse({ code: "not_counted" });
      if (d === 0 && isComplete(task)) return refuse({ code: "already_complete" });
      const count = isCounted(task) ? Math.max(task.count + d, task.targetCount) : task.count + d;
      return { ok: true, next: { percent: 100, count } };
    }
  }
}

/** completedAt after a change: kept while the task stays complete, set when it becomes so. */
export function completedAtAfter(task: TaskProgress, next: ProgressValues, at: Date): Date | null {
  if (next.percent < 100) return null;
  return task.completedAt ?? at;
}
