import type { DomainSettings } from "../bot/command.ts";
import type { DbClient, Tx } from "../db/database.ts";
import type { Notice } from "./notice.ts";

/**
 * Work for later, as rows: a reminder, an announcement, an expiry. Domain code plans jobs here (in
 * its own transaction, next to the change that caused them); src/jobs/scheduler.ts owns the timer,
 * claims due jobs with a lease and runs the handler registered for their kind.
 *
 * A key names one (job, fire time), e.g. `event:5:r2:remind:86400000`. A key runs at most once:
 * scheduling a key that is pending moves it, one that is done stays done, one that was cancelled
 * comes back. Replanning = cancel the old prefix, schedule the new keys.
 */
export interface JobSpec {
  kind: string;
  key: string;
  runAt: Date;
  payload: Record<string, unknown>;
}

export interface DueJob {
  id: bigint;
  kind: string;
  key: string;
  runAt: Date;
  payload: Record<string, unknown>;
  attempts: number;
}

/** `skipped`: nothing to do any more (the event is over, the draft was decided); `note` says why. */
export interface JobOutcome {
  status: "done" | "skipped";
  notices?: Notice[];
  note?: string;
  /** More jobs this one causes (an escalation after a reminder); scheduled in the same transaction. */
  followUps?: JobSpec[];
}

export interface JobContext {
  /** The transaction the outcome is committed in: write through it, so a crash leaves both or neither. */
  tx: Tx;
  /** When the scheduler took the batch (jobs may be late after downtime: compare with job.runAt). */
  now: Date;
  timezone: string;
  settings: DomainSettings;
}

/** Runs a batch of due jobs of one kind; returns one outcome per job, in order. */
export type JobHandler = (jobs: DueJob[], ctx: JobContext) => Promise<JobOutcome[]>;

/** Adapts a one-job handler to the batch signature. */
export function eachJob(run: (job: DueJob, ctx: JobContext) => Promise<JobOutcome>): JobHandler {
  return async (jobs, ctx) => {
    const out: JobOutcome[] = [];
    for (const job of jobs) out.push(await run(job, ctx));
    return out;
  };
}

const CHUNK = 1_000;

export async function scheduleJobs(db: DbClient, specs: readonly JobSpec[], now: Date): Promise<void> {
  for (let i = 0; i < specs.length; i += CHUNK) {
    const chunk = specs.slice(i, i + CHUNK);
    const kinds = chunk.map((s) => s.kind);
    const keys = chunk.map((s) => s.key);
    const runAts = chunk.map((s) => s.runAt.toISOString());
    const payloads = chunk.map((s) => JSON.stringify(s.payload));
    await db.$executeRaw`
      INSERT INTO scheduled_jobs (kind, key, run_at, payload, status, created_at)
      SELECT k, key, r::timestamptz, p::jsonb, 'pending', ${now}
        FROM unnest(${kinds}::text[], ${keys}::text[], ${runAts}::text[], ${payloads}::text[]) AS t(k, key, r, p)
      ON CONFLICT (key) DO UPDATE
         SET run_at = EXCLUDED.run_at, payload = EXCLUDED.payload, status = 'pending',
             attempts = 0, locked_until = NULL, last_error = NULL, done_at = NULL
       WHERE scheduled_jobs.status IN ('pending', 'cancelled')`;
  }
}

/**
 * Cancels the pending jobs whose key starts with `prefix`; returns how many. A job the scheduler is
 * running at this moment is skipped rather than waited for: the scheduler locks job rows before the
 * handler locks domain rows, and a command cancels while holding its domain row, so waiting could
 * deadlock. Handlers therefore re-check the domain state (a rescheduled event, a decided draft) and
 * skip a job that no longer applies.
 */
export async function cancelJobs(db: DbClient, prefix: string, now: Date): Promise<number> {
  const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db.$executeRaw`
    UPDATE scheduled_jobs SET status = 'cancelled', done_at = ${now}, locked_until = NULL
     WHERE id IN (
       SELECT id FROM scheduled_jobs WHERE status = 'pending' AND key LIKE ${pattern}
          FOR UPDATE SKIP LOCKED)`;
}
