/**
 * Text tolerance for commands typed on a phone: full-width digits and punctuation (２．２, ％, ：),
 * full-width and odd spaces, extra spaces and line breaks, and the bot's own @-mention.
 * Free text (notes, draft bodies) is always taken from the original characters, never normalized.
 */

export interface Token {
  /** The characters as typed. */
  raw: string;
  /** NFKC-normalized, lower-cased: what grammar matching looks at. */
  norm: string;
  /** Offset of the token in the text it came from. */
  start: number;
}

/** Full-width forms to ASCII (NFKC), plus the ideographic full stop used as a decimal point in codes. */
export function normalizeToken(s: string): string {
  return s.normalize("NFKC").toLowerCase();
}

// \s covers U+3000 (ideographic space) and U+2005 (the space WeCom puts after a mention).
const TOKEN = /\S+/gu;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    out.push({ raw: m[0], norm: normalizeToken(m[0]), start: m.index ?? 0 });
  }
  return out;
}

const isMention = (raw: string) => raw.startsWith("@") || raw.startsWith("＠");

/**
 * Removes the bot's @-mention wherever it stands and any @-mentions that come before the command:
 * a command never starts with "@", so leading mentions are addressing, not content.
 */
export function stripMentions(text: string, botNames: readonly string[]): string {
  const names = new Set(botNames.map((n) => normalizeToken(n)));
  let t = text;
  for (;;) {
    const m = /^[\s]*[@＠]\S*/u.exec(t);
    if (!m) break;
    t = t.slice(m[0].length);
  }
  return t
    .split(/([@＠][^\s@＠]+)/u)
    .filter((part) => !(isMention(part) && names.has(normalizeToken(part.slice(1)))))
    .join("")
    .trim();
}
