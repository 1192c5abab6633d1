import type { Action, Plan, Step } from "./plan.ts";

export type Entity = "unit" | "person" | "group" | "channel";

export interface EntityCounts {
  created: number;
  updated: number;
  unchanged: number;
  /** Units and groups deleted, people unplaced (only with prune). */
  removed: number;
  /** In the database but not in the file, and kept (without prune; or people already unplaced). */
  notInFile: number;
}

export interface Change {
  entity: Entity;
  action: Exclude<Action, "unchanged">;
  name: string;
  /** YAML names of the fields that change. Never values: groups carry secrets. */
  fields: string[];
}

export interface ImportSummary {
  dryRun: boolean;
  prune: boolean;
  units: EntityCounts;
  people: EntityCounts;
  groups: EntityCounts;
  /** Only when the file has a `channels:` section. */
  channels?: EntityCounts;
  changes: Change[];
}

function count(steps: Step<unknown>[]): EntityCounts {
  const c: EntityCounts = { created: 0, updated: 0, unchanged: 0, removed: 0, notInFile: 0 };
  for (const s of steps) c[s.action] += 1;
  return c;
}

export function summarize(plan: Plan, options: { dryRun: boolean; prune: boolean }): ImportSummary {
  const changes: Change[] = [];
  const add = (entity: Entity, steps: Step<unknown>[]) => {
    for (const s of steps)
      if (s.action !== "unchanged")
        changes.push({ entity, action: s.action, name: s.label, fields: s.fields });
  };
  add("unit", plan.units);
  add("person", plan.people);
  add("group", plan.groups);
  if (plan.channels) add("channel", plan.channels);
  return {
    ...options,
    units: count(plan.units),
    people: count(plan.people),
    groups: count(plan.groups),
    ...(plan.channels ? { channels: count(plan.channels) } : {}),
    changes,
  };
}

const NOUN: Record<Entity, string> = { unit: "单位", person: "人员", group: "群", channel: "审批渠道" };
/** People are never deleted, only unplaced; the words must say so. */
const REMOVED: Record<Entity, string> = {
  unit: "删除",
  person: "设为未登记",
  group: "删除",
  channel: "删除",
};
const MAX_LINES = 60;

/** The summary in Chinese, as `huibao directory import` prints it. */
export function formatSummary(s: ImportSummary): string[] {
  const lines = [s.dryRun ? "试运行：下面是导入将做的修改，数据库没有改动。" : "导入完成。"];
  const sections: [Entity, EntityCounts][] = [
    ["unit", s.units],
    ["person", s.people],
    ["group", s.groups],
  ];
  if (s.channels) sections.push(["channel", s.channels]);
  for (const [entity, c] of sections) {
    const parts = [`新增 ${c.created}`, `更新 ${c.updated}`, `未变 ${c.unchanged}`];
    if (c.removed) parts.push(`${REMOVED[entity]} ${c.removed}`);
    if (c.notInFile) parts.push(`文件中没有 ${c.notInFile}（已保留）`);
    lines.push(`${NOUN[entity]}：${parts.join("，")}`);
  }
  const shown = s.changes.slice(0, MAX_LINES).map((c) => `  ${describe(c)}`);
  if (shown.length) lines.push("明细：", ...shown);
  if (s.changes.length > MAX_LINES) lines.push(`  ……另有 ${s.changes.length - MAX_LINES} 项`);
  if (!s.prune && s.changes.some((c) => c.action === "notInFile")) {
    const kept = s.changes.some((c) => c.action === "notInFile" && c.entity === "channel")
      ? "、群和审批渠道"
      : "和群";
    lines.push(`文件中没有的条目都保留了；加 --prune 会删除这些单位${kept}，并把这些人设为未登记。`);
  }
  if (s.changes.length === 0) lines.push("通讯录与文件一致，没有需要修改的。");
  return lines;
}

function describe(c: Change): string {
  const what = `${NOUN[c.entity]}「${c.name}」`;
  const fields = c.fields.join("、");
  switch (c.action) {
    case "created":
      return `+ 新增${what}`;
    case "updated":
      return `~ 更新${what}：${fields}`;
    case "removed":
      return `- ${REMOVED[c.entity]}${what}`;
    case "notInFile":
      return `? ${what}不在文件中，已保留${fields ? `（${fields} 已让给文件里的条目）` : ""}`;
  }
}
