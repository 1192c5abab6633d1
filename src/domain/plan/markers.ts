import { readNumeral } from "../../lib/chinese-numerals.ts";

/** How a plan numbers its parts: 一、 sections; 1. or （一） items. */
const HEADING = /^([一二三四五六七八九十]{1,3})[、．.]\s*(.+)$/u;
const ITEM_DIGIT = /^(\d{1,2})\s*[.．、]\s*(?!\d)(.+)$/u;
const ITEM_PAREN = /^[（(]([一二三四五六七八九十]{1,3}|\d{1,2})[）)]\s*(.+)$/u;
const DATE_LINE =
  /^(\d{4}|[零〇一二三四五六七八九]{4})年(\d{1,2}|[一二三四五六七八九十]{1,3})月(\d{1,2}|[一二三四五六七八九十]{1,3})日$/u;

export function isHeadingStart(line: string): boolean {
  return HEADING.test(line);
}

export function isItemStart(line: string): boolean {
  return ITEM_DIGIT.test(line) || ITEM_PAREN.test(line);
}

export function isStandaloneDate(line: string): boolean {
  return DATE_LINE.test(line);
}

export interface Heading {
  no: number;
  numeral: string;
  text: string;
}

export function readHeading(line: string): Heading | null {
  const m = HEADING.exec(line);
  const no = m?.[1] ? readNumeral(m[1]) : null;
  return m?.[1] && m[2] && no ? { no, numeral: m[1], text: m[2].trim() } : null;
}

export interface ItemStart {
  no: number;
  /** "digit" for 1. 2., "paren" for （一）（二）: a section numbers its items one way. */
  style: "digit" | "paren";
  text: string;
}

export function readItemStart(line: string): ItemStart | null {
  const d = ITEM_DIGIT.exec(line);
  if (d?.[1] && d[2]) return { no: Number(d[1]), style: "digit", text: d[2].trim() };
  const p = ITEM_PAREN.exec(line);
  const no = p?.[1] ? readNumeral(p[1]) : null;
  return p?.[2] && no ? { no, style: "paren", text: p[2].trim() } : null;
}

/** "2021年2月25日" → "2021-02-25"; null unless the whole line is a date. */
export function readDateLine(line: string): string | null {
  const m = DATE_LINE.exec(line);
  if (!m?.[1] || !m[2] || !m[3]) return null;
  const [y, mo, d] = [readNumeral(m[1]), readNumeral(m[2]), readNumeral(m[3])];
  if (!y || !mo || !d || mo > 12 || d > 31) return null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}
