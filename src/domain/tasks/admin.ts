import type { DbClient, Tx } from "../../db/database.ts";
import { lockTask } from "./task-lock.ts";
import { canRetryOutside, inTransaction } from "./transaction.ts";
import { shortName, type UnitRef } from "./units.ts";

/**
 * Admin changes to a task. Each leaves an "edit" row in the task's history (who, when, what) that
 * carries the message id, so a re-delivered message changes nothing twice.
 */
export interface EditMeta {
  personId: number;
  platform?: string;
  messageId?: string;
  at: Date;
}

export type EditResult =
  | { ok: true; duplicate: boolean }
  | { ok: false; reason: "task_not_found" | "code_taken" };

async function alreadyDone(db: DbClient, meta: EditMeta): Promise<boolean> {
  if (!meta.platform || !meta.messageId) return false;
  const row = await db.progressReport.findUnique({
    where: { platform_messageId: { platform: meta.platform, messageId: meta.messageId } },
    select: { id: true },
  });
  return row !== null;
}

async function logEdit(tx: Tx, taskId: number, meta: EditMeta, note: string): Promise<void> {
  const task = await tx.task.findUniqueOrThrow({
    where: { id: taskId },
    select: { percent: true, count: true },
  });
  await tx.progressReport.create({
    data: {
      taskId,
      personId: meta.personId,
      kind: "edit",
      percentBefore: task.percent,
      percentAfter: task.percent,
      countBefore: task.count,
      countAfter: task.count,
      note,
      platform: meta.messageId ? (meta.platform ?? null) : null,
      messageId: meta.platform ? (meta.messageId ?? null) : null,
      createdAt: meta.at,
    },
  });
}

async function edit(db: DbClient, meta: EditMeta, fn: (tx: Tx) => Promise<EditResult>): Promise<EditResult> {
  if (await alreadyDone(db, meta)) return { ok: true, duplicate: true };
  try {
    return await inTransaction(db, fn);
  } catch (err) {
    if (canRetryOutside(db, err) && (await alreadyDone(db, meta))) return { ok: true, duplicate: true };
    throw err;
  }
}

export interface OwnersChange {
  /** Replace the lead units; unchanged when absent. */
  lead?: UnitRef[];
  /** Replace the support units; unchanged when absent. */
  support?: UnitRef[];
}

const names = (units: UnitRef[]) => (units.length ? units.map(shortName).join("、") : "无");

async function replaceOwners(tx: Tx, taskId: number, role: "lead" | "support", units: UnitRef[], at: Date) {
  await tx.taskUnit.deleteMany({ where: { taskId, role } });
  if (units.length) {
    await tx.taskUnit.createMany({
      data: units.map((u) => ({ taskId, unitId: u.id, role })),
      skipDuplicates: true,
    });
  }
  const text = units.map((u) => u.name);
  await tx.task.update({
    where: { id: taskId },
    data: role === "lead" ? { leadText: text, updatedAt: at } : { supportText: text, updatedAt: at },
  });
}

export function setTaskOwners(db: DbClient, taskId: number, change: OwnersChange, meta: EditMeta) {
  return edit(db, meta, async (tx) => {
    if (!(await lockTask(tx, taskId))) return { ok: false, reason: "task_not_found" };
    const said: string[] = [];
    if (change.lead) {
      await replaceOwners(tx, taskId, "lead", change.lead, meta.at);
      said.push(`负责：${names(change.lead)}`);
    }
    if (change.support) {
      await replaceOwners(tx, taskId, "support", change.support, meta.at);
      said.push(`配合：${names(change.support)}`);
    }
    await logEdit(tx, taskId, meta, said.join("；"));
    return { ok: true, duplicate: false };
  });
}

/** `due`: YYYY-MM-DD in the configured zone, or null for no due date. */
export function setTaskDue(db: DbClient, taskId: number, due: string | null, meta: EditMeta) {
  return edit(db, meta, async (tx) => {
    if (!(await lockTask(tx, taskId))) return { ok: false, reason: "task_not_found" };
    await tx.task.update({ where: { id: taskId }, data: { due, updatedAt: meta.at } });
    await logEdit(tx, taskId, meta, due ? `截止改为 ${due}` : "取消截止日期");
    return { ok: true, duplicate: false };
  });
}

export interface NewTask {
  planId: number;
  code: string;
  title: string;
  due: string | null;
  lead: UnitRef[];
  support: UnitRef[];
  /** A counted target (4 场), if any. */
  targetCount: number | null;
}

export function createTask(db: DbClient, task: NewTask, meta: EditMeta) {
  return edit(db, meta, async (tx) => {
    const sectionNo = Number(task.code.split(".")[0]);
    const taken = await tx.task.findUnique({
      where: { planId_code: { planId: task.planId, code: task.code } },
    });
    if (taken) return { ok: false, reason: "code_taken" };
    // A new item of an existing section takes that section's title.
    const sibling = await tx.task.findFirst({
      where: { planId: task.planId, sectionNo },
      select: { sectionTitle: true },
      orderBy: { id: "asc" },
    });
    const created = await tx.task.create({
      data: {
        planId: task.planId,
        code: task.code,
        sectionNo,
        sectionTitle: sibling?.sectionTitle ?? "",
        title: task.title,
        body: "",
        targets: task.targetCount
          ? [{ kind: "other", count: task.targetCount, text: `${task.targetCount} 次` }]
          : [],
        targetKind: task.targetCount ? "other" : null,
        targetCount: task.targetCount,
        due: task.due,
        leadText: task.lead.map((u) => u.name),
        supportText: task.support.map((u) => u.name),
        createdAt: meta.at,
        updatedAt: meta.at,
        units: {
          create: [
            ...task.lead.map((u) => ({ unitId: u.id, role: "lead" })),
            ...task.support.map((u) => ({ unitId: u.id, role: "support" })),
          ],
        },
      },
    });
    await logEdit(tx, created.id, meta, "新增任务");
    return { ok: true, duplicate: false };
  });
}
