import type { DbClient } from "../../db/database.ts";
import type { ProgressReport } from "../../generated/prisma/client.ts";

export interface HistoryEntry {
  report: ProgressReport;
  /** Who reported; null for reports the system made. */
  personName: string | null;
  /** The held event a report came from. */
  eventTopic: string | null;
}

export interface TaskHistory {
  /** Oldest first; the most recent `limit` entries. */
  entries: HistoryEntry[];
  /** Entries older than those shown. */
  omitted: number;
}

/**
 * A task's reports and edits, with names. Undo rows are left out: the report they took back is
 * shown, marked undone, which says the same in one line.
 */
export async function taskHistory(db: DbClient, taskId: number, limit: number): Promise<TaskHistory> {
  const where = { taskId, kind: { not: "undo" } };
  const [total, latest] = await Promise.all([
    db.progressReport.count({ where }),
    db.progressReport.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit }),
  ]);
  const personIds = [...new Set(latest.flatMap((r) => (r.personId === null ? [] : [r.personId])))];
  const eventIds = [...new Set(latest.flatMap((r) => (r.eventId === null ? [] : [r.eventId])))];
  const [people, events] = await Promise.all([
    personIds.length
      ? db.person.findMany({ where: { id: { in: personIds } }, select: { id: true, name: true } })
      : [],
    eventIds.length
      ? db.event.findMany({ where: { id: { in: eventIds } }, select: { id: true, topic: true } })
      : [],
  ]);
  const names = new Map(people.map((p) => [p.id, p.name]));
  const topics = new Map(events.map((e) => [e.id, e.topic]));
  return {
    entries: latest.reverse().map((report) => ({
      report,
      personName: report.personId === null ? null : (names.get(report.personId) ?? null),
      eventTopic: report.eventId === null ? null : (topics.get(report.eventId) ?? null),
    })),
    omitted: Math.max(0, total - latest.length),
  };
}
