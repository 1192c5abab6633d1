import type { Db } from "../../db/database.ts";
import type { Event } from "../../generated/prisma/client.ts";
import { hasRole } from "../directory/roles.ts";
import { cancelJobs, scheduleJobs } from "../schedule.ts";
import { kindName } from "./kinds.ts";
import { eventJobPrefix, type ReminderPlanOptions, reminderJobs } from "./reminders.ts";

/** A change refused, with the reason to show the person. */
export type Changed<T> = ({ ok: true } & T) | { ok: false; why: string };

export interface Actor {
  id: number;
  roles: readonly string[];
}

/** The creator of an event and admins may change it. */
export function mayManage(event: { createdById: number | null }, actor: Actor): boolean {
  return event.createdById === actor.id || hasRole(actor, "admin");
}

const notFound = (id: number) => `没有找到编号 ${id} 的活动。发“活动”看看近期的安排。`;

function refuseManage(event: Event, actor: Actor): string | undefined {
  if (!mayManage(event, actor)) return `只有${kindName(event.kind)}的创建人或管理员可以改动 #${event.id}。`;
  if (event.status === "cancelled") return `#${event.id} 已经取消了。`;
  if (event.status === "held") return `#${event.id} 已经举办过了。`;
  return undefined;
}

/**
 * Moves an event: new start, revision + 1, the old reminders cancelled and new ones planned, in one
 * transaction. Moving it to the time it already has changes nothing (a message sent twice).
 */
export async function rescheduleEvent(
  db: Db,
  input: { eventId: number; startsAt: Date; actor: Actor },
  plan: ReminderPlanOptions,
): Promise<Changed<{ event: Event; before: Date; reminders: Date[] }>> {
  const { eventId, startsAt, actor } = input;
  const { now } = plan;
  return db.$transaction(async (tx) => {
    const event = await tx.event.findUnique({ where: { id: eventId } });
    if (!event) return { ok: false, why: notFound(eventId) };
    const refused = refuseManage(event, actor);
    if (refused) return { ok: false, why: refused };
    if (event.startsAt.getTime() === startsAt.getTime()) {
      return { ok: false, why: `#${eventId} 本来就是这个时间，没有改动。` };
    }
    // The revision guards against a concurrent change: only one of two simultaneous moves wins.
    const moved = await tx.event.updateMany({
      where: { id: eventId, revision: event.revision, status: "scheduled" },
      data: { startsAt, revision: event.revision + 1, updatedAt: now },
    });
    if (moved.count !== 1)
      return { ok: false, why: `#${eventId} 刚被别人改过，请发“活动 ${eventId}”看看再改。` };
    const updated = { ...event, startsAt, revision: event.revision + 1, updatedAt: now };
    await cancelJobs(tx, eventJobPrefix(eventId), now);
    const jobs = reminderJobs(updated, plan);
    await scheduleJobs(tx, jobs, now);
    return { ok: true, event: updated, before: event.startsAt, reminders: jobs.map((j) => j.runAt) };
  });
}

/** Cancels an event and drops its pending reminders. */
export async function cancelEvent(
  db: Db,
  input: { eventId: number; reason: string | null; actor: Actor; now: Date },
): Promise<Changed<{ event: Event }>> {
  const { eventId, actor, now } = input;
  return db.$transaction(async (tx) => {
    const event = await tx.event.findUnique({ where: { id: eventId } });
    if (!event) return { ok: false, why: notFound(eventId) };
    const refused = refuseManage(event, actor);
    if (refused) return { ok: false, why: refused };
    const done = await tx.event.updateMany({
      where: { id: eventId, status: "scheduled" },
      data: { status: "cancelled", cancelReason: input.reason, updatedAt: now },
    });
    if (done.count !== 1) return { ok: false, why: `#${eventId} 已经取消了。` };
    await cancelJobs(tx, eventJobPrefix(eventId), now);
    return { ok: true, event: { ...event, status: "cancelled", cancelReason: input.reason, updatedAt: now } };
  });
}
