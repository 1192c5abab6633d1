import type { DbClient } from "../../db/database.ts";
import type { EventKind } from "./kinds.ts";
import type { EventFacts } from "./render.ts";

export interface EventSummary extends EventFacts {
  status: string;
  signups: number;
}

const summary = {
  id: true,
  kind: true,
  topic: true,
  startsAt: true,
  place: true,
  speaker: true,
  status: true,
  _count: { select: { signups: true } },
} as const;

type Row = Omit<EventSummary, "signups"> & { _count: { signups: number } };
const toSummary = ({ _count, ...e }: Row): EventSummary => ({ ...e, signups: _count.signups });

/** Events still to come, soonest first. */
export async function upcomingEvents(
  db: DbClient,
  opts: { now: Date; kind?: EventKind; limit?: number },
): Promise<EventSummary[]> {
  const rows = await db.event.findMany({
    where: { status: "scheduled", startsAt: { gt: opts.now }, ...(opts.kind ? { kind: opts.kind } : {}) },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    take: opts.limit ?? 20,
    select: summary,
  });
  return rows.map(toSummary);
}

/** Events that have begun in the last `withinMs` but nobody has recorded as held yet. */
export async function awaitingHeld(
  db: DbClient,
  opts: { now: Date; withinMs: number; kind?: EventKind },
): Promise<EventSummary[]> {
  const rows = await db.event.findMany({
    where: {
      status: "scheduled",
      startsAt: { lte: opts.now, gt: new Date(opts.now.getTime() - opts.withinMs) },
      ...(opts.kind ? { kind: opts.kind } : {}),
    },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    take: 20,
    select: summary,
  });
  return rows.map(toSummary);
}

export interface EventDetail extends EventSummary {
  cancelReason: string | null;
  heldAt: Date | null;
  creator: string | null;
  task: { code: string; title: string } | null;
  groupIds: number[];
  signupNames: string[];
}

export async function eventDetail(db: DbClient, id: number): Promise<EventDetail | null> {
  const e = await db.event.findUnique({
    where: { id },
    include: {
      task: { select: { code: true, title: true } },
      signups: { orderBy: { createdAt: "asc" }, select: { personId: true } },
    },
  });
  if (!e) return null;
  const ids = [
    ...new Set([...(e.createdById === null ? [] : [e.createdById]), ...e.signups.map((s) => s.personId)]),
  ];
  const people = await db.person.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  const name = (pid: number) => people.find((p) => p.id === pid)?.name;
  return {
    id: e.id,
    kind: e.kind,
    topic: e.topic,
    startsAt: e.startsAt,
    place: e.place,
    speaker: e.speaker,
    status: e.status,
    signups: e.signups.length,
    cancelReason: e.cancelReason,
    heldAt: e.heldAt,
    creator: e.createdById === null ? null : (name(e.createdById) ?? null),
    task: e.task,
    groupIds: e.groupIds,
    signupNames: e.signups.map((s) => name(s.personId) ?? "?"),
  };
}
