import type { DbClient } from "../../db/database.ts";
import { kindName } from "../events/kinds.ts";
import type { PlanTask } from "./assessment-facts.ts";
import type { HeldEventRow } from "./assessment-types.ts";
import type { Period } from "./period.ts";

/** Events held in the half, and per task how many were held in it and up to its end. */
export interface HeldEvents {
  events: HeldEventRow[];
  perTask: Map<number, { inPeriod: number; total: number }>;
}

export async function loadHeldEvents(db: DbClient, period: Period, tasks: PlanTask[]): Promise<HeldEvents> {
  const ids = tasks.map((t) => t.id);
  const [rows, totals] = await Promise.all([
    db.event.findMany({
      where: { status: "held", startsAt: { gte: period.start, lt: period.cutoff } },
      orderBy: [{ startsAt: "asc" }, { id: "asc" }],
      include: { task: { select: { code: true } }, _count: { select: { signups: true } } },
    }),
    db.event.groupBy({
      by: ["taskId"],
      where: { status: "held", taskId: { in: ids }, startsAt: { lt: period.cutoff } },
      _count: { _all: true },
    }),
  ]);
  const perTask = new Map<number, { inPeriod: number; total: number }>();
  for (const t of totals) if (t.taskId !== null) perTask.set(t.taskId, { inPeriod: 0, total: t._count._all });
  for (const e of rows) {
    const p = e.taskId === null ? undefined : perTask.get(e.taskId);
    if (p) p.inPeriod++;
  }
  return {
    perTask,
    events: rows.map((e) => ({
      id: e.id,
      at: e.startsAt,
      kind: kindName(e.kind),
      topic: e.topic,
      place: e.place ?? "",
      speaker: e.speaker ?? "",
      code: e.task?.code ?? "",
      signups: e._count.signups,
    })),
  };
}
