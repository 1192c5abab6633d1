import { readFileSync } from "node:fs";
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type Scalar } from "yaml";
import { dayFromYmd } from "./dates-zh/zone.ts";
import { fileProblem } from "./file-problem.ts";
import { startLine, syntaxIssues } from "./yaml-lines.ts";

/**
 * The administrator's holiday file (HOLIDAYS_FILE): the State Council's schedule of a year the
 * bundled calendar does not have yet (it is published each November for the next year), or a
 * correction. Under each year, two lists of dates or ranges:
 *
 *   2027:
 *     holidays: [2027-01-01, 2027-02-06..2027-02-12]   # 放假
 *     workdays: [2027-02-20]                           # 调休上班
 *
 * A year written here counts as known from then on (the warning about a missing year stops), so
 * a year is only ever named as a whole schedule, never implied by one corrected day.
 */
export interface HolidayOverrides {
  /** The years whose whole schedule the file gives. */
  years: number[];
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

const LISTS = ["holidays", "workdays"] as const;
// A holiday break is at most a couple of weeks; a longer range is almost surely a typo (2027-02 → 2027-12).
const MAX_RANGE_DAYS = 31;
const RANGE = /^(\S+?)\s*(?:\.\.|~|～|至|到)\s*(\S+)$/u;
const YEAR = /^\d{4}$/;
const EXAMPLE = "2027:\n  holidays:\n    - 2027-01-01";

export function parseHolidayFile(text: string): HolidayFileResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: syntaxIssues(doc.errors, lines).map(({ line, message }) => ({ line, message })),
    };
  }
  const lineOf = (node: unknown) => startLine(node, lines) ?? 1;
  const empty: HolidayOverrides = { years: [], holidays: [], workdays: [] };
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === "")))
    return { ok: true, overrides: empty };
  if (!isMap(root)) {
    return { ok: false, issues: [{ line: lineOf(root), message: `文件应当按年份来写，例如：${EXAMPLE}` }] };
  }
  const issues: HolidayIssue[] = [];
  const years: number[] = [];
  const found = { holidays: new Map<string, number>(), workdays: new Map<string, number>() };
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? sourceOf(pair.key, text) : "";
    if (!YEAR.test(key)) {
      issues.push({
        line: lineOf(pair.key),
        message: `“${key}”不是年份：顶层写年份，例如 2027:，下面再写 holidays 和 workdays`,
      });
      continue;
    }
    const year = Number(key);
    years.push(year);
    const lists = pair.value;
    if (lists === null || (isScalar(lists) && lists.value === null)) continue;
    if (!isMap(lists)) {
      issues.push({
        line: lineOf(lists),
        message: `${year} 年下面应当写 holidays（放假）和 workdays（调休上班）两个列表`,
      });
      continue;
    }
    for (const entry of lists.items) {
      const name = isScalar(entry.key) ? String(entry.key.value) : "";
      const list = LISTS.find((l) => l === name);
      if (!list) {
        issues.push({
          line: lineOf(entry.key),
          message: `不认识的字段“${name}”：只能是 holidays（放假）或 workdays（调休上班）`,
        });
        continue;
      }
      const value = entry.value;
      if (value === null || (isScalar(value) && value.value === null)) continue;
      if (!isSeq(value)) {
        issues.push({
          line: lineOf(value),
          message: `${list} 应当是一个列表，每行“- 日期”或“- 开始日期..结束日期”`,
        });
        continue;
      }
      for (const item of value.items) {
        const line = lineOf(item);
        const days = isScalar(item)
          ? expand(sourceOf(item, text), year)
          : "每一项写一个日期或一段日期，例如 - 2027-02-06..2027-02-12";
        if (typeof days === "string") issues.push({ line, message: days });
        else for (const d of days) if (!found[list].has(d)) found[list].set(d, line);
      }
    }
  }
  for (const [d, line] of found.workdays) {
    if (found.holidays.has(d))
      issues.push({ line, message: `${d} 同时写在 holidays 和 workdays 里了，只能留一处` });
  }
  if (issues.length > 0) return { ok: false, issues: issues.sort((a, b) => a.line - b.line) };
  return {
    ok: true,
    overrides: { years, holidays: [...found.holidays.keys()], workdays: [...found.workdays.keys()] },
  };
}

/**
 * The item as written, not as YAML typed it: under a `%YAML 1.1` header `2027-01-01T01:00:00+08:00`
 * would become an instant (and 2026-12-31 in UTC), and `20270101` a number.
 */
function sourceOf(node: Scalar, text: string): string {
  const range = (node as Node).range;
  const raw = range ? text.slice(range[0], range[1]) : String(node.value ?? "");
  return raw
    .trim()
    .replace(/^(["'])(.*)\1$/su, "$2")
    .trim();
}

/** One list item → its days, or why it is refused. */
function expand(written: string, year: number): string[] | string {
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
  // A break may run across New Year (元旦 from 12-31); it must touch the year it is written under.
  if (start.year() > year || end.year() < year) return `“${written}”不在 ${year} 年：请写到对应年份下面`;
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
