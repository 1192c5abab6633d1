import type { DbClient } from "../../../db/database.ts";
import { shortName } from "../../../domain/tasks/units.ts";

/** The task board: the newest plan's tasks under each unit that leads or supports them. */
export interface BoardTask {
  id: number;
  code: string;
  title: string;
  due: string | null;
  percent: number;
  count: number;
  targetCount: number | null;
  done: boolean;
  overdue: boolean;
  /** How the unit it is listed under takes part. */
  role: "lead" | "support";
  /** Names from the plan that match no directory unit (各分局). */
  leadText: string[];
  last: { note: string; by: string | null; at: Date } | null;
}

export interface BoardUnit {
  /** null: tasks that no directory unit leads. */
  id: number | null;
  name: string;
  fullName: string;
  tasks: BoardTask[];
}

export interface Board {
  plan: { id: number; year: number; title: string } | null;
  units: BoardUnit[];
  totals: { tasks: number; done: number; overdue: number };
}

// Plan order: section, then item as a number (2.10 after 2.9).
function planOrder(a: { code: string }, b: { code: string }): number {
  const [as = 0, ai = 0] = a.code.split(".").map((n) => Number.parseInt(n, 10) || 0);
  const [bs = 0, bi = 0] = b.code.split(".").map((n) => Number.parseInt(n, 10) || 0);
  return as - bs || ai - bi || a.code.localeCompare(b.code);
}

interface LastReport {
  taskId: number;
  note: string;
  by: string | null;
  at: Date;
}

export async function loadBoard(db: DbClient, today: string): Promise<Board> {
  const plan = await db.plan.findFirst({
    orderBy: [{ year: "desc" }, { id: "desc" }],
    select: { id: true, year: true, title: true },
  });
  if (!plan) return { plan: null, units: [], totals: { tasks: 0, done: 0, overdue: 0 } };
  const [tasks, lastReports] = await Promise.all([
    db.task.findMany({
      where: { planId: plan.id },
      select: {
        id: true,
        code: true,
        title: true,
        due: true,
        percent: true,
        count: true,
        targetCount: true,
        completedAt: true,
        leadText: true,
        units: { select: { role: true, unit: { select: { id: true, name: true, aliases: true } } } },
      },
    }),
    db.$queryRaw<LastReport[]>`
      SELECT DISTINCT ON (r.task_id) r.task_id AS "taskId", r.note, p.name AS by, r.created_at AS at
        FROM progress_reports r
        JOIN tasks t ON t.id = r.task_id
        LEFT JOIN people p ON p.id = r.person_id
       WHERE t.plan_id = ${plan.id} AND r.undone_at IS NULL
       ORDER BY r.task_id, r.created_at DESC, r.id DESC`,
  ]);
  const lastByTask = new Map(lastReports.map((r) => [r.taskId, r]));
  tasks.sort(planOrder);

  const units = new Map<number | null, BoardUnit>();
  const unitFor = (id: number | null, name: string, fullName: string) => {
    let u = units.get(id);
    if (!u) {
      u = { id, name, fullName, tasks: [] };
      units.set(id, u);
    }
    return u;
  };
  let done = 0;
  let overdue = 0;
  for (const t of tasks) {
    const isDone = t.completedAt !== null;
    const isOverdue = !isDone && t.due !== null && t.due < today;
    if (isDone) done += 1;
    if (isOverdue) overdue += 1;
    const last = lastByTask.get(t.id);
    const base = {
      id: t.id,
      code: t.code,
      title: t.title,
      due: t.due,
      percent: t.percent,
      count: t.count,
      targetCount: t.targetCount,
      done: isDone,
      overdue: isOverdue,
      leadText: t.leadText,
      last: last ? { note: last.note, by: last.by, at: last.at } : null,
    };
    const leads = t.units.filter((x) => x.role === "lead");
    if (leads.length === 0)
      unitFor(null, "未对应到单位", "牵头单位不在通讯录里的任务").tasks.push({ ...base, role: "lead" });
    for (const { role, unit } of t.units) {
      unitFor(unit.id, shortName(unit), unit.name).tasks.push({
        ...base,
        role: role === "lead" ? "lead" : "support",
      });
    }
  }
  const list = [...units.values()];
  for (const u of list) u.tasks.sort((a, b) => (a.role === b.role ? 0 : a.role === "lead" ? -1 : 1));
  // Units in directory order; the tasks nobody in the directory leads come last.
  list.sort((a, b) => (a.id ?? Number.MAX_SAFE_INTEGER) - (b.id ?? Number.MAX_SAFE_INTEGER));
  return { plan, units: list, totals: { tasks: tasks.length, done, overdue } };
}
