import { readNumeral } from "../../lib/chinese-numerals.ts";
import type { ProgressChange } from "./rules.ts";

/**
 * What follows the task code in 进度: "60% 说明", "６０％", "百分之六十", "+1 第二场已召开", "＋1",
 * "加一场", "-1 记重了", "完成", "+1 完成 说明". The note keeps the characters as typed.
 */
export type ReportInput = { ok: true; change: ProgressChange; note: string } | { ok: false };

const NUM = "[0-9０-９]+|[零〇一二两三四五六七八九十百]+";
const MEASURE = "(?:人次|期次|场次|场|次|期|个|项|篇|条|名|家|批|轮|堂|节|份|本|届)?";
// A word ends at a space, punctuation or the end, so "完成了两场" is not "完成".
const END = "(?=$|[\\s，,。.：:；;！!、])";
const DONE = "(?:全部完成|已完成|完成|done|complete)";

const COMPLETE = new RegExp(`^${DONE}${END}`, "iu");
const DELTA = new RegExp(`^([+＋]|加|[-－−–]|减)\\s*(${NUM})\\s*${MEASURE}(?:\\s*(${DONE})${END})?`, "iu");
const PERCENT_WORDS = new RegExp(`^百分之(${NUM})`, "u");
const PERCENT = new RegExp(`^([0-9０-９]+(?:[.．][0-9０-９]+)?)\\s*(?:[%％]|${END})`, "u");

function toNumber(text: string): number | null {
  const ascii = text.normalize("NFKC");
  if (/^[0-9]+(?:\.[0-9]+)?$/.test(ascii)) return Number(ascii);
  return readNumeral(text);
}

// What separates the number from the note: "60%，已开两场" or "60%:说明".
const noteAfter = (text: string) => text.replace(/^[\s，,。：:；;、]+/u, "").trim();

export function parseReportInput(input: string): ReportInput {
  const text = input.trim();
  let m = COMPLETE.exec(text);
  if (m) return { ok: true, change: { kind: "complete" }, note: noteAfter(text.slice(m[0].length)) };

  m = DELTA.exec(text);
  if (m) {
    const n = toNumber(m[2] ?? "");
    if (n === null) return { ok: false };
    const negative = /^[-－−–减]/u.test(m[1] ?? "");
    const note = noteAfter(text.slice(m[0].length));
    if (m[3]) return negative ? { ok: false } : { ok: true, change: { kind: "complete", delta: n }, note };
    return { ok: true, change: { kind: "count", delta: negative ? -n : n }, note };
  }

  m = PERCENT_WORDS.exec(text) ?? PERCENT.exec(text);
  if (m) {
    const n = toNumber(m[1] ?? "");
    if (n === null) return { ok: false };
    return {
      ok: true,
      change: { kind: "percent", percent: Math.round(n) },
      note: noteAfter(text.slice(m[0].length)),
    };
  }
  return { ok: false };
}
