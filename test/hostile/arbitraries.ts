import fc from "fast-check";

/**
 * Inputs that office staff (and anyone who can reach the callback URLs) can produce: Chinese, full-width
 * forms, odd spaces, control characters, lone surrogates, emoji, combining marks, bidi overrides, and
 * the characters our grammars give meaning to. Runs are seeded so a failure replays the same way.
 */

export const SEED = 20261126;
/** Enough runs to reach the odd corners, few enough that the suite stays fast on two busy cores. */
export const RUNS = 300;
export const runs = (numRuns = RUNS) => ({ seed: SEED, numRuns });

const range = (min: number, max: number) => fc.integer({ min, max }).map((cp) => String.fromCodePoint(cp));
// Lone surrogates cannot be built with fromCodePoint; fromCharCode keeps the half on its own.
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((u) => String.fromCharCode(u));

/** Characters that mean something to the parsers, and full-width or look-alike variants of them. */
const MEANINGFUL = [
  "@",
  "＠",
  "汇报",
  "汇报助手",
  "huibao",
  "%",
  "％",
  "+",
  "#",
  ".",
  "。",
  "、",
  "．",
  ":",
  "：",
  "-",
  "/",
  "\\",
  "\n",
  "\r\n",
  "\t",
  " ",
  "\u3000",
  "\u2005",
  "\u00a0",
  "0",
  "2",
  "9",
  "２",
  "５０",
  "100",
  "101",
  "999999999999",
  "2.2",
  "２．２",
  "1.2.3.4",
  "50%",
  "-1",
  "1e9",
  "NaN",
  "Infinity",
  "帮助",
  "help",
  "我是谁",
  "单位",
  "进度",
  "明天",
  "下午",
  "3点",
  "半",
  "「",
  "」",
  "]]>",
  "<xml>",
  "${",
  "{",
  "}",
  "__proto__",
  "constructor",
];

/** One unit of hostile text; weighted towards Chinese and the characters that matter. */
export const hostileUnit: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: range(0x4e00, 0x9fff) }, // CJK unified ideographs
  { weight: 4, arbitrary: fc.constantFrom(...MEANINGFUL) },
  { weight: 3, arbitrary: range(0xff01, 0xff5e) }, // full-width ASCII
  { weight: 2, arbitrary: range(0x3000, 0x303f) }, // CJK punctuation, ideographic space
  { weight: 2, arbitrary: range(0x20, 0x7e) },
  { weight: 2, arbitrary: fc.oneof(range(0x00, 0x1f), range(0x7f, 0x9f)) }, // C0 and C1 controls
  {
    weight: 2,
    arbitrary: fc.constantFrom("\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2028", "\u2029"),
  },
  { weight: 1, arbitrary: fc.constantFrom("\u202a", "\u202e", "\u2066", "\u2069", "\ufeff", "\ufffd") },
  { weight: 1, arbitrary: loneSurrogate },
  { weight: 1, arbitrary: range(0x1f300, 0x1faff) }, // emoji
  { weight: 1, arbitrary: range(0x0300, 0x036f) }, // combining marks
  { weight: 1, arbitrary: fc.oneof(range(0xf900, 0xfaff), range(0x2f800, 0x2fa1f)) }, // compatibility ideographs
  { weight: 1, arbitrary: fc.constantFrom("ﬁ", "㍻", "㎏", "Ⅻ", "①", "İ", "ß", "ǅ", "\ufdfa") }, // NFKC/case expanders
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 3 }) },
);

export const hostileText = (maxLength = 40): fc.Arbitrary<string> =>
  fc.string({ unit: hostileUnit, maxLength });

/** Words shaped like the arguments commands take (codes, percentages, dates, names), some of them off. */
const argumentWord: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("2.2", "２．２", "1.2.3", "2。2", "99.99", "100.1", "0.0", "3.", ".3", "1..2"),
  fc.constantFrom("50%", "５０％", "0", "100", "100%", "101%", "-5%", "50.5%", "%", "1e2%"),
  fc.constantFrom("#1", "#0", "#999999999", "#99999999999", "12", "１２", "-1"),
  fc.constantFrom(
    "明天下午3点",
    "下周三下午两点",
    "3月20日14:00",
    "两小时后",
    "2月30日",
    "25点",
    "今天",
    "昨天上午9点",
  ),
  fc.constantFrom("张三", "管理员", "宣传科", "环卫处", "宣传科工作群", "@张三", "@管理员"),
  hostileText(8),
);
const argumentsLike: fc.Arbitrary<string> = fc
  .array(fc.tuple(argumentWord, fc.constantFrom(" ", "\u3000", "\n", "  ", "，")), { maxLength: 6 })
  .map((parts) => parts.map(([w, sep]) => w + sep).join(""));

/** A command word (any name or alias of the given list, or a near miss) followed by hostile text. */
export function commandLike(names: readonly string[]): fc.Arbitrary<string> {
  const name = fc.constantFrom(...names);
  const nearMiss = fc.tuple(name, fc.nat(), hostileUnit).map(([n, at, ch]) => {
    const i = at % (n.length + 1);
    return n.slice(0, i) + ch + n.slice(i + 1);
  });
  const glue = fc.constantFrom("", " ", "\u3000", "\n", "：", "@汇报 ");
  const rest = fc.oneof(hostileText(30), argumentsLike);
  return fc
    .tuple(
      fc.constantFrom("", "@汇报 ", "＠汇报助手\u2005", "@某人 "),
      fc.oneof({ weight: 3, arbitrary: name }, { weight: 1, arbitrary: nearMiss }),
      glue,
      rest,
    )
    .map(([mention, n, g, r]) => `${mention}${n}${g}${r}`);
}

/** Either plain hostile text, or text shaped like a command so the argument grammar is reached. */
export const chatInput = (names: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof({ weight: 1, arbitrary: hostileText(60) }, { weight: 2, arbitrary: commandLike(names) });

/** A string with one character changed, dropped or added at a random place: never equal to the original. */
export function tampered(original: string): fc.Arbitrary<string> {
  return fc
    .tuple(fc.nat(), fc.constantFrom("replace", "drop", "insert"), range(0x21, 0x7e))
    .map(([at, how, ch]) => {
      const i = at % Math.max(1, original.length);
      if (how === "drop" && original.length > 0) return original.slice(0, i) + original.slice(i + 1);
      if (how === "insert") return original.slice(0, i) + ch + original.slice(i);
      const current = original[i] ?? "";
      const other = ch === current ? (ch === "A" ? "B" : "A") : ch;
      return original.slice(0, i) + other + original.slice(i + 1);
    });
}
