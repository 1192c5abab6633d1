/** Small pieces the digest and the assessment share. */

/** Reports that move a task (edits of owners and due dates, and undo rows, do not). */
export const PROGRESS_KINDS = ["percent", "count", "complete"];

/** The number of the item within its section: "2.10" → 10, so 2.10 comes after 2.9. */
function itemNo(code: string): number {
  const n = Number.parseInt(code.split(".")[1] ?? "", 10);
  return Number.isNaN(n) ? Number.MAX_SAFE_INTEGER : n;
}

/** Plan order: section, then item number, then the code as written. */
export function byPlanOrder(a: { sectionNo: number; code: string }, b: { sectionNo: number; code: string }) {
  return a.sectionNo - b.sectionNo || itemNo(a.code) - itemNo(b.code) || a.code.localeCompare(b.code);
}

/** The name people use: the first alias (宣传科) rather than the full name. */
export function unitLabel(unit: { name: string; aliases: readonly string[] }): string {
  return unit.aliases[0] ?? unit.name;
}

/** The name of stage `index` in a draft's stored chain ([{ name, … }]), if it has one. */
export function stageName(stages: unknown, index: number): string | null {
  if (!Array.isArray(stages)) return null;
  const stage = stages[index] as { name?: unknown } | undefined;
  return typeof stage?.name === "string" && stage.name !== "" ? stage.name : null;
}

const CELLS = 10;

/** Ten cells for a share between 0 and 1; full only when all is done. */
export function ratioBar(done: number, total: number): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.max(0, Math.min(CELLS, Math.floor(ratio * CELLS + 1e-9)));
  return "▓".repeat(filled) + "░".repeat(CELLS - filled);
}

/** Whole days from one calendar day (YYYY-MM-DD) to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** What one report did, in a few characters: "+1（2/4）", "40%→60%", "完成". */
export function changeText(r: {
  kind: string;
  percentBefore: number;
  percentAfter: number;
  countBefore: number;
  countAfter: number;
  targetCount: number | null;
}): string {
  if (r.kind === "complete") return "完成";
  if (r.kind === "count") {
    const d = r.countAfter - r.countBefore;
    const total = r.targetCount ? `/${r.targetCount}` : "";
    return `${d >= 0 ? "+" : ""}${d}（${r.countAfter}${total}）`;
  }
  return `${r.percentBefore}%→${r.percentAfter}%`;
}
