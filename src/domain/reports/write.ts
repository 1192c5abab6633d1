import { mkdir, writeFile } from "node:fs/promises";
import { dirname, extname, resolve } from "node:path";
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

const REASONS: Record<string, string> = {
  ENOENT: "目录不存在",
  EACCES: "没有写入权限",
  EPERM: "没有写入权限",
  EISDIR: "这是一个目录",
  ENOTDIR: "路径中有一段不是目录",
  EROFS: "文件系统只读",
  ENOSPC: "磁盘已满",
};

// The system's own message is English and may run long: chat and the CLI get a short reason and the code.
const reasonOf = (code: string) => REASONS[code] ?? `写入失败（${code || "未知错误"}）`;

/** Writes the file; a path that cannot be written is a ReportError naming the path and why. */
export async function writeReportFile(path: string, content: Buffer | string): Promise<void> {
  try {
    await writeFile(path, content);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    throw new ReportError(`无法写入 ${path}：${reasonOf(code)}`);
  }
}

/** Where a chat-requested assessment goes: REPORTS_DIR/2021年上半年考核.xlsx (the folder is made). */
export async function reportPath(dir: string, a: Assessment, format: ReportFormat): Promise<string> {
  const path = resolve(dir, `${a.period.year}年${a.period.label}考核.${format}`);
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    throw new ReportError(`无法创建目录 ${dir}：${reasonOf(code)}`);
  }
  return path;
}
