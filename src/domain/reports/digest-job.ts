import type { DomainSettings } from "../../bot/command.ts";
import type { Db, DbClient } from "../../db/database.ts";
import type { Clock } from "../../lib/clock.ts";
import type { Notice } from "../notice.ts";
import {
  cancelJobs,
  type DueJob,
  eachJob,
  type JobContext,
  type JobOutcome,
  type JobSpec,
  scheduleJobs,
} from "../schedule.ts";
import { type DigestUnit, loadDigest } from "./digest-data.ts";
import {
  DIGEST_JOB,
  DIGEST_KEY_PREFIX,
  type DigestRun,
  type DigestSchedule,
  digestKey,
  nextDigestRun,
} from "./digest-schedule.ts";
import { digestText, isEmptyDigest } from "./digest-text.ts";

/**
 * The weekly digest as a self-perpetuating job: each run posts the digests and plans the next
 * week's run in the same transaction, so the chain survives restarts and never doubles (one key
 * per week). A group with a unit gets that unit's digest; a group without one (a leaders' group)
 * gets the summary of all units. A group with nothing to report hears nothing.
 */

/** A digest more than this late (the server was down) is dropped; the next week's follows. */
export const DIGEST_LATE_LIMIT_MS = 24 * 3_600_000;

/** The next run that has not happened yet: a week already done (schedule changed) is passed over. */
async function nextFreshRun(
  db: DbClient,
  after: Date,
  s: DigestSchedule,
  timezone: string,
): Promise<DigestRun> {
  let run = nextDigestRun(after, s, timezone);
  for (let i = 0; i < 8; i++) {
    const job = await db.scheduledJob.findUnique({
      where: { key: digestKey(run.week) },
      select: { status: true },
    });
    if (!job || job.status === "pending" || job.status === "cancelled") return run;
    run = nextDigestRun(run.runAt, s, timezone);
  }
  return run;
}

function spec(run: DigestRun): JobSpec {
  return { kind: DIGEST_JOB, key: digestKey(run.week), runAt: run.runAt, payload: { week: run.week } };
}

/** Every group's digest at `now`, one notice per group that has something to hear. */
export async function weeklyDigestNotices(db: DbClient, now: Date, timezone: string): Promise<Notice[]> {
  const groups = await db.group.findMany({
    orderBy: { id: "asc" },
    select: { id: true, unit: { select: { id: true, name: true, aliases: true } } },
  });
  const texts = new Map<number | null, string | null>();
  const textFor = async (unit: DigestUnit | null) => {
    const key = unit?.id ?? null;
    if (!texts.has(key)) {
      const digest = await loadDigest(db, { unit, now, timezone });
      texts.set(key, isEmptyDigest(digest) ? null : digestText(digest, timezone));
    }
    return texts.get(key) ?? null;
  };
  const notices: Notice[] = [];
  for (const g of groups) {
    const text = await textFor(g.unit);
    if (text) notices.push({ to: { groupId: g.id }, text, title: "每周汇总", mentions: [] });
  }
  return notices;
}

async function runOne(job: DueJob, ctx: JobContext): Promise<JobOutcome> {
  const schedule = ctx.settings.digestSchedule;
  if (!schedule) return { status: "skipped", note: "weekly digest is turned off (DIGEST_SCHEDULE=off)" };
  const followUps = [spec(await nextFreshRun(ctx.tx, ctx.now, schedule, ctx.timezone))];
  const late = ctx.now.getTime() - job.runAt.getTime();
  if (late > DIGEST_LATE_LIMIT_MS) {
    return {
      status: "skipped",
      note: `digest ${Math.round(late / 3_600_000)} h late; next week's follows`,
      followUps,
    };
  }
  const notices = await weeklyDigestNotices(ctx.tx, ctx.now, ctx.timezone);
  return { status: "done", notices, followUps };
}

export const runWeeklyDigest = eachJob(runOne);

/**
 * Plans the next weekly digest unless it is planned already; call at start-up (idempotent). A digest
 * that is due (the server was down) is left to run; one planned under another schedule is replaced;
 * DIGEST_SCHEDULE=off cancels what is planned. Returns the planned run, or null when off.
 */
export async function ensureDigestScheduled(
  db: Db,
  clock: Clock,
  settings: DomainSettings,
  timezone: string,
): Promise<DigestRun | null> {
  const now = clock.now();
  const schedule = settings.digestSchedule;
  return db.$transaction(async (tx) => {
    const pending = await tx.scheduledJob.findMany({
      where: { kind: DIGEST_JOB, status: "pending" },
      orderBy: { runAt: "asc" },
    });
    if (!schedule) {
      if (pending.length > 0) await cancelJobs(tx, DIGEST_KEY_PREFIX, now);
      return null;
    }
    const due = pending.find((j) => j.runAt <= now);
    if (due) return { week: String((due.payload as { week?: unknown }).week ?? ""), runAt: due.runAt };
    const next = await nextFreshRun(tx, now, schedule, timezone);
    const [only, ...others] = pending;
    if (
      only &&
      others.length === 0 &&
      only.key === digestKey(next.week) &&
      only.runAt.getTime() === next.runAt.getTime()
    )
      return next;
    if (pending.length > 0) await cancelJobs(tx, DIGEST_KEY_PREFIX, now);
    await scheduleJobs(tx, [spec(next)], now);
    return next;
  });
}
