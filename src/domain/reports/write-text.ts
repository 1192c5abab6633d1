import { dayInZone } from "../tasks/zone.ts";
import { assessmentParts, type Part } from "./assessment-parts.ts";
import type { Assessment } from "./assessment-types.ts";
import { type CellValue, cellText, cellType, chineseDate } from "./cells.ts";
import { DOCX_MAX_ROWS } from "./write-docx.ts";

/** The assessment as Markdown (every part) and the per-task table as CSV. */

const mdCell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

function mdTable(part: Part, timezone: string): string[] {
  const numeric = part.columns.map((c) => !["text", "day", "time"].includes(c.type));
  const lines = [
    `| ${part.columns.map((c) => mdCell(c.header)).join(" | ")} |`,
    `| ${part.columns.map((_, j) => (numeric[j] ? "---:" : "---")).join(" | ")} |`,
  ];
  for (const [i, cells] of part.rows.entries()) {
    lines.push(`| ${cells.map((v, j) => mdCell(cellText(v, cellType(part, i, j), timezone))).join(" | ")} |`);
  }
  return lines;
}

export function assessmentMarkdown(a: Assessment): string {
  const p = a.period;
  const out = [
    `# ${a.title}`,
    "",
    `统计时段：${chineseDate(p.first)}—${chineseDate(p.asOf)}  `,
    `报告日期：${chineseDate(dayInZone(a.generatedAt, a.timezone))}  `,
    `工作计划：${a.planTitle}`,
  ];
  for (const part of assessmentParts(a, { maxRows: DOCX_MAX_ROWS })) {
    out.push("", `## ${part.numeral}、${part.title}`, "", ...part.intro);
    if (part.note) out.push("", part.note);
    if (part.rows.length > 0) out.push("", ...mdTable(part, a.timezone));
  }
  return `${out.join("\n")}\n`;
}

function csvField(v: CellValue, text: string): string {
  if (typeof v === "number") return String(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The per-task table, UTF-8 with a byte-order mark (without it Excel reads Chinese as mojibake),
 * CRLF line ends. Numbers are bare (progress 0…100 under a "（%）" header), times in the zone.
 */
export function assessmentCsv(a: Assessment): string {
  const part = assessmentParts(a).find((x) => x.sheet === "任务进度");
  if (!part) throw new Error("no task part");
  const header = part.columns.map((c) =>
    csvField(null, c.type === "percent" ? `${c.header}（%）` : c.header),
  );
  const rows = part.rows.map((cells, i) =>
    cells.map((v, j) => {
      const type = cellType(part, i, j);
      return csvField(v, typeof v === "number" ? String(v) : cellText(v, type, a.timezone));
    }),
  );
  return `\uFEFF${[header, ...rows].map((r) => r.join(",")).join("\r\n")}\r\n`;
}
