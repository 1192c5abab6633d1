import ExcelJS from "exceljs";
import type { DbClient } from "../../db/database.ts";
import { formatIso } from "../../lib/dates-zh/index.ts";

/** How each action reads for the inspectors (the code stays next to it, for machines). */
export const ACTION_LABELS: Record<string, string> = {
  submit: "送审",
  edit: "修改",
  approve: "同意",
  reject: "驳回",
  pass: "本级通过",
  approved: "审批通过",
  withdraw: "撤回",
  expire: "过期",
  publish: "已发布",
  remind: "提醒审批人",
  escalate: "告知管理员",
};

export const AUDIT_COLUMNS = [
  "记录编号",
  "时间",
  "稿件",
  "版本",
  "内容SHA256",
  "操作人",
  "操作人身份",
  "操作",
  "操作代码",
  "原文",
  "平台",
  "消息ID",
  "前一条哈希",
  "本条哈希",
] as const;

export type AuditRow = (string | number)[];

/** Records with from ≤ at < to, oldest first, as rows under AUDIT_COLUMNS (times in the zone). */
export async function auditRows(db: DbClient, from: Date, to: Date, timezone: string): Promise<AuditRow[]> {
  const records = await db.auditRecord.findMany({
    where: { at: { gte: from, lt: to } },
    orderBy: { id: "asc" },
  });
  return records.map((r) => [
    r.id.toString(),
    formatIso(r.at, timezone),
    `#${r.draftId}`,
    r.version,
    r.contentSha,
    r.actorName,
    r.actorRole,
    ACTION_LABELS[r.action] ?? r.action,
    r.action,
    r.rawText,
    r.platform ?? "",
    r.messageId ?? "",
    r.prevHash,
    r.hash,
  ]);
}

function csvCell(v: string | number): string {
  let s = String(v);
  // A cell a spreadsheet would run as a formula (=, +, -, @) is what someone typed in chat: keep it text.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV with a UTF-8 BOM, so Excel opens the Chinese text correctly. */
export function auditCsv(rows: readonly AuditRow[]): string {
  const lines = [AUDIT_COLUMNS, ...rows].map((r) => r.map(csvCell).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

export async function auditXlsx(rows: readonly AuditRow[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("审计记录");
  sheet.addRow([...AUDIT_COLUMNS]).font = { bold: true };
  for (const r of rows) sheet.addRow(r);
  sheet.views = [{ state: "frozen", ySplit: 1 }];
  const widths = [10, 26, 8, 6, 20, 10, 22, 12, 10, 40, 10, 24, 20, 20];
  widths.forEach((w, i) => {
    sheet.getColumn(i + 1).width = w;
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}
