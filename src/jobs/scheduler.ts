import { noticeMessage } from "../bot/bot.ts";
import type { DomainSettings } from "../bot/command.ts";
import type { Db, Tx } from "../db/database.ts";
import type { DueJob, JobHandler, JobOutcome } from "../domain/schedule.ts";
import { scheduleJobs } from "../domain/schedule.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import type { NoticeRouter } from "../platforms/notices.ts";
import type { Outbox } from "./outbox.ts";

/**
 * The scheduler: the one owner of timers in the process. It claims due jobs in batches with a lease
 * (PostgreSQL: FOR UPDATE SKIP LOCKED, so replicas take different rows), runs the handler of their
 * kind, and commits the outcome, the outbox rows of its notices and the follow-up jobs in one
 * transaction that also checks the lease is still ours: a (job, fire time) runs once, even when a
 * replica stalls past its lease or the process dies half-way through a batch.
 */
export interface SchedulerOptions {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  router: NoticeRouter;
  handlers: Record<string, JobHandler>;
  timezone: string;
  settings: DomainSettings;
  logger: Logger;
  /** Called after notices were queued, so the outbox worker looks at once. */
  onQueued?: () => void;
  leaseMs?: number;
  batchSize?: number;
  maxAttempts?: number;
}

interface RawJob {
  id: bigint;
  kind: string;
  key: string;
  run_at: Date;
  payload: unknown;
  attempts: number;
}

export class Scheduler {
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly maxAttempts: number;

  constructor(private readonly opts: SchedulerOptions) {
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.batchSize = opts.batchSize ?? 500;
    this.maxAttempts = opts.maxAttempts ?? 5;
  }

  /** The earliest pending job (or a lease that ran out), for the loop's timer. */
  async nextDue(): Promise<Date | undefined> {
    const rows = await this.opts.db.$queryRaw<{ at: Date | null }[]>`
      SELECT min(GREATEST(run_at, COALESCE(locked_until, run_at))) AS at
        FROM scheduled_jobs WHERE status = 'pending'`;
    return rows[0]?.at ?? undefined;
  }

  /** One batch: claims, runs and commits due jobs. Returns how many it took (0: nothing due). */
  async step(): Promise<number> {
    const now = this.opts.clock.now();
    const lease = new Date(now.getTime() + this.leaseMs);
    const claimed = await this.opts.db.$queryRaw<RawJob[]>`
      UPDATE scheduled_jobs SET locked_until = ${lease}, attempts = attempts + 1
       WHERE id IN (
         SELECT id FROM scheduled_jobs
          WHERE status = 'pending' AND run_at <= ${now}
            AND (locked_until IS NULL OR locked_until <= ${now})
          ORDER BY run_at, id LIMIT ${this.batchSize}
          FOR UPDATE SKIP LOCKED)
      RETURNING id, kind, key, run_at, payload, attempts`;
    if (claimed.length === 0) return 0;
    const byKind = new Map<string, DueJob[]>();
    for (const r of claimed) {
      const job: DueJob = {
        id: r.id,
        kind: r.kind,
        key: r.key,
        runAt: r.run_at,
        payload: (r.payload ?? {}) as Record<string, unknown>,
        attempts: r.attempts,
      };
      byKind.set(job.kind, [...(byKind.get(job.kind) ?? []), job]);
    }
    for (const [kind, jobs] of byKind) await this.runKind(kind, jobs, now, lease);
    return claimed.length;
  }

  /** Runs everything due now, batch after batch (tests and benchmarks drive the clock and call this). */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.step();
      if (n === 0) return total;
      total += n;
    }
  }

  private async runKind(kind: string, jobs: DueJob[], now: Date, lease: Date): Promise<void> {
    const handler = this.opts.handlers[kind];
    try {
      if (!handler) throw new Error(`no handler for job kind ${kind}`);
      await this.opts.db.$transaction(
        async (tx) => {
          // Lock the rows first and keep only those still ours: a job cancelled (or re-claimed by
          // another replica after our lease ran out) since the claim is left alone, not run.
          const still = await tx.$queryRaw<{ id: bigint }[]>`
            SELECT id FROM scheduled_jobs
             WHERE id = ANY(${jobs.map((j) => j.id)}::bigint[]) AND status = 'pending'
               AND locked_until = ${lease}
             FOR UPDATE`;
          const ours = new Set(still.map((r) => r.id));
          const mine = jobs.filter((j) => ours.has(j.id));
          if (mine.length === 0) return;
          const outcomes = await handler(mine, {
            tx,
            now,
            timezone: this.opts.timezone,
            settings: this.opts.settings,
          });
          if (outcomes.length !== mine.length) throw new Error(`handler ${kind} returned a wrong count`);
          await this.commit(tx, mine, outcomes, now, lease);
        },
        { timeout: 120_000, maxWait: 30_000 },
      );
      this.opts.onQueued?.();
    } catch (err) {
      if (err instanceof LeaseLost) {
        this.opts.logger.warn(
          { kind, jobs: jobs.length },
          "scheduler lease ran out; another worker has them",
        );
        return;
      }
      // A batch fails as a whole; each job is retried (one at a time, to find the bad one) or failed.
      this.opts.logger.error({ err, kind, jobs: jobs.length }, "scheduled jobs failed");
      if (jobs.length > 1) {
        for (const job of jobs) await this.runKind(kind, [job], now, lease);
        return;
      }
      await this.recordFailure(jobs[0] as DueJob, err, now);
    }
  }

  private async commit(tx: Tx, jobs: DueJob[], outcomes: JobOutcome[], now: Date, lease: Date) {
    const done: bigint[] = [];
    const skipped: bigint[] = [];
    const notices = [];
    const followUps = [];
    for (const [i, outcome] of outcomes.entries()) {
      const job = jobs[i] as DueJob;
      (outcome.status === "done" ? done : skipped).push(job.id);
      if (outcome.status === "skipped") {
        this.opts.logger.info({ key: job.key, why: outcome.note }, "scheduled job skipped");
      }
      for (const n of outcome.notices ?? []) notices.push(noticeMessage(n));
      followUps.push(...(outcome.followUps ?? []));
    }
    const ids = jobs.map((j) => j.id);
    // Ours only if still pending under our lease: a cancel or another worker's claim in the meantime wins.
    const updated = await tx.$executeRaw`
      UPDATE scheduled_jobs
         SET status = CASE WHEN id = ANY(${skipped}::bigint[]) THEN 'skipped' ELSE 'done' END,
             done_at = ${now}, locked_until = NULL, last_error = NULL
       WHERE id = ANY(${ids}::bigint[]) AND status = 'pending' AND locked_until = ${lease}`;
    if (updated !== ids.length) throw new LeaseLost();
    const entries = await this.opts.router(tx, notices);
    await this.opts.outbox.enqueueQuery(entries, undefined, tx);
    if (followUps.length > 0) await scheduleJobs(tx, followUps, now);
  }

  private async recordFailure(job: DueJob, err: unknown, now: Date): Promise<void> {
    const reason = err instanceof Error ? err.message : String(err);
    const final = job.attempts >= this.maxAttempts;
    // Retry after a pause that grows with the attempts; the lease already keeps others away until then.
    const retryAt = new Date(now.getTime() + Math.min(60_000 * 2 ** job.attempts, 3_600_000));
    await this.opts.db.scheduledJob
      .update({
        where: { id: job.id },
        data: final
          ? { status: "failed", lastError: reason, lockedUntil: null, doneAt: now }
          : { lastError: reason, lockedUntil: retryAt },
      })
      .catch((e: unknown) =>
        this.opts.logger.error({ err: e, key: job.key }, "could not record the failure"),
      );
  }
}

class LeaseLost extends Error {}
