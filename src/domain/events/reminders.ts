import type { DomainSettings } from "../../bot/command.ts";
import { atWallTime, wallClock } from "../../lib/dates-zh/zone.ts";
import { isWorkingDay } from "../../lib/workdays.ts";
import type { JobSpec } from "../schedule.ts";

/**
 * Reminders before an event, as scheduled jobs. The key names the event, its revision and the
 * offset (`event:5:r2:remind:86400000`): a reschedule bumps the revision, cancels `event:5:` and
 * plans new keys, so a reminder of the old time can never fire.
 */
export const REMIND_JOB = "event.remind";

export interface ReminderPayload {
  eventId: number;
  revision: number;
  /** How long before the start this reminder is meant to go out. */
  offsetMs: number;
}

export function eventJobPrefix(eventId: number): string {
  return `event:${eventId}:`;
}

/** The offsets for a kind of event (its own list, else the default), longest first, no repeats. */
export function remindOffsets(settings: DomainSettings, kind: string): number[] {
  const list = settings.eventRemindBefore[kind] ?? settings.eventRemindBefore.default ?? [];
  return [...new Set(list.filter((ms) => ms > 0))].sort((a, b) => b - a);
}

const DAY = 86_400_000;

/**
 * The same clock time on the nearest working day at or before `at` (State Council calendar, 调休
 * included): a "one week before" notice due on a Sunday goes out on the Friday, when people read
 * the work groups. Moving earlier, never later, keeps it before the event and the next reminder.
 */
export function previousWorkingTime(at: Date, timezone: string): Date {
  const w = wallClock(at, timezone);
  let day = w.day;
  // A run of non-working days is never longer than the Spring Festival week plus a weekend.
  for (let i = 0; i < 15 && !isWorkingDay(day.format("YYYY-MM-DD")); i++) day = day.subtract(1, "day");
  if (day.isSame(w.day)) return at;
  return atWallTime(day, w.hour, w.minute, timezone, w.second);
}

export interface ReminderPlanOptions {
  settings: DomainSettings;
  now: Date;
  timezone: string;
  /** Day-scale reminders (a day or more ahead) move to the previous working day. Default: the setting. */
  workdaysOnly?: boolean;
}

/**
 * The reminder jobs of an event; offsets already past at `now` are left out. A day-scale reminder
 * moved to an earlier working day that is already past stays at its own time.
 */
export function reminderJobs(
  event: { id: number; kind: string; revision: number; startsAt: Date },
  opts: ReminderPlanOptions,
): JobSpec[] {
  const { settings, now } = opts;
  const jobs: JobSpec[] = [];
  for (const offsetMs of remindOffsets(settings, event.kind)) {
    let runAt = new Date(event.startsAt.getTime() - offsetMs);
    if (runAt <= now) continue;
    if (offsetMs >= DAY && (opts.workdaysOnly ?? settings.eventRemindWorkdaysOnly)) {
      const moved = previousWorkingTime(runAt, opts.timezone);
      if (moved > now) runAt = moved;
    }
    const payload: ReminderPayload = { eventId: event.id, revision: event.revision, offsetMs };
    jobs.push({
      kind: REMIND_JOB,
      key: `${eventJobPrefix(event.id)}r${event.revision}:remind:${offsetMs}`,
      runAt,
      payload: { ...payload },
    });
  }
  return jobs;
}

export function readReminderPayload(payload: Record<string, unknown>): ReminderPayload | undefined {
  const { eventId, revision, offsetMs } = payload;
  if (typeof eventId !== "number" || typeof revision !== "number" || typeof offsetMs !== "number") {
    return undefined;
  }
  return { eventId, revision, offsetMs };
}
