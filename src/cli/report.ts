import { parseArgs } from "node:util";
import type { DbClient } from "../db/database.ts";
import { loadAssessment } from "../domain/reports/assessment-data.ts";
import { parseHalf, ReportError } from "../domain/reports/period.ts";
import {
  checkFormat,
  formatOfPath,
  type ReportFormat,
  renderAssessment,
  writeReportFile,
} from "../domain/reports/write.ts";
import { dayInZone } from "../domain/tasks/zone.ts";

export interface ReportIO {
  db: DbClient;
  now: () => Date;
  timezone: string;
  out: (line: string) => void;
  err: (line: string) => void;
  /** Raw writes to stdout (`--out -`). */
  write: (chunk: string) => void;
  /** Where the progress bar goes (stderr), redrawn in place; absent when stderr is not a terminal. */
  progress?: (frame: string) => void;
}

const USAGE = [
  "用法：huibao report --half 1|2 [--year 2021] [--format xlsx|docx|csv|md] [--out 文件]",
  "  --half    1 或 上半年，2 或 下半年",
  "  --year    年份，默认今年",
  "  --format  xlsx（每部分一个工作表）、docx（正式报告）、csv（任务表）、md；默认看 --out 的扩展名，否则 xlsx",
  "  --out     输出文件，默认当前目录下的“2021年上半年考核.xlsx”；md 和 csv 可以写 - 输出到屏幕",
];

const BAR = 24;

/** "[██████░░░░░░] 3/8 环卫处" */
export function progressFrame(done: number, total: number, label: string): string {
  const filled = total > 0 ? Math.round((done / total) * BAR) : BAR;
  return `[${"█".repeat(filled)}${"░".repeat(BAR - filled)}] ${done}/${total} ${label}`;
}

function usageError(io: ReportIO, message: string): number {
  io.err(message);
  for (const line of USAGE) io.err(line);
  return 2;
}

/**
 * `huibao report …`: the half-year assessment as a file. Exit 0 written, 1 nothing to report or the
 * file could not be written, 2 wrong usage.
 */
export async function runReport(argv: string[], io: ReportIO): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        year: { type: "string" },
        half: { type: "string" },
        format: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }).values;
  } catch (e) {
    return usageError(io, (e as Error).message);
  }
  if (values.help) {
    for (const line of USAGE) io.out(line);
    return 0;
  }
  const halfText = values.half as string | undefined;
  if (halfText === undefined) return usageError(io, "缺少 --half（1 或 2）");
  const half = parseHalf(halfText);
  if (!half) return usageError(io, `--half 只能是 1（上半年）或 2（下半年），不是“${halfText}”`);
  const now = io.now();
  const yearText = (values.year as string | undefined) ?? dayInZone(now, io.timezone).slice(0, 4);
  if (!/^\d{4}$/.test(yearText)) return usageError(io, `--year 应是四位年份，不是“${yearText}”`);
  const year = Number(yearText);
  let out = values.out as string | undefined;
  let format: ReportFormat;
  try {
    const asked = values.format as string | undefined;
    format = asked !== undefined ? checkFormat(asked) : (out && formatOfPath(out)) || "xlsx";
  } catch (e) {
    if (e instanceof ReportError) return usageError(io, e.message);
    throw e;
  }
  if (out === "-" && (format === "xlsx" || format === "docx"))
    return usageError(io, `${format} 不能输出到屏幕，请用 --out 指定文件`);

  const draw = io.progress;
  try {
    const assessment = await loadAssessment(io.db, {
      year,
      half,
      now,
      timezone: io.timezone,
      onProgress: draw
        ? (done, total, label) => draw(`\r${progressFrame(done, total, label)}\x1b[K`)
        : undefined,
    });
    draw?.(`\r${progressFrame(1, 1, `生成 ${format}`)}\x1b[K`);
    const content = await renderAssessment(assessment, format);
    draw?.("\r\x1b[K");
    if (out === "-") {
      io.write(typeof content === "string" ? content : content.toString("utf8"));
      return 0;
    }
    out ??= `${year}年${assessment.period.label}考核.${format}`;
    await writeReportFile(out, content);
    io.out(`已写入 ${out}：${assessment.title}（任务 ${assessment.overview.tasks} 项）`);
    return 0;
  } catch (e) {
    draw?.("\r\x1b[K");
    if (e instanceof ReportError) {
      io.err(e.message);
      return 1;
    }
    throw e;
  }
}
