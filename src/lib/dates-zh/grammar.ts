import { NUMBER, readNumber } from "./numerals.ts";
import {
  alternatives,
  DAY_WORDS,
  OFFSET_UNITS,
  PERIODS,
  type Period,
  WEEK_PREFIXES,
  WEEK_WORDS,
  WEEKDAYS,
} from "./tables.ts";

export type DayRef =
  | { kind: "relative"; days: number }
  | { kind: "date"; year?: number; month: number; date: number }
  | { kind: "monthDay"; date: number }
  | { kind: "week"; weeks: number; weekday: number }
  | { kind: "weekday"; weekday: number }
  | { kind: "workday" };

/** What the words say, before it is placed on a calendar. */
export interface Spec {
  day?: DayRef;
  period?: { word: string; period: Period };
  time?: { hour: number; minute: number; text: string };
  /** "两小时后": an instant relative to now; nothing else may follow. */
  afterMinutes?: number;
}

export interface Refusal {
  reason: string;
}

// An expression reads day, then part of the day, then clock time; each is optional.
const DAY = 0;
const PERIOD = 1;
const TIME = 2;
const DONE = 3;

interface Rule {
  stage: number;
  pattern: RegExp;
  read(m: RegExpExecArray): { spec: Spec; next: number } | Refusal;
}

const rule = (stage: number, source: string, read: Rule["read"]): Rule => ({
  stage,
  pattern: new RegExp(source, "uy"),
  read,
});

const g = (m: RegExpExecArray, i: number) => m[i] ?? "";

function numbers(...texts: string[]): number[] | Refusal {
  const out: number[] = [];
  for (const t of texts) {
    const n = readNumber(t);
    if (n === undefined) return { reason: `没看懂数字“${t}”` };
    out.push(n);
  }
  return out;
}

const isRefusal = (x: unknown): x is Refusal => typeof x === "object" && x !== null && "reason" in x;

const periodByWord = new Map(PERIODS.flatMap((p) => p.words.map((w) => [w, p] as const)));

function dated(
  year: string | undefined,
  month: string,
  date: string,
): { spec: Spec; next: number } | Refusal {
  const n = numbers(...(year ? [year] : []), month, date);
  if (isRefusal(n)) return n;
  const [y, m, d] = year ? n : [undefined, ...n];
  return { spec: { day: { kind: "date", year: y, month: m ?? 0, date: d ?? 0 } }, next: PERIOD };
}

const SPOKEN_MINUTES: Record<string, string> = {
  "": "0",
  整: "0",
  半: "30",
  一刻: "15",
  "1刻": "15",
  三刻: "45",
  "3刻": "45",
};

const EXAMPLES = "可以这样写：明天下午3点、下周三上午9点、3月20日14:00、两小时后";

const RULES: Rule[] = [
  rule(DAY, "下一?个?工作日", () => ({ spec: { day: { kind: "workday" } }, next: PERIOD })),
  rule(DAY, `(${NUMBER}|半)(个)?(半)?(${alternatives(Object.keys(OFFSET_UNITS))})(?:之后|以后|后)`, (m) => {
    const half = g(m, 1) === "半" || g(m, 3) === "半";
    const whole = g(m, 1) === "半" ? 0 : readNumber(g(m, 1));
    if (whole === undefined) return { reason: `没看懂数字“${g(m, 1)}”` };
    const unit = OFFSET_UNITS[g(m, 4)] ?? {};
    if (unit.minutes === 60) {
      return { spec: { afterMinutes: (whole + (half ? 0.5 : 0)) * 60 }, next: DONE };
    }
    if (half) return { reason: `“${m[0]}”请换成整数，比如“30分钟后”“2天后”` };
    if (unit.minutes) return { spec: { afterMinutes: whole }, next: DONE };
    return { spec: { day: { kind: "relative", days: whole * (unit.days ?? 1) } }, next: PERIOD };
  }),
  rule(DAY, "([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})", (m) => dated(g(m, 1), g(m, 2), g(m, 3))),
  rule(DAY, `([0-9]{4}|[零〇一二三四五六七八九]{4})年(${NUMBER})月(${NUMBER})[日号]`, (m) =>
    dated(g(m, 1), g(m, 2), g(m, 3)),
  ),
  rule(DAY, `(${NUMBER})月(${NUMBER})[日号]`, (m) => dated(undefined, g(m, 1), g(m, 2))),
  rule(DAY, "([0-9]{1,2})/([0-9]{1,2})(?![0-9/])", (m) => dated(undefined, g(m, 1), g(m, 2))),
  rule(DAY, `(${NUMBER})[日号]`, (m) => {
    const n = numbers(g(m, 1));
    if (isRefusal(n)) return n;
    return { spec: { day: { kind: "monthDay", date: n[0] ?? 0 } }, next: PERIOD };
  }),
  rule(DAY, `(${alternatives(DAY_WORDS.flatMap((d) => d.words))})`, (m) => {
    const word = DAY_WORDS.find((d) => d.words.includes(g(m, 1)));
    const spec: Spec = { day: { kind: "relative", days: word?.days ?? 0 } };
    const period = word?.period ? periodByWord.get(word.period) : undefined;
    if (!period) return { spec, next: PERIOD };
    return { spec: { ...spec, period: { word: g(m, 1), period } }, next: TIME };
  }),
  rule(DAY, `(${alternatives(Object.keys(WEEK_PREFIXES))})?(${alternatives(WEEK_WORDS)})(\\S)?`, (m) => {
    const weekday = WEEKDAYS[g(m, 3)];
    if (!g(m, 3)) return { reason: `“${m[0]}”是哪一天？请写成“${m[0]}三”这样` };
    if (weekday === undefined) return { reason: `没有“${m[0]}”这一天：星期只有一到六和日（天）` };
    const prefix = m[1];
    const day: DayRef =
      prefix === undefined
        ? { kind: "weekday", weekday }
        : { kind: "week", weeks: WEEK_PREFIXES[prefix] ?? 0, weekday };
    return { spec: { day }, next: PERIOD };
  }),
  rule(PERIOD, `(${alternatives(periodByWord.keys())})`, (m) => {
    const period = periodByWord.get(g(m, 1));
    return period ? { spec: { period: { word: g(m, 1), period } }, next: TIME } : { reason: EXAMPLES };
  }),
  rule(TIME, "([0-9]{1,2})[:：]([0-9]{2})", (m) => clock(m[0], g(m, 1), g(m, 2))),
  rule(TIME, `(${NUMBER})(?:点钟|点|时)(整|半|[一1]刻|[三3]刻|零?(?:${NUMBER})分?)?`, (m) => {
    const minute = g(m, 2);
    const spoken = SPOKEN_MINUTES[minute];
    // 8点零5分 and 8点05 are both five past eight.
    return clock(m[0], g(m, 1), spoken ?? minute.replace(/分$/u, "").replace(/^零(?=[0-9])/u, ""));
  }),
];

function clock(text: string, hourText: string, minuteText: string): { spec: Spec; next: number } | Refusal {
  const n = numbers(hourText, minuteText);
  if (isRefusal(n)) return n;
  const [hour = 0, minute = 0] = n;
  if (hour > 24) return { reason: `没有${hour}点：一天只有0点到24点` };
  if (minute > 59) return { reason: `没有${minute}分：一小时只有0到59分` };
  if (hour === 24 && minute > 0) return { reason: `没有“${text}”：24点之后就是第二天了` };
  return { spec: { time: { hour, minute, text } }, next: DONE };
}

/** Splits an expression into its parts; refuses what it cannot read whole. */
export function readSpec(input: string): Spec | Refusal {
  const text = input
    .normalize("NFKC")
    .trim()
    .replace(/[。.!?]+$/u, "");
  if (text === "") return { reason: `没有写时间。${EXAMPLES}` };
  let spec: Spec = {};
  let stage = DAY;
  let at = 0;
  while (at < text.length) {
    while (/\s/u.test(text.charAt(at))) at++;
    if (at >= text.length) break;
    let read: ReturnType<Rule["read"]> | undefined;
    for (const r of RULES) {
      if (r.stage < stage) continue;
      r.pattern.lastIndex = at;
      const m = r.pattern.exec(text);
      if (!m) continue;
      read = r.read(m);
      if (!isRefusal(read)) at = r.pattern.lastIndex;
      break;
    }
    if (read === undefined) return { reason: `没看懂“${text.slice(at)}”。${EXAMPLES}` };
    if (isRefusal(read)) return read;
    spec = { ...spec, ...read.spec };
    stage = read.next;
  }
  return spec;
}
