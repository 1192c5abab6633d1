/**
 * Reads the head of a submission or edit: `发布时间：明天上午10点 标题：… 正文：…`. Labels count only
 * at the head, one after another, so "活动时间：" inside the body stays body. A time runs to the next
 * label, else over the words that read as parts of a time ("12月3日 14:00", "明天 上午10点"). A title runs to the next label on its line; without one it is the
 * first word (or what 《》「」 enclose), and the rest of the line starts the body: `标题：宣传周 本周起……`.
 * The body (`正文：` is optional) may span lines. Text is kept as typed (full-width punctuation, line breaks).
 */
export interface Composed {
  /** The publish time as written, for the Chinese date parser. */
  when: string | null;
  title: string | null;
  body: string;
}

const LABEL = /^(发布时间|标题|正文|内容)\s*[:：]\s*/u;
const NEXT_LABEL = /[ \t\u3000]+(?=(?:发布时间|标题|正文|内容)\s*[:：])/u;

export function compose(text: string): Composed {
  let rest = text.trim();
  let when: string | null = null;
  let title: string | null = null;
  for (;;) {
    const m = LABEL.exec(rest);
    if (!m) break;
    const label = m[1];
    rest = rest.slice(m[0].length);
    if (label === "正文" || label === "内容") break;
    const eol = rest.search(/\r?\n/u);
    const line = eol === -1 ? rest : rest.slice(0, eol);
    const next = NEXT_LABEL.exec(line);
    let end = next ? next.index : line.length;
    if (label === "标题" && !next) end = titleEnd(line);
    if (label === "发布时间" && !next) end = timeEnd(line);
    const value = line.slice(0, end).trim();
    rest = rest.slice(end).trimStart();
    if (label === "发布时间") when = value || null;
    else title = unwrap(value) || null;
  }
  return { when, title, body: rest.trim() };
}

const BRACKETS = /^(《[^》\n]*》|「[^」\n]*」|“[^”\n]*”|"[^"\n]*")/u;

/** Where a title without a following label ends: after its brackets, else at the first space. */
function titleEnd(line: string): number {
  const quoted = BRACKETS.exec(line);
  if (quoted?.[1]) return quoted[1].length;
  const space = line.search(/\s/u);
  return space === -1 ? line.length : space;
}

// Words that continue a time after a space: clock times, 上午/下午…, 10点半.
const TIME_WORD = /^(?:[0-9０-９:：.点时分半整刻]|上午|下午|中午|晚上|早上|凌晨|傍晚)+$/u;

/** Where a publish time without a following label ends: after its first word and the time-like ones after it. */
function timeEnd(line: string): number {
  const words = [...line.matchAll(/\S+/gu)];
  let end = words[0] ? (words[0].index ?? 0) + words[0][0].length : line.length;
  for (const w of words.slice(1)) {
    if (!TIME_WORD.test(w[0])) break;
    end = (w.index ?? 0) + w[0].length;
  }
  return end;
}

/** 《宣传周》 → 宣传周 */
function unwrap(title: string): string {
  const m = /^[《「“"](.*)[》」”"]$/u.exec(title);
  return (m?.[1] ?? title).trim();
}

/** A title for a draft that was given none: its first line, shortened. */
export function defaultTitle(body: string): string {
  const first =
    body
      .split(/\r?\n/u)
      .find((l) => l.trim() !== "")
      ?.trim() ?? "";
  return first.length > 20 ? `${first.slice(0, 20)}…` : first;
}
