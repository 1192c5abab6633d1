import type { Tx } from "../../db/database.ts";
import type { Prisma } from "../../generated/prisma/client.ts";
import type { IncomingTask, TaskDiff, TaskField } from "./diff.ts";
import type { PlanSection } from "./types.ts";
import { type DirectoryUnit, matchUnits } from "./unit-match.ts";

/**
 * Frees the codes the new plan uses before any task takes its new code: dropped tasks go (or, with
 * reports, step aside under a marked code) and moved tasks park under a temporary code, so swapping
 * 1.2 and 1.3 never trips the (plan, code) unique key.
 */
export async function makeRoom(
  tx: Tx,
  diff: TaskDiff,
  incoming: readonly IncomingTask[],
  renamed: Map<number, string>,
): Promise<void> {
  const gone = diff.removed.filter((t) => t.reports === 0).map((t) => t.id);
  if (gone.length > 0) await tx.task.deleteMany({ where: { id: { in: gone } } });
  const wanted = new Set(incoming.map((t) => t.code));
  const taken = new Set([...wanted, ...diff.removed.map((t) => t.code)]);
  for (const t of diff.removed) {
    if (t.reports === 0 || !wanted.has(t.code)) continue;
    let code = `${t.code}（已删除）`;
    for (let n = 2; taken.has(code); n++) code = `${t.code}（已删除${n}）`;
    taken.add(code);
    renamed.set(t.id, code);
    await tx.task.update({ where: { id: t.id }, data: { code } });
  }
  for (const m of diff.matched) {
    if (m.stored.code === m.incoming.code) continue;
    await tx.task.update({ where: { id: m.stored.id }, data: { code: `~${m.stored.id}` } });
  }
}

/** Updates the changed tasks and creates the new ones of one section. */
export async function writeSection(
  tx: Tx,
  planId: number,
  section: PlanSection,
  diff: TaskDiff,
  units: readonly DirectoryUnit[],
  now: Date,
): Promise<void> {
  const codes = new Set(section.items.map((i) => i.code));
  for (const m of diff.matched) {
    if (!codes.has(m.incoming.code) || m.changed.length === 0) continue;
    const data = { ...changedFields(m.incoming, m.changed), updatedAt: now };
    await tx.task.update({ where: { id: m.stored.id }, data });
    // Units set by hand in chat stay until the plan itself names different ones.
    if (m.changed.includes("units")) await writeLinks(tx, m.stored.id, m.incoming, units, true);
  }
  // New tasks of a section in two statements: a first import is mostly these.
  const added = diff.added.filter((t) => codes.has(t.code));
  if (added.length === 0) return;
  const created = await tx.task.createManyAndReturn({
    data: added.map((t) => ({ ...taskFields(t), planId, createdAt: now, updatedAt: now })),
    select: { id: true, code: true },
  });
  const idOf = new Map(created.map((c) => [c.code, c.id]));
  const rows = added.flatMap((t) => linkRows(idOf.get(t.code) ?? 0, t, units));
  if (rows.length > 0) await tx.taskUnit.createMany({ data: rows });
}

/** Only what the document changed: the rest may have been set by hand in chat. */
function changedFields(
  t: IncomingTask,
  changed: readonly TaskField[],
): Partial<ReturnType<typeof taskFields>> {
  const all = taskFields(t);
  const columns: Record<TaskField, (keyof typeof all)[]> = {
    code: ["code"],
    title: ["title"],
    body: ["body"],
    section: ["sectionNo", "sectionTitle"],
    targets: ["targets", "targetKind", "targetCount"],
    due: ["due"],
    units: ["leadText", "supportText"],
  };
  return Object.fromEntries(changed.flatMap((f) => columns[f].map((c) => [c, all[c]])));
}

function taskFields(t: IncomingTask) {
  const counted = t.targets[0];
  return {
    code: t.code,
    sectionNo: t.sectionNo,
    sectionTitle: t.sectionTitle,
    title: t.title,
    body: t.body,
    targets: t.targets as unknown as Prisma.InputJsonValue,
    targetKind: counted?.kind ?? null,
    targetCount: counted?.count ?? null,
    due: t.due,
    leadText: t.leadText,
    supportText: t.supportText,
  };
}

/** task_units rows for the units the plan names that the directory knows. */
export async function writeLinks(
  tx: Tx,
  taskId: number,
  t: IncomingTask,
  units: readonly DirectoryUnit[],
  replace: boolean,
): Promise<void> {
  if (replace) await tx.taskUnit.deleteMany({ where: { taskId } });
  const rows = linkRows(taskId, t, units);
  if (rows.length > 0) await tx.taskUnit.createMany({ data: rows });
}

function linkRows(taskId: number, t: IncomingTask, units: readonly DirectoryUnit[]) {
  const { lead, support } = matchUnits({ lead: t.leadText, support: t.supportText }, units);
  return [
    ...lead.map((unitId) => ({ taskId, unitId, role: "lead" })),
    ...support.map((unitId) => ({ taskId, unitId, role: "support" })),
  ];
}
