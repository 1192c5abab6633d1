import type { TaskField } from "./diff.ts";
import type { TargetKind } from "./types.ts";

export interface TaskRef {
  code: string;
  title: string;
}

/** A new task, with what the operator checks the reading of the document by. */
export interface AddedTask extends TaskRef {
  /** The counted target progress is measured against. */
  target: { kind: TargetKind; count: number } | null;
  due: string | null;
  lead: string[];
  support: string[];
}

export interface ChangedTask extends TaskRef {
  /** The code before this import (differs from `code` when items were renumbered). */
  previousCode: string;
  fields: TaskField[];
}

export interface RemovedTask extends TaskRef {
  /** Kept because progress was reported on it. */
  kept: boolean;
  reports: number;
  /** The marked code a kept task moved to, because the plan now uses its old code. */
  renamedTo: string | null;
}

/** Fields of the plan itself (not its tasks) an edited document may change. */
export type PlanField = "issuer" | "issuedOn";

export interface PlanImportSummary {
  dryRun: boolean;
  /** created: a new plan; updated: tasks added, changed or removed; unchanged: nothing to do. */
  status: "created" | "updated" | "unchanged";
  planId: number | null;
  title: string;
  year: number;
  sections: number;
  tasks: number;
  /** Counted targets in the document. */
  targets: number;
  planFields: PlanField[];
  added: AddedTask[];
  changed: ChangedTask[];
  unchanged: number;
  removed: RemovedTask[];
  /** Codes of unchanged tasks linked now to units the directory did not know at the last import. */
  linked: string[];
  /** How many units the directory has (none: every unit stays text until it is imported). */
  directoryUnits: number;
  /** Unit names in the plan the directory does not know; kept as text on the tasks. */
  unmatchedUnits: string[];
}

const FIELD_NAMES: Record<TaskField, string> = {
  code: "编号",
  title: "标题",
  body: "正文",
  section: "所属部分",
  targets: "目标",
  due: "截止日期",
  units: "负责单位",
};

/** The summary as the operator reads it after `huibao plan import`. */
export function formatPlanSummary(s: PlanImportSummary): string[] {
  const head = `《${s.title}》（${s.year} 年）：${s.sections} 个部分，${s.tasks} 项任务，${s.targets} 个计数目标。`;
  const lines: string[] = [];
  if (s.dryRun) lines.push("试运行：下面是导入将做的修改，数据库没有改动。");
  if (s.status === "unchanged") {
    lines.push(head, "没有变化：数据库里的计划和文件一致。");
    return [...lines, ...linkLines(s)];
  }
  if (!s.dryRun) lines.push(s.status === "created" ? "导入完成。" : "更新完成。");
  lines.push(
    head,
    `任务：新增 ${s.added.length}，修改 ${s.changed.length}，未变 ${s.unchanged}，移除 ${s.removed.length}`,
  );
  if (s.planFields.length > 0)
    lines.push(`  ~ 修改计划的${s.planFields.map((f) => PLAN_FIELD_NAMES[f]).join("、")}`);
  for (const t of s.added) lines.push(`  + ${t.code} ${t.title}${facts(t)}`);
  if (s.status === "updated") {
    for (const t of s.changed) {
      const moved = t.previousCode !== t.code ? `（原 ${t.previousCode}）` : "";
      lines.push(`  ~ 修改 ${t.code}${moved} ${t.title}：${t.fields.map((f) => FIELD_NAMES[f]).join("、")}`);
    }
  }
  for (const t of s.removed) {
    if (!t.kept) lines.push(`  - 移除 ${t.code} ${t.title}`);
    else {
      const code = t.renamedTo ? `，编号改为 ${t.renamedTo}` : "";
      lines.push(`  ! ${t.code} ${t.title} 已不在文件中，但已有 ${t.reports} 条进度汇报，保留${code}`);
    }
  }
  lines.push(...linkLines(s));
  if (s.changed.length > 0 || s.removed.length > 0) lines.push("已汇报的进度都保留，没有清零。");
  return lines;
}

const KIND_NAMES: Record<TargetKind, string> = {
  press_conference: "新闻发布会",
  lecture: "讲座",
  training: "培训",
  inspection: "督查",
  publication: "刊物",
  event: "活动",
  other: "",
};

/** "｜目标 2 讲座｜截止 2021-12-31｜牵头 宣传科｜配合 各分局" */
function facts(t: AddedTask): string {
  const parts = [
    t.target
      ? `目标 ${t.target.count}${KIND_NAMES[t.target.kind] ? ` ${KIND_NAMES[t.target.kind]}` : ""}`
      : "",
    t.due ? `截止 ${t.due}` : "",
    t.lead.length > 0 ? `牵头 ${t.lead.join("、")}` : "",
    t.support.length > 0 ? `配合 ${t.support.join("、")}` : "",
  ].filter((p) => p !== "");
  return parts.map((p) => `｜${p}`).join("");
}

const PLAN_FIELD_NAMES: Record<PlanField, string> = { issuer: "发文单位", issuedOn: "发文日期" };

function linkLines(s: PlanImportSummary): string[] {
  const lines: string[] = [];
  if (s.linked.length > 0)
    lines.push(`按通讯录为 ${s.linked.length} 项任务关联了负责单位：${s.linked.join("、")}`);
  if (s.directoryUnits === 0)
    lines.push(
      "通讯录里还没有单位，负责单位先按文字保存；导入通讯录（huibao directory import）后再导入一次计划即可关联。",
    );
  else if (s.unmatchedUnits.length > 0)
    lines.push(`通讯录里没有这些单位，按文字保存：${s.unmatchedUnits.join("、")}`);
  return lines;
}
