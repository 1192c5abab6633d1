import { isHeadingStart, isItemStart, isStandaloneDate } from "./markers.ts";

/**
 * Text pulled out of a PDF, turned back into the paragraphs the author wrote: page numbers dropped,
 * lines broken at a page or line end joined again, spaces and half-width punctuation a converter
 * put between Chinese characters taken out. Returns one string per paragraph.
 */
export function repairText(text: string): string[] {
  const lines = text
    .replace(/\r\n?/gu, "\n")
    .replace(/\f/gu, "\n")
    .split("\n")
    .map(normalizeLine)
    .filter((l) => l !== "" && !isPageNumber(l));
  const paragraphs: string[] = [];
  let current: string | null = null;
  for (const line of lines) {
    if (current !== null && continues(current, line)) current = glue(current, line);
    else {
      if (current !== null) paragraphs.push(current);
      current = line;
    }
  }
  if (current !== null) paragraphs.push(current);
  return paragraphs.map(curlyQuotes);
}

const HAN = "\\p{Script=Han}";
/** Chinese punctuation and the full-width forms: a space next to them is never wanted. */
const CJK_PUNCT = "\\u3000-\\u303F\\uFF01-\\uFF0F\\uFF1A-\\uFF20\\uFF3B-\\uFF40\\uFF5B-\\uFF65“”‘’—…·";
const TIGHT = `${HAN}${CJK_PUNCT}`;

/** One line: full-width letters and digits as ASCII, no spaces inside Chinese text, Chinese punctuation. */
export function normalizeLine(line: string): string {
  let s = line
    .replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/gu, (c) =>
      String.fromCharCode(c.charCodeAt(0) - 0xfee0),
    )
    .replace(/[\u3000\u00A0\t]/gu, " ")
    .trim();
  // "2021 年 2 月 25 日", "编印 12 期", "宣 传 科": Chinese has no spaces between words.
  s = s.replace(new RegExp(`(?<=[${TIGHT}0-9])\\s+(?=[${TIGHT}])|(?<=[${TIGHT}])\\s+(?=[0-9])`, "gu"), "");
  s = s.replace(/(?<=[0-9])．/gu, ".");
  // Half-width punctuation a converter left next to Chinese text.
  const near = (p: string) => new RegExp(`(?<=[${TIGHT}])\\s*${p}\\s*|\\s*${p}\\s*(?=[${HAN}])`, "gu");
  s = s
    .replace(near(","), "，")
    .replace(near(";"), "；")
    .replace(near("\\?"), "？")
    .replace(near("!"), "！")
    .replace(new RegExp(`(?<=[${HAN}])\\s*:\\s*|(?<![0-9])\\s*:\\s*(?=[${HAN}])`, "gu"), "：")
    // Not after a section numeral: "一.加强学习" is a heading.
    .replace(
      new RegExp(`(?<=[${HAN}”’）》])(?<!^[一二三四五六七八九十]{1,3})\\.(?=$|\\s|[${HAN}])`, "gu"),
      "。",
    )
    .replace(new RegExp(`\\(\\s*([^()]*[${HAN}][^()]*?)\\s*\\)`, "gu"), "（$1）")
    .replace(new RegExp(`\\(\\s*([^()]*)\\s*\\)(?=[${HAN}])`, "gu"), "（$1）");
  return s.trim();
}

/** "— 2 —", "- 12 -", "2", "第 3 页", "第3页 共8页" alone on a line. */
export function isPageNumber(line: string): boolean {
  return (
    /^[—–\-－─_~·\s]*\d{1,3}[—–\-－─_~·\s]*$/u.test(line) ||
    /^第\s*\d{1,3}\s*页(?:[，,\s]*共\s*\d{1,3}\s*页)?$/u.test(line)
  );
}

/** A line that ends a sentence (or a heading with a colon) is not continued by the next one. */
function endsSentence(line: string): boolean {
  return /[。！？；：]$|[。！？][”’」』]$/u.test(line);
}

/**
 * Whether `next` carries on the sentence `current` broke off. Titles and signatures have no
 * punctuation inside, so a line without any is only continued by what cannot stand alone: a line
 * that starts with punctuation or with the character the break repeated, or a fragment like "加。".
 */
function continues(current: string, next: string): boolean {
  if (endsSentence(current)) return false;
  if (isHeadingStart(current) || isHeadingStart(next) || isItemStart(next) || isStandaloneDate(next))
    return false;
  // The tail of a word cut at the break: "神，做好宣传。", "加。".
  const tail = /^[^，。、；：！？]?[，。、；：！？]/u.test(next) || /^.{1,3}[。！？；]$/u.test(next);
  if (tail || repeated(current, next)) return true;
  const titleLike = !isItemStart(current) && !/[，。；]/u.test(current);
  if (titleLike && /(通知|要点|计划|方案|安排|意见)$/u.test(current)) return false;
  // A short item line with no punctuation is a heading of its own: "（一）加强理论学习".
  return /[，、。；]/u.test(current) || (isItemStart(current) && current.length > 20);
}

/**
 * Characters people really write twice (天天, 常常, 层层); any other character that ends one line and
 * starts the next is a PDF tool repeating it across the page break.
 */
const DOUBLED_ON_PURPOSE = new Set("常天人个处时事家年月日层步渐多刚往仅谢看试紧牢切实扎认真稳默明久");

function repeated(current: string, next: string): boolean {
  const last = current.at(-1) ?? "";
  return last === next[0] && /\p{Script=Han}/u.test(last) && !DOUBLED_ON_PURPOSE.has(last);
}

function glue(current: string, next: string): string {
  const rest = repeated(current, next) ? next.slice(1) : next;
  const space = /[A-Za-z0-9]$/u.test(current) && /^[A-Za-z0-9]/u.test(rest) ? " " : "";
  return normalizeLine(current + space + rest);
}

function curlyQuotes(paragraph: string): string {
  return paragraph.replace(new RegExp(`"([^"]*[${HAN}][^"]*)"`, "gu"), "“$1”");
}
