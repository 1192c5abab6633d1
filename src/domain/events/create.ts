import type { Db } from "../../db/database.ts";
import type { Event } from "../../generated/prisma/client.ts";
import { scheduleJobs } from "../schedule.ts";
import type { EventKind } from "./kinds.ts";
import { type ReminderPlanOptions, reminderJobs } from "./reminders.ts";

export interface NewEvent {
  kind: EventKind;
  topic: string;
  startsAt: Date;
  place: string | null;
  speaker: string | null;
  taskId: number | null;
  groupIds: number[];
  createdById: number;
}

export interface CreatedEvent {
  event: Event;
  /** The same person already created this very event (a re-sent or re-delivered message). */
  duplicate: boolean;
  /** When the reminders go out. */
  reminders: Date[];
}

/**
 * Creates an event and plans its reminders in one transaction. The same creator, kind, topic and
 * start again is the same event: the message was sent twice, or delivered twice after a crash.
 */
export async function createEvent(db: Db, input: NewEvent, plan: ReminderPlanOptions): Promise<CreatedEvent> {
  const { now } = plan;
  return db.$transaction(async (tx) => {
    const same = await tx.event.findFirst({
      where: {
        kind: input.kind,
        topic: input.topic,
        startsAt: input.startsAt,
        createdById: input.createdById,
        status: "scheduled",
      },
    });
    if (same) {
      const pending = await tx.scheduledJob.findMany({
        where: { key: { startsWith: `event:${same.id}:r${same.revision}:` }, status: "pending" },
        orderBy: { runAt: "asc" },
        select: { runAt: true },
      });
      return { event: same, duplicate: true, reminders: pending.map((j) => j.runAt) };
    }
    const event = await tx.event.create({
      data: { ...input, status: "scheduled", revision: 1, createdAt: now, updatedAt: now },
    });
    const jobs = reminderJobs(event, plan);
    await scheduleJobs(tx, jobs, now);
    return { event, duplicate: false, reminders: jobs.map((j) => j.runAt) };
  });
}
