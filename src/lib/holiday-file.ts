import { readFileSync } from "node:fs";
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { dayFromYmd } from "./dates-zh/zone.ts";
import { fileProblem } from "./file-problem.ts";

/**
 * The administrator's holiday file (HOLIDAYS_FILE): the State Council's schedule for a year the
 * bundled calendar does not have yet (it is published each November for the next year), or a
 * correction. Two lists of dates or ranges:
 *
 *   holidays: [2027-01-01, 2027-02-06..2027-02-12]   # 放假
 *   workdays: [2027-02-13]                           # 调休上班
 */
export interface HolidayOverrides {
  holidays: string[];
  workdays: string[];
}

export interface HolidayIssue {
  line: number;
  message: string;
}

export type HolidayFileResult =
  | { ok: true; overrides: HolidayOverrides }
  | { ok: false; issues: HolidayIssue[] };

const KEYS = { holidays: "holidays", workdays: "workdays" } as const;
// A holiday break is at most a couple of weeks; a longer range is almost surely a typo (2027-02 → 2027-12).
const MAX_RANGE_DAYS = 31;
const RANGE = /^(\S+?)\s*(?:\.\.|~|～|至|到)\s*(\S+)$/u;

export function parseHolidayFile(text: string): HolidayFileResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const lineOf = (node: unknown) => {
    const range = (node as Node | null | undefined)?.range;
    return range ? lines.linePos(range[0]).line : 1;
  };
  const issues: HolidayIssue[] = doc.errors.map((e) => ({
    line: e.linePos?.[0].line ?? lines.linePos(e.pos[0]).line,
    message: `YAML 语法错误（${e.message.split("\n")[0]}）`,
  }));
  if (issues.length > 0) return { ok: false, issues };
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ""))) {
    return { ok: true, overrides: { holidays: [], workdays: [] } };
  }
  if (!isMap(root)) {
    return {
      ok: false,
      issues: [{ line: lineOf(root), message: "文件应当写成 holidays: 和 workdays: 两个列表" }],
    };
  }
  const found: Record<keyof typeof KEYS, Map<string, number>> = { holidays: new Map(), workdays: new Map() };
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    if (key !== KEYS.holidays && key !== KEYS.workdays) {
      issues.push({
        line: lineOf(pair.key),
        message: `不认识的字段“${key}”：只能是 holidays（放假）或 workdays（调休上班）`,
      });
      continue;
    }
    const value = pair.value;
    if (value === null || (isScalar(value) && value.value === null)) continue;
    if (!isSeq(value)) {
      issues.push({
        line: lineOf(value),
        message: `${key} 应当是一个列表，每行“- 日期”或“- 开始日期..结束日期”`,
      });
      continue;
    }
    for (const item of value.items) {
      const line = lineOf(item);
      const raw = isScalar(item) ? item.value : undefined;
      const written =
        raw instanceof Date ? raw.toISOString().slice(0, 10) : typeof raw === "string" ? raw.trim() : "";
      const days = expand(written);
      if (typeof days === "string") {
        issues.push({ line, message: days });
        continue;
      }
      for (const d of days) if (!found[key].has(d)) found[key].set(d, line);
    }
  }
  for (const [d, line] of found.workdays) {
    if (found.holidays.has(d)) {
      issues.push({ line, message: `${d} 同时写在 holidays 和 workdays 里了，只能留一处` });
    }
  }
  if (issues.length > 0) return { ok: false, issues: issues.sort((a, b) => a.line - b.line) };
  return {
    ok: true,
    overrides: { holidays: [...found.holidays.keys()], workdays: [...found.workdays.keys()] },
  };
}

/** One list item → its days, or why it is refused. */
function expand(written: string): string[] | string {
  if (written === "") return "这一项是空的：写一个日期，例如 2027-01-01";
  const range = RANGE.exec(written);
  const [from, to] = range ? [range[1] ?? "", range[2] ?? ""] : [written, written];
  const start = dayFromYmd(from);
  const end = dayFromYmd(to);
  if (!start) return `“${from}”不是日期：请写成 2027-01-01 这样的格式`;
  if (!end) return `“${to}”不是日期：请写成 2027-01-01 这样的格式`;
  const span = end.diff(start, "day");
  if (span < 0) return `“${written}”的结束日期早于开始日期`;
  if (span >= MAX_RANGE_DAYS) return `“${written}”跨了 ${span + 1} 天，放假不会这么长，请检查日期`;
  return Array.from({ length: span + 1 }, (_, i) => start.add(i, "day").format("YYYY-MM-DD"));
}

/** The file at `path`, read and checked: what went wrong is one summary and one line per mistake. */
export function readHolidayFile(
  path: string,
): { ok: true; overrides: HolidayOverrides } | { ok: false; summary: string; lines: string[] } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    return { ok: false, summary: fileProblem(path, err, "read"), lines: [] };
  }
  const parsed = parseHolidayFile(text);
  if (parsed.ok) return parsed;
  return {
    ok: false,
    summary: `${path} 有 ${parsed.issues.length} 处错误`,
    lines: parsed.issues.map((i) => `第 ${i.line} 行：${i.message}`),
  };
}
