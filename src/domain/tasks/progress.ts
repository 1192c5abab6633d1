import type { DbClient, Tx } from "../../db/database.ts";
import type { ProgressReport } from "../../generated/prisma/client.ts";
import { applyChange, completedAtAfter, type ProgressChange, type Refusal } from "./rules.ts";
import type { TaskProgress } from "./state.ts";
import { lockTask } from "./task-lock.ts";
import { canRetryOutside, inTransaction } from "./transaction.ts";

export interface ProgressInput {
  taskId: number;
  /** null for reports the system makes (a held event). */
  personId: number | null;
  /** A held event counts toward its task: such a report is a fact and is never refused for its size. */
  eventId?: number;
  kind: "percent" | "count" | "complete";
  /** kind "percent": the new percent, 0–100. */
  percent?: number;
  /** kind "count": how many more (negative: fewer, needs a note); kind "complete": how many more on the way. */
  delta?: number;
  /** Why; going backwards needs one. */
  note: string;
  /** With messageId: the platform message that reported it. A message reports at most once. */
  platform?: string;
  messageId?: string;
  at: Date;
}

export interface TaskState extends TaskProgress {
  taskId: number;
}

export type ProgressResult =
  /** duplicate: the message had reported already; `report` is that first report and nothing changed. */
  { ok: true; duplicate: boolean; task: TaskState; report: ProgressReport } | { ok: false; refusal: Refusal };

function toChange(input: ProgressInput): ProgressChange {
  switch (input.kind) {
    case "percent":
      return { kind: "percent", percent: input.percent ?? Number.NaN };
    case "count":
      return { kind: "count", delta: input.delta ?? 1 };
    case "complete":
      return { kind: "complete", delta: input.delta ?? 0 };
  }
}

export async function currentState(db: DbClient, taskId: number): Promise<TaskState | undefined> {
  const t = await db.task.findUnique({
    where: { id: taskId },
    select: { id: true, percent: true, count: true, targetCount: true, completedAt: true },
  });
  if (!t) return undefined;
  return {
    taskId: t.id,
    percent: t.percent,
    count: t.count,
    targetCount: t.targetCount,
    completedAt: t.completedAt,
  };
}

/** The report a chat message already made: a re-delivered message must not count twice. */
export async function reportByMessage(
  db: DbClient,
  input: { platform?: string; messageId?: string },
): Promise<ProgressReport | null> {
  if (!input.platform || !input.messageId) return null;
  return db.progressReport.findUnique({
    where: { platform_messageId: { platform: input.platform, messageId: input.messageId } },
  });
}

async function asDuplicate(db: DbClient, report: ProgressReport): Promise<ProgressResult> {
  const task = await currentState(db, report.taskId);
  if (!task) return { ok: false, refusal: { code: "task_not_found" } };
  return { ok: true, duplicate: true, task, report };
}

async function record(tx: Tx, input: ProgressInput): Promise<ProgressResult> {
  const locked = await lockTask(tx, input.taskId);
  if (!locked) return { ok: false, refusal: { code: "task_not_found" } };
  // Checked again under the lock: a second copy of the message may have been waiting for it.
  const prior = await reportByMessage(tx, input);
  if (prior) return asDuplicate(tx, prior);

  const note = input.note.trim();
  const outcome = applyChange(locked, toChange(input), {
    hasNote: note.length > 0,
    fact: input.eventId !== undefined,
  });
  if (!outcome.ok) return outcome;
  const { next } = outcome;
  const completedAt = completedAtAfter(locked, next, input.at);
  const report = await tx.progressReport.create({
    data: {
      taskId: locked.id,
      personId: input.personId,
      eventId: input.eventId ?? null,
      kind: input.kind,
      percentBefore: locked.percent,
      percentAfter: next.percent,
      countBefore: locked.count,
      countAfter: next.count,
      note,
      platform: input.messageId ? (input.platform ?? null) : null,
      messageId: input.platform ? (input.messageId ?? null) : null,
      createdAt: input.at,
    },
  });
  await tx.task.update({
    where: { id: locked.id },
    data: { percent: next.percent, count: next.count, completedAt, updatedAt: input.at },
  });
  return {
    ok: true,
    duplicate: false,
    report,
    task: { taskId: locked.id, ...next, targetCount: locked.targetCount, completedAt },
  };
}

/**
 * Records one progress report and moves the task's state, or says why not (see rules.ts). The task
 * row is locked for the change, so simultaneous reports all count. Given a transaction client it
 * runs inside the caller's transaction (events mark themselves held and count in one step).
 *
 * A message (platform + messageId) reports once: its re-delivery returns the first report with
 * `duplicate: true` and changes nothing.
 */
export async function recordProgress(db: DbClient, input: ProgressInput): Promise<ProgressResult> {
  const prior = await reportByMessage(db, input);
  if (prior) return asDuplicate(db, prior);
  try {
    return await inTransaction(db, (tx) => record(tx, input));
  } catch (err) {
    // Two copies of one message reporting on different tasks at once: the unique index kept one.
    const winner = canRetryOutside(db, err) ? await reportByMessage(db, input) : null;
    if (winner) return asDuplicate(db, winner);
    throw err;
  }
}
