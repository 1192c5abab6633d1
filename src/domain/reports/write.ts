import { mkdir, writeFile } from "node:fs/promises";
import { dirname, extname, resolve } from "node:path";
import { fileProblem } from "../../lib/file-problem.ts";
import type { Assessment } from "./assessment-types.ts";
import { ReportError } from "./period.ts";
import { assessmentDocx } from "./write-docx.ts";
import { assessmentCsv, assessmentMarkdown } from "./write-text.ts";
import { assessmentXlsx } from "./write-xlsx.ts";

export const FORMATS = ["xlsx", "docx", "csv", "md"] as const;
export type ReportFormat = (typeof FORMATS)[number];

export function isFormat(text: string): text is ReportFormat {
  return (FORMATS as readonly string[]).includes(text);
}

/** The format a file name asks for (".XLSX" → xlsx), if it is one we write. */
export function formatOfPath(path: string): ReportFormat | undefined {
  const ext = extname(path).slice(1).toLowerCase();
  return isFormat(ext) ? ext : undefined;
}

export function checkFormat(text: string): ReportFormat {
  const f = text.trim().toLowerCase().replace(/^\./, "");
  if (!isFormat(f)) throw new ReportError(`不支持的格式：${text}（可以用 ${FORMATS.join("、")}）`);
  return f;
}

export async function renderAssessment(a: Assessment, format: ReportFormat): Promise<Buffer | string> {
  switch (format) {
    case "xlsx":
      return assessmentXlsx(a);
    case "docx":
      return assessmentDocx(a);
    case "csv":
      return assessmentCsv(a);
    case "md":
      return assessmentMarkdown(a);
  }
}

/** Writes the file; a path that cannot be written is a ReportError naming the path and why. */
export async function writeReportFile(path: string, content: Buffer | string): Promise<void> {
  try {
    await writeFile(path, content);
  } catch (e) {
    throw new ReportError(fileProblem(path, e, "write"));
  }
}

/** Where a chat-requested assessment goes: REPORTS_DIR/2021年上半年考核.xlsx (the folder is made). */
export async function reportPath(dir: string, a: Assessment, format: ReportFormat): Promise<string> {
  const path = resolve(dir, `${a.period.year}年${a.period.label}考核.${format}`);
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (e) {
    throw new ReportError(fileProblem(dir, e, "mkdir"));
  }
  return path;
}
