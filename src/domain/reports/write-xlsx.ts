import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { assessmentParts } from "./assessment-parts.ts";
import type { Assessment } from "./assessment-types.ts";
import { type CellType, type CellValue, cellType, wallDate } from "./cells.ts";

/**
 * The assessment as a workbook, one sheet per part, a header row on top. Numbers are numeric cells
 * (a share 0.75 shows as 75.0%, a progress of 60 is stored as 0.6 and shows as 60%), days and times
 * are date cells, so the inspectors can sum, sort and chart without retyping.
 */
const FORMATS: Partial<Record<CellType, string>> = {
  int: "0",
  share: "0.0%",
  percent: "0%",
  hours: "0.0",
  day: "yyyy-mm-dd",
  time: "yyyy-mm-dd hh:mm",
};

function value(v: CellValue, type: CellType, timezone: string): ExcelJS.CellValue {
  if (v === null || v === "") return null;
  if (v instanceof Date) return wallDate(v, timezone);
  if (type === "percent" && typeof v === "number") return v / 100;
  if (type === "day" && typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v))
    return new Date(`${v}T00:00:00Z`);
  return v;
}

export async function assessmentXlsx(a: Assessment): Promise<Buffer> {
  // The streaming writer: a half-year history can hold tens of thousands of rows.
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  wb.creator = "huibao";
  wb.title = a.title;
  wb.created = a.generatedAt;
  for (const part of assessmentParts(a)) {
    const ws = wb.addWorksheet(part.sheet, { views: [{ state: "frozen", ySplit: 1 }] });
    // A column's format is set once on the column; only the overview mixes formats in one column.
    ws.columns = part.columns.map((c) => {
      const numFmt = FORMATS[c.type];
      return { header: c.header, width: c.width, ...(numFmt ? { style: { numFmt } } : {}) };
    });
    ws.getRow(1).font = { bold: true };
    for (const [i, cells] of part.rows.entries()) {
      const row = ws.addRow(cells.map((v, j) => value(v, cellType(part, i, j), a.timezone)));
      cells.forEach((_, j) => {
        const fmt = part.columns[j]?.type === "byRow" ? FORMATS[cellType(part, i, j)] : undefined;
        if (fmt) row.getCell(j + 1).numFmt = fmt;
      });
      row.commit();
    }
    ws.commit();
  }
  await wb.commit();
  return Buffer.concat(chunks);
}
