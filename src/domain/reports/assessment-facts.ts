import type { DbClient } from "../../db/database.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import type { Period } from "./period.ts";
import { byPlanOrder, PROGRESS_KINDS, unitLabel } from "./shared.ts";

/**
 * What the assessment knows of each task, read unit by unit: its state at the start and the end of
 * the half, its history in the half and its last note. A state at an instant is the `before` of the
 * first history row after it (every change to a task writes one, taken-back ones and undo rows
 * included), or the task as it is now when nothing changed since.
 */

export interface PlanTask {
  id: number;
  code: string;
  sectionNo: number;
  sectionTitle: string;
  title: string;
  targets: Prisma.JsonValue;
  targetKind: string | null;
  targetCount: number | null;
  due: string | null;
  leadText: string[];
  supportText: string[];
  percent: number;
  count: number;
  lead: { id: number; name: string; aliases: string[] }[];
  support: { id: number; name: string; aliases: string[] }[];
}

export interface State {
  percent: number;
  count: number;
}

export interface RawRow {
  id: bigint;
  task_id: number;
  kind: string;
  percent_before: number;
  percent_after: number;
  count_before: number;
  count_after: number;
  note: string;
  created_at: Date;
  undone_at: Date | null;
  person: string | null;
  event_id: number | null;
  event_topic: string | null;
}

export interface TaskFacts {
  task: PlanTask;
  start: State;
  end: State;
  history: RawRow[];
  lastNote: RawRow | undefined;
}

export async function loadTasks(db: DbClient, planId: number): Promise<PlanTask[]> {
  const rows = await db.task.findMany({
    where: { planId },
    include: { units: { include: { unit: { select: { id: true, name: true, aliases: true } } } } },
  });
  return rows
    .map(({ units, ...t }) => ({
      ...t,
      lead: units.filter((u) => u.role === "lead").map((u) => u.unit),
      support: units.filter((u) => u.role === "support").map((u) => u.unit),
    }))
    .sort(byPlanOrder);
}

/** Tasks grouped by their first lead unit: the work is read unit by unit, for the progress bar. */
export function bucketsByUnit(tasks: PlanTask[]): { label: string; tasks: PlanTask[] }[] {
  const buckets = new Map<string, { label: string; tasks: PlanTask[] }>();
  for (const t of tasks) {
    const unit = [...t.lead].sort((a, b) => a.id - b.id)[0];
    const key = unit ? `u${unit.id}` : "none";
    const label = unit ? unitLabel(unit) : "未对应单位";
    const b = buckets.get(key) ?? { label, tasks: [] };
    b.tasks.push(t);
    buckets.set(key, b);
  }
  return [...buckets.values()];
}

export async function loadFacts(db: DbClient, tasks: PlanTask[], period: Period): Promise<TaskFacts[]> {
  const ids = tasks.map((t) => t.id);
  const [history, after, notes] = await Promise.all([
    db.$queryRaw<RawRow[]>`
      SELECT r.id, r.task_id, r.kind, r.percent_before, r.percent_after, r.count_before, r.count_after,
             r.note, r.created_at, r.undone_at, p.name AS person, r.event_id, e.topic AS event_topic
        FROM progress_reports r
        LEFT JOIN people p ON p.id = r.person_id
        LEFT JOIN events e ON e.id = r.event_id
       WHERE r.task_id = ANY(${ids}::int[]) AND r.created_at >= ${period.start} AND r.created_at < ${period.cutoff}
       ORDER BY r.task_id, r.created_at, r.id`,
    db.$queryRaw<{ task_id: number; percent_before: number; count_before: number }[]>`
      SELECT DISTINCT ON (task_id) task_id, percent_before, count_before
        FROM progress_reports
       WHERE task_id = ANY(${ids}::int[]) AND created_at >= ${period.cutoff}
       ORDER BY task_id, created_at, id`,
    db.$queryRaw<RawRow[]>`
      SELECT DISTINCT ON (r.task_id) r.id, r.task_id, r.kind, r.percent_before, r.percent_after,
             r.count_before, r.count_after, r.note, r.created_at, r.undone_at, p.name AS person,
             r.event_id, NULL AS event_topic
        FROM progress_reports r
        LEFT JOIN people p ON p.id = r.person_id
       WHERE r.task_id = ANY(${ids}::int[]) AND r.created_at < ${period.cutoff} AND r.undone_at IS NULL
         AND r.note <> '' AND r.kind IN (${Prisma.join(PROGRESS_KINDS)})
       ORDER BY r.task_id, r.created_at DESC, r.id DESC`,
  ]);
  const byTask = new Map<number, RawRow[]>();
  for (const r of history) {
    const rows = byTask.get(r.task_id);
    if (rows) rows.push(r);
    else byTask.set(r.task_id, [r]);
  }
  const endState = new Map(
    after.map((r) => [r.task_id, { percent: r.percent_before, count: r.count_before }]),
  );
  const lastNotes = new Map(notes.map((r) => [r.task_id, r]));
  return tasks.map((task) => {
    const rows = byTask.get(task.id) ?? [];
    const end = endState.get(task.id) ?? { percent: task.percent, count: task.count };
    const first = rows[0];
    const start = first ? { percent: first.percent_before, count: first.count_before } : end;
    return { task, start, end, history: rows, lastNote: lastNotes.get(task.id) };
  });
}
