import type { DbClient } from "../../db/database.ts";
import { loadApprovals } from "./assessment-approvals.ts";
import { loadHeldEvents } from "./assessment-events.ts";
import { bucketsByUnit, loadFacts, loadTasks, type TaskFacts } from "./assessment-facts.ts";
import { historyRow, overdueRows, targetRows, taskRow, unitRows } from "./assessment-rows.ts";
import type { Assessment, ProgressCallback } from "./assessment-types.ts";
import { halfPeriod, ReportError } from "./period.ts";

/**
 * Reads the half-year assessment from the tables, counted up to the end of the half (or now): a
 * report for the first half written in December still shows June's figures.
 */

export interface AssessmentQuery {
  year: number;
  half: 1 | 2;
  now: Date;
  timezone: string;
  onProgress?: ProgressCallback;
}

export async function loadAssessment(db: DbClient, q: AssessmentQuery): Promise<Assessment> {
  const period = halfPeriod(q.year, q.half, q.now, q.timezone);
  const plan = await db.plan.findFirst({ where: { year: q.year }, orderBy: { id: "desc" } });
  if (!plan) throw new ReportError(`没有 ${q.year} 年的工作计划。请先导入（huibao plan import 文件）。`);
  const tasks = await loadTasks(db, plan.id);
  const facts = new Map<number, TaskFacts>();
  const buckets = bucketsByUnit(tasks);
  for (const [i, bucket] of buckets.entries()) {
    q.onProgress?.(i, buckets.length, bucket.label);
    for (const f of await loadFacts(db, bucket.tasks, period)) facts.set(f.task.id, f);
  }
  q.onProgress?.(buckets.length, buckets.length, "活动和审批");
  const ordered = tasks.map((t) => facts.get(t.id) as TaskFacts);
  const [heldEvents, approvals] = await Promise.all([
    loadHeldEvents(db, period, tasks),
    loadApprovals(db, period),
  ]);
  const taskRows = ordered.map((f) => taskRow(f, period));
  const units = unitRows(ordered, period);
  const overdue = overdueRows(ordered, period);
  const total = approvals.find((a) => a.channel === "合计");
  const done = taskRows.filter((t) => t.status === "已完成").length;
  const dueByEnd = ordered.filter((f) => f.task.due !== null && f.task.due <= period.last);
  const issuer = plan.issuer?.trim() || null;
  return {
    title: `${issuer ? `${issuer} ` : ""}${q.year} 年${period.label}宣传工作考核情况`,
    issuer,
    planTitle: plan.title,
    period,
    generatedAt: q.now,
    timezone: q.timezone,
    overview: {
      tasks: tasks.length,
      done,
      completionRate: tasks.length ? done / tasks.length : 0,
      dueByEnd: dueByEnd.length,
      dueByEndDone: dueByEnd.filter((f) => f.end.percent >= 100).length,
      overdue: new Set(overdue.map((o) => o.code)).size,
      reports: taskRows.reduce((n, t) => n + t.reports, 0),
      eventsHeld: heldEvents.events.length,
      drafts: total?.submitted ?? 0,
      approved: total?.approved ?? 0,
      rejected: total?.rejected ?? 0,
      expired: total?.expired ?? 0,
      medianHours: total?.medianHours ?? null,
    },
    units,
    tasks: taskRows,
    history: ordered.flatMap((f) =>
      f.history.filter((r) => r.kind !== "undo").map((r) => historyRow(f.task, r)),
    ),
    overdue,
    targets: targetRows(ordered, heldEvents.perTask),
    events: heldEvents.events,
    approvals,
  };
}
