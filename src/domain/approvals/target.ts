/**
 * Which draft a reply is about, from its quote. The platforms give the quoted text, not the id of
 * the bot's message, and every bot message about a draft starts with `#编号` (possibly after an
 * @-mention, markdown marks or a bracket, as the platform shows it). Failing that, a quote that names
 * exactly one draft number is about it.
 */
export type QuoteTarget =
  | { kind: "none" }
  | { kind: "draft"; id: number }
  | { kind: "several"; ids: number[] };

// An optional "speaker：" prefix (how some clients show a quoted message), then addressing and marks.
const LEADING =
  /^(?:[^\s#＃：:]{1,16}[：:])?(?:\s|<[@＠][^>]*>|[@＠]\S+|[*_>#\-[\]【】「」『』"“”'：:]|回复|引用)*?[#＃]\s*(\d{1,9})(?!\d)/u;
const ANY = /[#＃]\s*(\d{1,9})(?!\d)/gu;

export function quoteTarget(quoted: string | undefined): QuoteTarget {
  if (!quoted) return { kind: "none" };
  const text = quoted.normalize("NFKC");
  const lead = LEADING.exec(text);
  if (lead?.[1]) return { kind: "draft", id: Number(lead[1]) };
  const ids = [...new Set([...text.matchAll(ANY)].map((m) => Number(m[1])))];
  if (ids.length === 1 && ids[0] !== undefined) return { kind: "draft", id: ids[0] };
  return ids.length > 1 ? { kind: "several", ids } : { kind: "none" };
}
