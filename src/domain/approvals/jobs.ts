import type { DomainSettings } from "../../bot/command.ts";
import type { DbClient } from "../../db/database.ts";
import { cancelJobs, type JobSpec, scheduleJobs } from "../schedule.ts";

export const JOB_REMIND = "approval.remind";
export const JOB_ESCALATE = "approval.escalate";
export const JOB_EXPIRE = "approval.expire";

/**
 * Keys carry draft, version and stage (`approval:12:v2:s0:remind:a7200000`), so the reminders of an
 * older version or a passed stage can be cancelled by prefix and never fire. The trailing colon keeps
 * `approval:1:` from matching draft 12.
 */
export const draftKeys = (id: number) => `approval:${id}:`;
export const stageKeys = (id: number, version: number, stage: number) =>
  `approval:${id}:v${version}:s${stage}:`;

export interface StagePayload {
  draftId: number;
  version: number;
  stage: number;
}

interface Planned {
  id: number;
  version: number;
  stage: number;
  deadline: Date;
}

/**
 * Reminders for the stage that starts at `start`: after each approvalRemindAfter offset and before
 * the deadline by each approvalRemindBeforeDeadline offset (only those between start and deadline,
 * one per instant), then the admins at the last reminder.
 */
export function stageJobs(d: Planned, start: Date, settings: DomainSettings): JobSpec[] {
  const payload = { draftId: d.id, version: d.version, stage: d.stage } satisfies StagePayload;
  const prefix = stageKeys(d.id, d.version, d.stage);
  const candidates = [
    ...settings.approvalRemindAfter.map((ms) => ({ tag: `a${ms}`, at: start.getTime() + ms })),
    ...settings.approvalRemindBeforeDeadline.map((ms) => ({ tag: `b${ms}`, at: d.deadline.getTime() - ms })),
  ].filter((c) => c.at > start.getTime() && c.at < d.deadline.getTime());
  const seen = new Set<number>();
  const specs: JobSpec[] = [];
  for (const c of candidates.sort((x, y) => x.at - y.at)) {
    if (seen.has(c.at)) continue;
    seen.add(c.at);
    specs.push({ kind: JOB_REMIND, key: `${prefix}remind:${c.tag}`, runAt: new Date(c.at), payload });
  }
  const last = specs.at(-1);
  if (last) specs.push({ kind: JOB_ESCALATE, key: `${prefix}escalate`, runAt: last.runAt, payload });
  return specs;
}

export function expiryJob(d: Planned): JobSpec {
  return {
    kind: JOB_EXPIRE,
    key: `approval:${d.id}:v${d.version}:expire`,
    runAt: d.deadline,
    payload: { draftId: d.id, version: d.version, stage: d.stage } satisfies StagePayload,
  };
}

/** A version starts (submission, edit): its first stage's reminders and its expiry. */
export async function planVersion(
  db: DbClient,
  d: Planned,
  now: Date,
  settings: DomainSettings,
): Promise<void> {
  await cancelJobs(db, draftKeys(d.id), now);
  await scheduleJobs(db, [...stageJobs(d, now, settings), expiryJob(d)], now);
}

/** The draft moved to its next stage: the passed stage's reminders go, the new stage's come. */
export async function planNextStage(
  db: DbClient,
  d: Planned,
  passed: number,
  now: Date,
  settings: DomainSettings,
): Promise<void> {
  await cancelJobs(db, stageKeys(d.id, d.version, passed), now);
  await scheduleJobs(db, stageJobs(d, now, settings), now);
}

/** Decided, withdrawn: nothing more is due. */
export async function cancelDraftJobs(db: DbClient, id: number, now: Date): Promise<void> {
  await cancelJobs(db, draftKeys(id), now);
}
