import type { Tx } from "../../db/database.ts";
import type { TaskProgress } from "./state.ts";

export interface LockedTask extends TaskProgress {
  id: number;
}

/**
 * Reads a task's progress and holds its row until the transaction ends, so two reports at the same
 * moment apply one after the other instead of both starting from the same count.
 */
export async function lockTask(tx: Tx, taskId: number): Promise<LockedTask | undefined> {
  const rows = await tx.$queryRaw<LockedTask[]>`
    SELECT id, percent, count, target_count AS "targetCount", completed_at AS "completedAt"
    FROM tasks WHERE id = ${taskId} FOR UPDATE`;
  return rows[0];
}
