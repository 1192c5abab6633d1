import { NUMERAL, readNumeral } from "../../lib/chinese-numerals.ts";
import { kindIn } from "./kinds.ts";
import type { Target, TargetKind } from "./types.ts";

/** Measure words of things a plan counts. 个 before a span of time (两个月) counts nothing. */
const MEASURE =
  "期次|场次|人次|期|次|场|个(?!月|工作日|小时|星期|季度|百分点)|名|条|篇|项|轮|届|份|本|部|堂|节|家";
/** What is counted: the words after the measure word, up to the end of the clause. */
const OBJECT = "[^，。；：！？、]{0,24}";
/** A few words between the distributive part and the number: 每季度【至少召开】一次. */
const FILLER = (n: number) => `[^，。；：！？、0-9零〇一二两三四五六七八九十百千]{0,${n}}?`;

/** Periods of 每…: how many there are in a year. Weekly and daily duties are routine, not targets. */
const PER_YEAR: [string, number | null][] = [
  ["个工作日", null],
  ["工作日", null],
  ["个季度", 4],
  ["季度", 4],
  ["两个月", 6],
  ["双月", 6],
  ["个月", 12],
  ["半年", 2],
  ["星期", null],
  ["月", 12],
  ["年", 1],
  ["周", null],
  ["天", null],
  ["日", null],
];
const PERIOD = PER_YEAR.map(([p]) => p).join("|");

const FREQUENCY = new RegExp(`每(${PERIOD})${FILLER(6)}(${NUMERAL})(${MEASURE})(${OBJECT})`, "gu");
const EXPLICIT = new RegExp(
  `(?<![0-9零〇一二两三四五六七八九十百千第])(${NUMERAL})(${MEASURE})(${OBJECT})`,
  "gu",
);
const EACH_COUNTED = new RegExp(`(?:各|分别)${FILLER(4)}(${NUMERAL})(${MEASURE})(${OBJECT})`, "uy");
const EACH_PLAIN = new RegExp(`(?:各|分别)(${OBJECT})`, "uy");
const DELIVERABLE = new RegExp(
  `(?:形成|编印|编制|编发|出版|印发|编辑|制作)(${FILLER(8)}(?:汇编|简报|画册|手册|专刊|年鉴|合集|宣传册))`,
  "gu",
);
/** A sentence about every unit (各单位…一名信息员) counts per unit, and how many units is not said. */
const PER_UNIT_SUBJECT = /^(?:局属各|机关各|各)(?:单位|分局|科室|处室|部门|大队|中队|科|处)/u;
/** The priority of a deliverable promised without a number (形成学习汇编): the weakest reading. */
const IMPLICIT = 1;
const ROUTINE = /每(?:周|星期|天|日|个工作日)/u;

interface Candidate {
  start: number;
  end: number;
  /** null: a routine duty (每周…) that counts nothing but keeps its numbers from being read again. */
  count: number | null;
  object: string;
  text: string;
  kind?: TargetKind;
  priority: number;
}

/**
 * The countable commitments of an item's text, in order. A distributive phrase that only restates a
 * number already given in the same sentence ("四次新闻发布会，每季度一次") adds nothing; one that
 * follows a bulletin promised without a number ("编印工作简报，每月一期") says how many.
 */
export function extractTargets(text: string, title = ""): Target[] {
  const targets: Target[] = [];
  for (const sentence of text.split(/[。！？；]/u)) {
    if (sentence.trim() === "" || PER_UNIT_SUBJECT.test(sentence.trim())) continue;
    let last: { target: Target; implicit: boolean } | null = null;
    for (const c of resolve(candidates(sentence))) {
      const clause = clauseAround(sentence, c.start);
      // 各单位选派2名通讯员: so many per unit, and the number of units is not said.
      if (c.count === null || PER_UNIT_SUBJECT.test(clause)) continue;
      if (c.object === "" && last) {
        if (last.implicit) last.target.count = c.count;
        if (last.implicit) last.target.text = `${last.target.text}，${clause.trim()}`;
        last.implicit = false;
        continue;
      }
      const kind =
        c.kind ??
        (c.object !== ""
          ? (kindIn(c.object) ?? kindIn(clause) ?? kindIn(title))
          : (kindIn(clause) ?? kindIn(sentence) ?? kindIn(title))) ??
        "other";
      const target = { kind, count: c.count, text: c.object === "" ? clause.trim() : c.text };
      targets.push(target);
      last = { target, implicit: c.priority === IMPLICIT };
    }
  }
  return targets;
}

function candidates(sentence: string): Candidate[] {
  const found: Candidate[] = [];
  for (const m of sentence.matchAll(FREQUENCY)) {
    const perYear = PER_YEAR.find(([p]) => p === m[1])?.[1] ?? null;
    const n = readNumeral(m[2] ?? "");
    if (n === null) continue;
    const object = trimObject(m[4] ?? "");
    const text = m[0].slice(0, m[0].length - (m[4] ?? "").length) + object;
    found.push(candidate(m.index, text, perYear === null ? null : perYear * n, object, 3));
  }
  for (const m of sentence.matchAll(/各|分别/gu)) {
    const each = distributive(sentence, m.index);
    if (each) found.push(each);
  }
  for (const m of sentence.matchAll(EXPLICIT)) {
    const n = readNumeral(m[1] ?? "");
    if (n === null || n === 0 || ROUTINE.test(clauseAround(sentence, m.index))) continue;
    const object = trimObject(m[3] ?? "");
    const text = m[0].slice(0, m[0].length - (m[3] ?? "").length) + object;
    found.push(candidate(m.index, text, n, object, 2));
  }
  for (const m of sentence.matchAll(DELIVERABLE)) {
    const object = m[1] ?? "";
    found.push({ ...candidate(m.index, m[0], 1, object, IMPLICIT), text: object, kind: "publication" });
  }
  return found;
}

/**
 * "上半年、下半年各一期", "环卫处、园林处、市政设施管理处…各组织一次比武", "上半年和下半年分别组织核查":
 * the things listed before 各 / 分别 each do it, so the count is multiplied by how many there are.
 */
function distributive(sentence: string, at: number): Candidate | null {
  const clauseStart = Math.max(sentence.lastIndexOf("，", at - 1), sentence.lastIndexOf("：", at - 1)) + 1;
  const list = sentence.slice(clauseStart, at);
  const parts = list.split(/、|和|及|与/u);
  if (parts.length < 2 || parts.some((p) => p === "" || p.length > 16)) return null;
  EACH_COUNTED.lastIndex = at;
  const counted = EACH_COUNTED.exec(sentence);
  if (counted) {
    const n = readNumeral(counted[1] ?? "");
    if (n === null) return null;
    const object = trimObject(counted[3] ?? "");
    const text = list + counted[0].slice(0, counted[0].length - (counted[3] ?? "").length) + object;
    return candidate(clauseStart, text, parts.length * n, object, 3);
  }
  EACH_PLAIN.lastIndex = at;
  const plain = EACH_PLAIN.exec(sentence);
  const object = trimObject(plain?.[1] ?? "");
  // Without a number, only an action that names what is counted: 分别组织核查.
  if (!plain || kindIn(object) === null) return null;
  return candidate(
    clauseStart,
    list + plain[0].slice(0, plain[0].length - (plain[1] ?? "").length) + object,
    parts.length,
    object,
    3,
  );
}

function candidate(
  start: number,
  text: string,
  count: number | null,
  object: string,
  priority: number,
): Candidate {
  return { start, end: start + text.length, count, object, text, priority };
}

/** An object ends where a second action starts: "讲座并形成报告" counts 讲座. */
function trimObject(object: string): string {
  const head = object.replace(/^(?:及以上|以上|左右|以内|多)/u, "");
  return head.split(/并|同时/u)[0]?.trim() ?? "";
}

/** Keeps the strongest reading of each stretch of text: a frequency over the bare number inside it. */
function resolve(found: Candidate[]): Candidate[] {
  const kept: Candidate[] = [];
  for (const c of [...found].sort((a, b) => b.priority - a.priority || a.start - b.start)) {
    if (!kept.some((k) => c.start < k.end && k.start < c.end)) kept.push(c);
  }
  return kept.sort((a, b) => a.start - b.start);
}

function clauseAround(sentence: string, at: number): string {
  const start = Math.max(sentence.lastIndexOf("，", at - 1), sentence.lastIndexOf("：", at - 1)) + 1;
  const ends = [sentence.indexOf("，", at), sentence.indexOf("：", at)].filter((i) => i >= 0);
  return sentence.slice(start, ends.length > 0 ? Math.min(...ends) : sentence.length);
}
