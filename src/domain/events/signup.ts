import type { Db } from "../../db/database.ts";
import type { Event } from "../../generated/prisma/client.ts";
import type { Changed } from "./change.ts";

export interface SignupState {
  event: Event;
  /** false: nothing changed (already signed up / was not signed up). */
  changed: boolean;
  signups: number;
}

const notFound = (id: number) => `没有找到编号 ${id} 的活动。发“活动”看看近期的安排。`;

function closed(event: Event, now: Date): string | undefined {
  if (event.status === "cancelled") return `#${event.id} 已经取消了。`;
  if (event.status === "held" || event.startsAt <= now) return `#${event.id} 已经开始或结束了。`;
  return undefined;
}

/** Signs a person up; signing up twice is one sign-up. */
export async function signUp(
  db: Db,
  eventId: number,
  personId: number,
  now: Date,
): Promise<Changed<SignupState>> {
  const event = await db.event.findUnique({ where: { id: eventId } });
  if (!event) return { ok: false, why: notFound(eventId) };
  const refused = closed(event, now);
  if (refused) return { ok: false, why: `${refused}不能再报名。` };
  const added = await db.eventSignup.createMany({
    data: [{ eventId, personId, createdAt: now }],
    skipDuplicates: true,
  });
  const signups = await db.eventSignup.count({ where: { eventId } });
  return { ok: true, event, changed: added.count > 0, signups };
}

/** Withdraws a sign-up; withdrawing one that does not exist changes nothing. */
export async function withdraw(db: Db, eventId: number, personId: number): Promise<Changed<SignupState>> {
  const event = await db.event.findUnique({ where: { id: eventId } });
  if (!event) return { ok: false, why: notFound(eventId) };
  if (event.status === "held") return { ok: false, why: `#${eventId} 已经举办过了。` };
  const removed = await db.eventSignup.deleteMany({ where: { eventId, personId } });
  const signups = await db.eventSignup.count({ where: { eventId } });
  return { ok: true, event, changed: removed.count > 0, signups };
}

/** Who signed up for the event, earliest first, leaving one person out (the one making a change). */
export async function signedUpPeople(db: Db, eventId: number, except: number): Promise<number[]> {
  const rows = await db.eventSignup.findMany({
    where: { eventId, personId: { not: except } },
    orderBy: { createdAt: "asc" },
    select: { personId: true },
  });
  return rows.map((r) => r.personId);
}
