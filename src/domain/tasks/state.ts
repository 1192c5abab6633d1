/**
 * Where a task stands. Progress lives on the task row (percent, count) so boards never sum the
 * history. A task with a counted target (4 场发布会) is measured by its count, and its percent is
 * kept in step with it; any other task is measured by percent. Complete means percent 100.
 */
export interface TaskProgress {
  percent: number;
  count: number;
  targetCount: number | null;
  completedAt: Date | null;
}

export function isCounted(task: { targetCount: number | null }): task is { targetCount: number } {
  return task.targetCount !== null && task.targetCount > 0;
}

export function isComplete(task: { completedAt: Date | null }): boolean {
  return task.completedAt !== null;
}

/** The percent a counted task shows: 100 only when the target is reached. */
export function countedPercent(count: number, target: number): number {
  return count >= target ? 100 : Math.floor((count * 100) / target);
}

/** Due dates are calendar days (YYYY-MM-DD); a task is late from the day after its due date. */
export function isOverdue(task: { due: string | null; completedAt: Date | null }, today: string): boolean {
  return task.due !== null && task.completedAt === null && task.due < today;
}
