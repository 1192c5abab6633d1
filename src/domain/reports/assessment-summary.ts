import type { Assessment } from "./assessment-types.ts";
import { formatShare } from "./cells.ts";

/** The assessment in a few lines for chat, with where the full file is. */
export function assessmentSummary(a: Assessment, file: string): string {
  const o = a.overview;
  const p = a.period;
  const asOf = `${Number(p.asOf.slice(5, 7))}月${Number(p.asOf.slice(8, 10))}日`;
  const lines = [
    `${p.year} 年${p.label}考核（${p.complete ? "" : "进行中，"}统计截至 ${asOf}）`,
    `${a.planTitle}：任务 ${o.tasks} 项，已完成 ${o.done} 项（${formatShare(o.completionRate)}），逾期 ${o.overdue} 项`,
  ];
  if (a.units.length > 0) {
    lines.push("各单位（牵头）：");
    for (const u of a.units) {
      lines.push(
        `${u.unit} 完成 ${u.done}/${u.tasks}（${formatShare(u.completionRate)}），逾期 ${u.overdue}`,
      );
    }
  }
  const median = o.medianHours === null ? "" : `，审批用时中位数 ${o.medianHours} 小时`;
  lines.push(`期内汇报 ${o.reports} 条，举办活动 ${o.eventsHeld} 场`);
  lines.push(`送审 ${o.drafts} 篇：通过 ${o.approved}、驳回 ${o.rejected}、过期 ${o.expired}${median}`);
  lines.push(`完整报表（Excel）：${file}`);
  return lines.join("\n");
}
