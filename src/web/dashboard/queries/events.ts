import type { DbClient } from "../../../db/database.ts";
import type { EventFacts } from "../../../domain/events/render.ts";
import { shortName } from "../../../domain/tasks/units.ts";

export interface UpcomingEvent extends EventFacts {
  status: string;
  taskCode: string | null;
  groups: string[];
  signups: { name: string; unit: string | null }[];
}

/** Events from now on, soonest first, with who signed up (in sign-up order). */
export async function loadUpcomingEvents(db: DbClient, now: Date, limit = 100): Promise<UpcomingEvent[]> {
  const events = await db.event.findMany({
    where: { startsAt: { gte: now } },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    take: limit,
    select: {
      id: true,
      kind: true,
      topic: true,
      startsAt: true,
      place: true,
      speaker: true,
      status: true,
      groupIds: true,
      task: { select: { code: true } },
      signups: {
        orderBy: { createdAt: "asc" },
        select: { person: { select: { name: true, unit: { select: { name: true, aliases: true } } } } },
      },
    },
  });
  const groupIds = [...new Set(events.flatMap((e) => e.groupIds))];
  const groups = await db.group.findMany({
    where: { id: { in: groupIds } },
    select: { id: true, name: true },
  });
  const groupName = new Map(groups.map((g) => [g.id, g.name]));
  return events.map((e) => ({
    id: e.id,
    kind: e.kind,
    topic: e.topic,
    startsAt: e.startsAt,
    place: e.place,
    speaker: e.speaker,
    status: e.status,
    taskCode: e.task?.code ?? null,
    groups: e.groupIds.map((id) => groupName.get(id) ?? `#${id}`),
    signups: e.signups.map((s) => ({
      name: s.person.name,
      unit: s.person.unit ? shortName(s.person.unit) : null,
    })),
  }));
}
