import type { PlanTask, RawRow, State, TaskFacts } from "./assessment-facts.ts";
import type { HistoryRow, OverdueRow, TargetRow, TaskRow, TaskStatus, UnitRow } from "./assessment-types.ts";
import type { Period } from "./period.ts";
import { changeText, daysBetween, PROGRESS_KINDS, unitLabel } from "./shared.ts";

/** The rows of the assessment's parts, from each task's facts. */

const TARGET_KINDS: Record<string, string> = {
  press_conference: "新闻发布会",
  lecture: "讲座",
  training: "培训",
  inspection: "督查检查",
  publication: "简报期刊",
  event: "活动",
  other: "其他",
};

const REPORT_KINDS: Record<string, string> = {
  percent: "进度",
  count: "计数",
  complete: "完成",
  edit: "修改",
};

const names = (units: { name: string; aliases: string[] }[], text: string[]) =>
  units.length ? units.map(unitLabel).join("、") : text.join("、");

const counted = (r: RawRow) => r.undone_at === null && PROGRESS_KINDS.includes(r.kind);

function targetText(t: PlanTask): string {
  if (Array.isArray(t.targets)) {
    const texts = t.targets.flatMap((x) => {
      const text = (x as { text?: unknown } | null)?.text;
      return typeof text === "string" && text ? [text] : [];
    });
    if (texts.length) return texts.join("；");
  }
  return t.targetCount
    ? `${t.targetCount}${TARGET_KINDS[t.targetKind ?? ""] ? ` ${TARGET_KINDS[t.targetKind ?? ""]}` : ""}`
    : "";
}

function isDone(f: TaskFacts): boolean {
  return f.end.percent >= 100;
}

function isLate(f: TaskFacts, period: Period): boolean {
  return !isDone(f) && f.task.due !== null && f.task.due < period.overdueBefore;
}

function status(f: TaskFacts, period: Period): TaskStatus {
  if (isDone(f)) return "已完成";
  if (isLate(f, period)) return "逾期";
  return f.end.percent > 0 || f.end.count > 0 ? "进行中" : "未开始";
}

function progressText(task: PlanTask, s: State): string {
  return task.targetCount ? `${s.count}/${task.targetCount}` : `${s.percent}%`;
}

export function taskRow(f: TaskFacts, period: Period): TaskRow {
  const t = f.task;
  const reports = f.history.filter(counted);
  const last = reports.at(-1);
  return {
    code: t.code,
    section: t.sectionTitle,
    title: t.title,
    lead: names(t.lead, t.leadText),
    support: names(t.support, t.supportText),
    target: targetText(t),
    targetCount: t.targetCount,
    due: t.due,
    percentStart: f.start.percent,
    percentEnd: f.end.percent,
    countStart: f.start.count,
    countEnd: f.end.count,
    status: status(f, period),
    reports: reports.length,
    lastReportAt: last?.created_at ?? null,
    lastNote: f.lastNote?.note ?? "",
  };
}

export function historyRow(t: PlanTask, r: RawRow): HistoryRow {
  const change =
    r.kind === "edit"
      ? r.note
      : changeText({
          kind: r.kind,
          percentBefore: r.percent_before,
          percentAfter: r.percent_after,
          countBefore: r.count_before,
          countAfter: r.count_after,
          targetCount: t.targetCount,
        });
  return {
    code: t.code,
    title: t.title,
    at: r.created_at,
    person: r.person ?? "",
    kind: REPORT_KINDS[r.kind] ?? r.kind,
    change,
    percentAfter: r.percent_after,
    countAfter: r.count_after,
    note: r.kind === "edit" ? "" : r.note,
    event: r.event_id === null ? "" : `#${r.event_id} ${r.event_topic ?? ""}`.trim(),
    undone: r.undone_at !== null,
  };
}

export function unitRows(facts: TaskFacts[], period: Period): UnitRow[] {
  const units = new Map<string, { label: string; order: number; lead: TaskFacts[]; support: number }>();
  const entry = (key: string, label: string, order: number) => {
    let u = units.get(key);
    if (!u) {
      u = { label, order, lead: [], support: 0 };
      units.set(key, u);
    }
    return u;
  };
  for (const f of facts) {
    const { lead, support, leadText } = f.task;
    for (const u of lead) entry(`u${u.id}`, unitLabel(u), u.id).lead.push(f);
    // Tasks no directory unit leads are listed under the names the plan gives.
    if (lead.length === 0) {
      const label = leadText.join("、") || "未指定负责单位";
      entry(`t${label}`, label, Number.MAX_SAFE_INTEGER).lead.push(f);
    }
    for (const u of support) entry(`u${u.id}`, unitLabel(u), u.id).support++;
  }
  return [...units.values()]
    .sort((a, b) => a.order - b.order || a.label.localeCompare(b.label))
    .map((u) => {
      const done = u.lead.filter(isDone).length;
      const n = u.lead.length;
      const progress = u.lead.reduce((s, f) => s + Math.min(100, f.end.percent), 0);
      return {
        unit: u.label,
        tasks: n,
        support: u.support,
        dueByEnd: u.lead.filter((f) => f.task.due !== null && f.task.due <= period.last).length,
        done,
        completionRate: n ? done / n : 0,
        overdue: u.lead.filter((f) => isLate(f, period)).length,
        reports: u.lead.reduce((s, f) => s + f.history.filter(counted).length, 0),
        avgProgress: n ? progress / n / 100 : 0,
      };
    });
}

/** Under each lead unit, in the order of the units table (unmatched names last), latest first. */
export function overdueRows(facts: TaskFacts[], period: Period): OverdueRow[] {
  const rows: (OverdueRow & { order: number })[] = [];
  for (const f of facts) {
    if (!isLate(f, period)) continue;
    const t = f.task;
    const owners = t.lead.length
      ? t.lead.map((u) => ({ unit: unitLabel(u), order: u.id }))
      : [{ unit: t.leadText.join("、") || "未指定负责单位", order: Number.MAX_SAFE_INTEGER }];
    for (const { unit, order } of owners) {
      rows.push({
        unit,
        order,
        code: t.code,
        title: t.title,
        due: t.due ?? "",
        percent: f.end.percent,
        progress: progressText(t, f.end),
        daysLate: daysBetween(t.due ?? period.overdueBefore, period.overdueBefore),
        lastNote: f.lastNote?.note ?? "",
        lastNoteAt: f.lastNote?.created_at ?? null,
        lastNoteBy: f.lastNote?.person ?? "",
      });
    }
  }
  rows.sort((a, b) => a.order - b.order || a.unit.localeCompare(b.unit) || b.daysLate - a.daysLate);
  return rows.map(({ order: _, ...r }) => r);
}

export function targetRows(
  facts: TaskFacts[],
  held: Map<number, { inPeriod: number; total: number }>,
): TargetRow[] {
  return facts
    .filter((f) => f.task.targetCount !== null && f.task.targetCount > 0)
    .map((f) => {
      const t = f.task;
      const target = t.targetCount as number;
      const h = held.get(t.id);
      return {
        code: t.code,
        title: t.title,
        lead: names(t.lead, t.leadText),
        kind: TARGET_KINDS[t.targetKind ?? "other"] ?? t.targetKind ?? "",
        targetCount: target,
        heldInPeriod: h?.inPeriod ?? 0,
        heldTotal: h?.total ?? 0,
        countEnd: f.end.count,
        rate: Math.min(1, f.end.count / target),
      };
    });
}
