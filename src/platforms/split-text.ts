/**
 * Splitting long replies into parts that fit a platform's byte limit, at the most natural boundary
 * that fits: paragraph, line, sentence, word, then character. Shared by the WeCom and DingTalk
 * renderers; mentions, links, bold and code are never cut when they fit in one part.
 */

export const utf8Bytes = (s: string): number => Buffer.byteLength(s, "utf8");

const ATOMIC = /<@[^<>\s]+>|!?\[[^\]\n]*\]\([^)\s]*\)|\*\*[^*\n]+?\*\*|`[^`\n]+`/gu;

const PARAGRAPH = /(?<=\n[ \t]*\n)(?![ \t]*\n)/gu;
const LINE = /(?<=\n)/gu;
// After 。！？； (and closing quotes/brackets that belong to the sentence).
const SENTENCE = /(?<=[。！？；][”’」』）)]*)(?![。！？；”’」』）)])/gu;
// After whitespace: words, and English sentences.
const WORD = /(?<=\s)(?=\S)/gu;

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

type Cutter = (text: string) => number[];

function positions(re: RegExp, text: string): number[] {
  return [...text.matchAll(re)].map((m) => m.index);
}

function protect(cutter: Cutter): Cutter {
  return (text) => {
    const spans = [...text.matchAll(ATOMIC)].map((m) => [m.index, m.index + m[0].length] as const);
    return cutter(text).filter((p) => !spans.some(([a, b]) => p > a && p < b));
  };
}

// Graphemes, not code units: a cut never lands inside a multi-byte character, a surrogate pair or
// an emoji sequence.
const graphemeCuts: Cutter = (text) => [...graphemes.segment(text)].map((s) => s.index);

/** A heading stays with what follows it: no cut right after a `#` line. */
function keepHeadings(cutter: Cutter): Cutter {
  return (text) =>
    cutter(text).filter((p) => {
      const before = text.slice(0, p).trimEnd();
      const lastLine = before.slice(before.lastIndexOf("\n") + 1);
      return !/^#{1,6}\s/.test(lastLine);
    });
}

/** From the most to the least natural boundary. */
const LEVELS: Cutter[] = [
  keepHeadings(protect((t) => positions(PARAGRAPH, t))),
  keepHeadings(protect((t) => positions(LINE, t))),
  protect((t) => positions(SENTENCE, t)),
  protect((t) => positions(WORD, t)),
  protect(graphemeCuts),
  graphemeCuts,
];

// Trailing whitespace is trimmed when a part is sent, so it does not count.
const fits = (s: string, budget: number) => utf8Bytes(s.trimEnd()) <= budget;

function cut(text: string, cutter: Cutter): string[] {
  const points = [...new Set(cutter(text))].filter((p) => p > 0 && p < text.length).sort((a, b) => a - b);
  const out: string[] = [];
  let last = 0;
  for (const p of points) {
    out.push(text.slice(last, p));
    last = p;
  }
  out.push(text.slice(last));
  return out;
}

/**
 * Splits text into pieces whose concatenation is exactly `text` and whose content (trailing
 * whitespace aside) is ≤ budget bytes, packing as much as fits at the most natural boundary.
 */
export function splitUtf8(text: string, budget: number, level = 0): string[] {
  const cutter = LEVELS[level];
  if (fits(text, budget) || cutter === undefined) return [text];
  const units = cut(text, cutter);
  if (units.length < 2) return splitUtf8(text, budget, level + 1);
  const out: string[] = [];
  let current = "";
  for (const unit of units) {
    if (fits(current + unit, budget)) {
      current += unit;
      continue;
    }
    if (current !== "") out.push(current);
    const sub = fits(unit, budget) ? [unit] : splitUtf8(unit, budget, level + 1);
    out.push(...sub.slice(0, -1));
    current = sub.at(-1) ?? "";
  }
  if (current !== "") out.push(current);
  return out;
}
