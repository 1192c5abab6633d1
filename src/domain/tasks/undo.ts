import type { DbClient, Tx } from "../../db/database.ts";
import type { ProgressReport } from "../../generated/prisma/client.ts";
import { currentState, reportByMessage, type TaskState } from "./progress.ts";
import { countedPercent, isCounted } from "./state.ts";
import { lockTask } from "./task-lock.ts";
import { canRetryOutside, inTransaction } from "./transaction.ts";

/** How long a person may take back their own report. */
export const UNDO_WINDOW_MS = 10 * 60_000;

/** Kinds of report a person makes and may undo (edits by admins and undos themselves are not). */
export const UNDOABLE_KINDS = ["percent", "count", "complete"];

export interface UndoInput {
  personId: number;
  platform?: string;
  messageId?: string;
  at: Date;
}

/** `code` is the task's code (2.2) the report was about, as replies name it. */
export type UndoResult =
  | { ok: true; duplicate: boolean; undone: ProgressReport; task: TaskState; code: string }
  | { ok: false; reason: "nothing" }
  | { ok: false; reason: "too_late"; report: ProgressReport; code: string }
  /**
   * Someone reported a percent on the same task since: restoring the old percent would erase theirs.
   * `sinceBy` is their name; null when no person in the directory made it (the system, or someone
   * since removed).
   */
  | {
      ok: false;
      reason: "reported_since";
      report: ProgressReport;
      code: string;
      since: ProgressReport;
      sinceBy: string | null;
    };

// The undo itself is a report row (kind "undo"): it keeps the message id, so a re-delivered 撤销
// does not take back a second report, and it names the report it took back.
const undoNote = (id: bigint) => `undo:${id}`;

async function taskCode(db: DbClient, taskId: number): Promise<string | undefined> {
  return (await db.task.findUnique({ where: { id: taskId }, select: { code: true } }))?.code;
}

async function personName(db: DbClient, personId: number | null): Promise<string | null> {
  if (personId === null) return null;
  return (await db.person.findUnique({ where: { id: personId }, select: { name: true } }))?.name ?? null;
}

async function replay(db: DbClient, undoRow: ProgressReport): Promise<UndoResult> {
  const id = /^undo:(\d+)$/.exec(undoRow.note)?.[1];
  const undone = id ? await db.progressReport.findUnique({ where: { id: BigInt(id) } }) : null;
  if (!undone) return { ok: false, reason: "nothing" };
  // Reports cascade with their task: a report found means its task is there.
  const task = await currentState(db, undone.taskId);
  const code = await taskCode(db, undone.taskId);
  if (!task || code === undefined) return { ok: false, reason: "nothing" };
  return { ok: true, duplicate: true, undone, task, code };
}

async function undo(tx: Tx, input: UndoInput): Promise<UndoResult> {
  const prior = await reportByMessage(tx, input);
  if (prior) return replay(tx, prior);
  const last = await tx.progressReport.findFirst({
    where: { personId: input.personId, undoneAt: null, kind: { in: UNDOABLE_KINDS } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  if (!last) return { ok: false, reason: "nothing" };
  const code = await taskCode(tx, last.taskId);
  if (code === undefined) return { ok: false, reason: "nothing" };
  if (input.at.getTime() - last.createdAt.getTime() > UNDO_WINDOW_MS) {
    return { ok: false, reason: "too_late", report: last, code };
  }
  const task = await lockTask(tx, last.taskId);
  if (!task) return { ok: false, reason: "nothing" };
  // Under the lock: a concurrent 撤销 of the same report may have just finished.
  const fresh = await tx.progressReport.findUnique({ where: { id: last.id } });
  if (!fresh || fresh.undoneAt) return undo(tx, input);

  const countDelta = last.countAfter - last.countBefore;
  const count = Math.max(0, task.count - countDelta);
  let percent: number;
  if (isCounted(task)) {
    // Counts add up in any order, so later reports by others survive taking this one back.
    percent = countedPercent(count, task.targetCount);
  } else {
    const since = await tx.progressReport.findFirst({
      where: {
        taskId: last.taskId,
        undoneAt: null,
        kind: { in: UNDOABLE_KINDS },
        OR: [{ createdAt: { gt: last.createdAt } }, { createdAt: last.createdAt, id: { gt: last.id } }],
      },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    if (since) {
      const sinceBy = await personName(tx, since.personId);
      return { ok: false, reason: "reported_since", report: last, code, since, sinceBy };
    }
    percent = last.percentBefore;
  }
  const completedAt = percent >= 100 ? (task.completedAt ?? input.at) : null;
  const undone = await tx.progressReport.update({ where: { id: last.id }, data: { undoneAt: input.at } });
  await tx.progressReport.create({
    data: {
      taskId: task.id,
      personId: input.personId,
      kind: "undo",
      percentBefore: task.percent,
      percentAfter: percent,
      countBefore: task.count,
      countAfter: count,
      note: undoNote(last.id),
      platform: input.messageId ? (input.platform ?? null) : null,
      messageId: input.platform ? (input.messageId ?? null) : null,
      createdAt: input.at,
    },
  });
  await tx.task.update({
    where: { id: task.id },
    data: { percent, count, completedAt, updatedAt: input.at },
  });
  return {
    ok: true,
    duplicate: false,
    undone,
    task: { taskId: task.id, percent, count, targetCount: task.targetCount, completedAt },
    code,
  };
}

/**
 * Takes back the person's own latest report if it is at most UNDO_WINDOW_MS old, restoring the
 * task. The report stays in the history, marked undone.
 */
export async function undoLastReport(db: DbClient, input: UndoInput): Promise<UndoResult> {
  try {
    return await inTransaction(db, (tx) => undo(tx, input));
  } catch (err) {
    const winner = canRetryOutside(db, err) ? await reportByMessage(db, input) : null;
    if (winner) return replay(db, winner);
    throw err;
  }
}
