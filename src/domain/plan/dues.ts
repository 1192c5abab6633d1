import { NUMERAL, readNumeral } from "../../lib/chinese-numerals.ts";

const MONTH_END = new RegExp(`(${NUMERAL})月(?:份)?(?:底|末)(?:前|之前|以前)?`, "gu");
const DAY = new RegExp(`(${NUMERAL})月(${NUMERAL})日(?:前|之前|以前)`, "gu");
const QUARTER = /(?:第)?([一二三四1-4])季度(?:末|底)?(?:前|之前|以前)?/gu;
const YEAR_END = /年底|年末|年内|全年|下半年/u;
const FIRST_HALF = /上半年/u;

/**
 * When an item must be done, as YYYY-MM-DD in the plan's year: the latest deadline it names
 * (6月底前完成推荐，年底前评选表彰 → year end). 全年 and 下半年 end with the year. Null when none.
 */
export function extractDue(text: string, year: number): string | null {
  const dates: string[] = [];
  for (const m of text.matchAll(MONTH_END)) {
    const month = readNumeral(m[1] ?? "");
    if (month && month <= 12) dates.push(ymd(year, month, daysIn(year, month)));
  }
  for (const m of text.matchAll(DAY)) {
    const [month, day] = [readNumeral(m[1] ?? ""), readNumeral(m[2] ?? "")];
    if (month && day && month <= 12 && day <= daysIn(year, month)) dates.push(ymd(year, month, day));
  }
  for (const m of text.matchAll(QUARTER)) {
    const q = readNumeral(m[1] ?? "");
    if (q && q <= 4) dates.push(ymd(year, q * 3, daysIn(year, q * 3)));
  }
  if (FIRST_HALF.test(text)) dates.push(ymd(year, 6, 30));
  if (YEAR_END.test(text)) dates.push(ymd(year, 12, 31));
  return dates.sort().at(-1) ?? null;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function ymd(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}
