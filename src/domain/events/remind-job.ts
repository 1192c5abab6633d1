import type { Notice } from "../notice.ts";
import type { DueJob, JobContext, JobHandler, JobOutcome } from "../schedule.ts";
import { kindName } from "./kinds.ts";
import { type ReminderPayload, readReminderPayload } from "./reminders.ts";
import { type EventFacts, reminderNotice } from "./render.ts";

/** A reminder that goes out this much after its time says it is late (the loop itself is never that slow). */
export const LATE_AFTER_MS = 5 * 60_000;

interface BatchEvent extends EventFacts {
  groupIds: number[];
  status: string;
  revision: number;
  signups: number;
}

type Verdict = { send: true; payload: ReminderPayload } | { send: false; note: string };

/**
 * Sends event reminders. Batch-aware: the events of the whole batch are read with one query. A
 * reminder of an event that was cancelled, held, moved or has begun is skipped; one sent after
 * downtime says how late it is; when several reminders of one event fall due together (after a long
 * stop), only the one nearest the start goes out.
 */
export const remindEvents: JobHandler = async (jobs: DueJob[], ctx: JobContext): Promise<JobOutcome[]> => {
  const payloads = jobs.map((j) => readReminderPayload(j.payload));
  const ids = [...new Set(payloads.flatMap((p) => (p ? [p.eventId] : [])))];
  // One query for the whole batch; raw SQL costs half of Prisma's relation count here (10,000 due at once).
  const events = await ctx.tx.$queryRaw<BatchEvent[]>`
    SELECT e.id, e.kind, e.topic, e.starts_at AS "startsAt", e.place, e.speaker, e.group_ids AS "groupIds",
           e.status, e.revision,
           (SELECT count(*)::int FROM event_signups s WHERE s.event_id = e.id) AS signups
      FROM events e WHERE e.id = ANY(${ids}::int[])`;
  const byId = new Map(events.map((e) => [e.id, e]));

  const verdicts: Verdict[] = payloads.map((p) => {
    if (!p) return { send: false, note: "reminder payload is incomplete" };
    const e = byId.get(p.eventId);
    if (!e) return { send: false, note: "event no longer exists" };
    if (e.status !== "scheduled") return { send: false, note: `event is ${e.status}` };
    if (e.revision !== p.revision) return { send: false, note: "event was rescheduled" };
    if (e.startsAt <= ctx.now) return { send: false, note: "event has already started" };
    return { send: true, payload: p };
  });
  const nearest = new Map<number, number>();
  for (const v of verdicts) {
    if (!v.send) continue;
    const best = nearest.get(v.payload.eventId);
    if (best === undefined || v.payload.offsetMs < best) nearest.set(v.payload.eventId, v.payload.offsetMs);
  }

  return jobs.map((job, i): JobOutcome => {
    const v = verdicts[i] as Verdict;
    if (!v.send) return { status: "skipped", note: v.note };
    if (nearest.get(v.payload.eventId) !== v.payload.offsetMs) {
      return { status: "skipped", note: "a reminder nearer the start went out in the same batch" };
    }
    const e = byId.get(v.payload.eventId);
    if (!e) return { status: "skipped", note: "event no longer exists" };
    const lateMs = ctx.now.getTime() - job.runAt.getTime();
    const text = reminderNotice(e, ctx.now, ctx.timezone, lateMs > LATE_AFTER_MS ? lateMs : undefined);
    const notices: Notice[] = e.groupIds.map((groupId) => ({
      to: { groupId },
      text,
      title: `${kindName(e.kind)}提醒`,
      mentions: [],
    }));
    return { status: "done", notices };
  });
};
