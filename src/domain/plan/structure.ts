import { readNumeral } from "../../lib/chinese-numerals.ts";
import { extractDue } from "./dues.ts";
import { PlanInputError } from "./errors.ts";
import { isStandaloneDate, readDateLine, readHeading, readItemStart } from "./markers.ts";
import { repairText } from "./repair.ts";
import { extractTargets } from "./targets.ts";
import type { ParsedPlan, PlanItem, PlanSection } from "./types.ts";
import { extractUnits } from "./units.ts";

export interface ParseOptions {
  /** Overrides the year the document names (dates and dues are in this year). */
  year?: number;
}

/** The plan's own title (the notice's title is "关于印发《…》的通知"). */
const TITLE = /^[^，。；：、]{2,60}(?:工作要点|要点|工作计划|计划|实施方案|方案|工作安排|安排)$/u;
const NOTICE_TITLE = /^关于印发《(.+)》的通知$/u;
/** Lines after the last item that close the document rather than continue it. */
const TRAILER = /^(?:附件|抄送|印发|主送|联系人|联系电话)/u;
const YEAR_IN_TITLE = /(\d{4}|[零〇一二三四五六七八九]{4})年/u;

interface DraftItem {
  no: number;
  style: "digit" | "paren";
  paragraphs: string[];
}

interface DraftSection {
  no: number;
  numeral: string;
  title: string;
  style?: "digit" | "paren";
  items: DraftItem[];
}

/**
 * A work plan as text (the notice that issues it, then the plan: sections 一、二、…, items 1. 2. or
 * （一）（二）) to its structure. PDF artifacts are repaired first.
 * @throws PlanInputError when the text is not a plan.
 */
export function parsePlan(text: string, options: ParseOptions = {}): ParsedPlan {
  const paragraphs = repairText(text);
  if (paragraphs.length === 0) throw new PlanInputError("文件是空的，没有可导入的内容");
  const firstHeading = paragraphs.findIndex((p) => readHeading(p) !== null);
  if (firstHeading < 0)
    throw new PlanInputError("文件里没有“一、二、三……”这样的章节，看起来不是工作要点或工作计划");
  const front = paragraphs.slice(0, firstHeading);
  const { sections, trailer } = readBody(paragraphs.slice(firstHeading));
  if (sections.every((s) => s.items.length === 0))
    throw new PlanInputError("文件里有章节，但没有“1. 2.”或“（一）（二）”这样编号的工作事项");

  const dated = datedSignature(front) ?? datedSignature(trailer);
  const title = findTitle(front);
  const titleYear = title ? readNumeral(YEAR_IN_TITLE.exec(title)?.[1] ?? "") : null;
  const year = options.year ?? titleYear ?? (dated ? Number(dated.date.slice(0, 4)) : null);
  if (!year) throw new PlanInputError("无法从文件确定计划的年份，请加上 --year，例如 --year 2021");
  const planTitle = title ?? `${year}年工作计划`;
  return {
    title: planTitle,
    year,
    issuer: dated?.issuer ?? issuerFromTitle(planTitle),
    issuedOn: dated?.date ?? null,
    sections: sections.map((s) => toSection(s, year)),
  };
}

function readBody(paragraphs: string[]): { sections: DraftSection[]; trailer: string[] } {
  const sections: DraftSection[] = [];
  for (let i = 0; i < paragraphs.length; i++) {
    const p = paragraphs[i] ?? "";
    const heading = readHeading(p);
    if (heading) {
      if (sections.some((s) => s.no === heading.no))
        throw new PlanInputError(`章节编号“${heading.numeral}、”出现了两次，请检查文件`);
      sections.push({ no: heading.no, numeral: heading.numeral, title: heading.text, items: [] });
      continue;
    }
    const section = sections.at(-1);
    if (!section) continue;
    const item = readItemStart(p);
    // A section numbers its items one way; the other way numbers points inside an item.
    if (item && (section.style === undefined || section.style === item.style)) {
      section.style = item.style;
      if (section.items.some((it) => it.no === item.no))
        throw new PlanInputError(`第${section.numeral}部分的第 ${item.no} 项编号出现了两次，请检查文件`);
      section.items.push({ no: item.no, style: item.style, paragraphs: [item.text] });
      continue;
    }
    if (TRAILER.test(p) || isStandaloneDate(p) || isStandaloneDate(paragraphs[i + 1] ?? "")) {
      return { sections, trailer: paragraphs.slice(i) };
    }
    section.items.at(-1)?.paragraphs.push(p);
  }
  return { sections, trailer: [] };
}

function toSection(s: DraftSection, year: number): PlanSection {
  return {
    no: s.no,
    numeral: s.numeral,
    title: s.title.replace(/[。；]$/u, ""),
    items: s.items.map((it) => toItem(s.no, it, year)),
  };
}

function toItem(sectionNo: number, draft: DraftItem, year: number): PlanItem {
  const [first = "", ...more] = draft.paragraphs;
  const stop = first.indexOf("。");
  const title = stop >= 0 ? first.slice(0, stop) : first;
  const body = [stop >= 0 ? first.slice(stop + 1).trim() : "", ...more].filter((p) => p !== "").join("\n");
  const targets = extractTargets(body, title);
  return {
    code: `${sectionNo}.${draft.no}`,
    title,
    body,
    targets: targets.length > 0 || body === "" ? targets : extractTargets(title),
    due: extractDue(`${title}。${body}`, year),
    units: extractUnits(`${title}。${body}`),
  };
}

function findTitle(front: string[]): string | null {
  for (let i = front.length - 1; i >= 0; i--) {
    const p = front[i] ?? "";
    if (!TITLE.test(p) || p.startsWith("关于")) continue;
    // A long title printed on two lines: "滨江市城市管理局2021年" / "宣传工作要点".
    const above = front[i - 1] ?? "";
    const split = !YEAR_IN_TITLE.test(p) && /年$/u.test(above) && !/[，。；：、]/u.test(above);
    return split ? above + p : p;
  }
  for (const p of front) {
    const m = NOTICE_TITLE.exec(p);
    if (m?.[1]) return m[1];
  }
  return null;
}

/** The issuer's name above the date that closes the notice (or the plan). */
function datedSignature(paragraphs: string[]): { issuer: string | null; date: string } | null {
  for (let i = 0; i < paragraphs.length; i++) {
    const date = readDateLine(paragraphs[i] ?? "");
    if (!date) continue;
    const above = paragraphs[i - 1] ?? "";
    const issuer =
      above.length <= 30 && !/[，。；：、《》]/u.test(above) && !TITLE.test(above) ? above : null;
    return { issuer: issuer || null, date };
  }
  return null;
}

/** "滨江市城市管理局2021年宣传工作要点" is issued by 滨江市城市管理局. */
function issuerFromTitle(title: string): string | null {
  const m = YEAR_IN_TITLE.exec(title);
  return m && m.index >= 2 ? title.slice(0, m.index) : null;
}
