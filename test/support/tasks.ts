import type { Db } from "../../src/db/database.ts";

/**
 * Plans and tasks written straight into the tables, for tests of what is built on them (the plan
 * importer is tested on its own). Units are named by full name or alias, as in the directory.
 */
export interface SeedTask {
  code: string;
  title: string;
  body?: string;
  /** YYYY-MM-DD */
  due?: string | null;
  /** A counted target (4 场): the task is then reported with +1. */
  target?: number | null;
  targetText?: string;
  lead?: string[];
  support?: string[];
  /** Plan names that match no unit (各分局). */
  leadText?: string[];
  supportText?: string[];
  percent?: number;
  count?: number;
  /** Marks the task complete (percent 100). */
  done?: boolean;
}

const AT = new Date("2021-02-25T00:00:00Z");

export async function seedPlan(db: Db, opts: { year?: number; title?: string } = {}): Promise<number> {
  const year = opts.year ?? 2021;
  const plan = await db.plan.create({
    data: {
      year,
      title: opts.title ?? `${year}年宣传工作要点`,
      sourceSha: `seed-${year}-${opts.title ?? ""}`,
      importedAt: AT,
      updatedAt: AT,
    },
  });
  return plan.id;
}

async function unitId(db: Db, name: string): Promise<number> {
  const u = await db.unit.findFirst({ where: { OR: [{ name }, { aliases: { has: name } }] } });
  if (!u) throw new Error(`seedTasks: no unit named ${name}`);
  return u.id;
}

export async function seedTasks(db: Db, planId: number, tasks: SeedTask[]): Promise<void> {
  for (const t of tasks) {
    const lead = await Promise.all((t.lead ?? []).map((n) => unitId(db, n)));
    const support = await Promise.all((t.support ?? []).map((n) => unitId(db, n)));
    const target = t.target ?? null;
    const percent = t.done ? 100 : (t.percent ?? 0);
    await db.task.create({
      data: {
        planId,
        code: t.code,
        sectionNo: Number(t.code.split(".")[0]),
        sectionTitle: `第${t.code.split(".")[0]}部分`,
        title: t.title,
        body: t.body ?? `${t.title}。`,
        targets: target ? [{ kind: "other", count: target, text: t.targetText ?? `${target}次` }] : [],
        targetKind: target ? "other" : null,
        targetCount: target,
        due: t.due ?? null,
        leadText: [...(t.lead ?? []), ...(t.leadText ?? [])],
        supportText: [...(t.support ?? []), ...(t.supportText ?? [])],
        percent,
        count: t.done && target ? Math.max(target, t.count ?? 0) : (t.count ?? 0),
        completedAt: percent >= 100 ? AT : null,
        createdAt: AT,
        updatedAt: AT,
        units: {
          create: [
            ...lead.map((unitId) => ({ unitId, role: "lead" })),
            ...support.map((unitId) => ({ unitId, role: "support" })),
          ],
        },
      },
    });
  }
}

/** Empties plans, tasks and their reports; the directory stays. */
export async function clearTasks(db: Db): Promise<void> {
  await db.$executeRawUnsafe("TRUNCATE plans, tasks, task_units, progress_reports RESTART IDENTITY CASCADE");
}

/** The task with this code in the newest plan, as the chat commands see it. */
export async function taskState(db: Db, code: string) {
  const t = await db.task.findFirstOrThrow({
    where: { code },
    orderBy: [{ plan: { year: "desc" } }, { planId: "desc" }],
  });
  return { percent: t.percent, count: t.count, complete: t.completedAt !== null, due: t.due };
}
