import type { DbClient } from "../../db/database.ts";
import { findTask, type TaskDetail } from "./find.ts";
import { type CurrentPlan, currentPlan } from "./plan.ts";

export const NO_PLAN = "还没有导入工作计划。管理员可以运行 npx huibao plan import 文件 导入。";

export type TaskLookup = { ok: true; plan: CurrentPlan; task: TaskDetail } | { ok: false; message: string };

/**
 * A task of the current plan (or of the newest plan of `year`) by code, or the sentence that tells
 * the person what went wrong.
 */
export async function lookupTask(db: DbClient, code: string, year?: number): Promise<TaskLookup> {
  const plan = await currentPlan(db, year);
  if (!plan && year !== undefined) return { ok: false, message: `没有 ${year} 年的工作计划。` };
  if (!plan) return { ok: false, message: NO_PLAN };
  const task = await findTask(db, plan.id, code);
  if (!task) return { ok: false, message: `${plan.title}里没有任务 ${code}。发「任务」查看任务编号。` };
  return { ok: true, plan, task };
}
