import type { DbClient } from "../../db/database.ts";
import type { TaskProgress } from "./state.ts";
import type { UnitRef } from "./units.ts";

export interface TaskOwners {
  lead: UnitRef[];
  support: UnitRef[];
  /** Names as written in the plan; those that matched a directory unit are also in lead / support. */
  leadText: string[];
  supportText: string[];
}

export interface TaskTarget {
  kind: string;
  count: number;
  text: string;
}

export interface TaskDetail extends TaskProgress {
  id: number;
  planId: number;
  code: string;
  sectionNo: number;
  sectionTitle: string;
  title: string;
  body: string;
  targets: TaskTarget[];
  targetKind: string | null;
  due: string | null;
  owners: TaskOwners;
}

function targetsOf(json: unknown): TaskTarget[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((t) => {
    const o = t as Partial<TaskTarget> | null;
    return o && typeof o.count === "number"
      ? [{ kind: String(o.kind ?? "other"), count: o.count, text: String(o.text ?? "") }]
      : [];
  });
}

/** One task of a plan by its code, with the units that own it. */
export async function findTask(db: DbClient, planId: number, code: string): Promise<TaskDetail | null> {
  const t = await db.task.findUnique({
    where: { planId_code: { planId, code } },
    include: { units: { include: { unit: { select: { id: true, name: true, aliases: true } } } } },
  });
  if (!t) return null;
  const byRole = (role: string) =>
    t.units
      .filter((u) => u.role === role)
      .map((u) => u.unit)
      .sort((a, b) => a.id - b.id);
  return {
    id: t.id,
    planId: t.planId,
    code: t.code,
    sectionNo: t.sectionNo,
    sectionTitle: t.sectionTitle,
    title: t.title,
    body: t.body,
    targets: targetsOf(t.targets),
    targetKind: t.targetKind,
    targetCount: t.targetCount,
    due: t.due,
    percent: t.percent,
    count: t.count,
    completedAt: t.completedAt,
    owners: {
      lead: byRole("lead"),
      support: byRole("support"),
      leadText: t.leadText,
      supportText: t.supportText,
    },
  };
}
