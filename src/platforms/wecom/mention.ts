/**
 * The AI bot's text carries the member's `@机器人` mention (WeCom puts U+2005 after it; `\s` covers
 * that, U+00A0 and U+3000). The bot's display name is configured (BOT_NAMES); when none of those
 * names appears, in a group the leading `@token` is taken to be the bot: a group message reaches
 * the bot only when it is @-mentioned. Other members' mentions are left in the text.
 */

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// The names come from the config, so one pattern per list serves every message.
const patterns = new WeakMap<readonly string[], RegExp | undefined>();

function namedMention(botNames: readonly string[]): RegExp | undefined {
  if (patterns.has(botNames)) return patterns.get(botNames);
  const names = botNames.filter((n) => n.trim() !== "").map(escapeRegExp);
  // Longest first, so "汇报助手" wins over "汇报"; a name must end at whitespace or the end.
  names.sort((a, b) => b.length - a.length);
  const pattern = names.length > 0 ? new RegExp(`(^|\\s)@(?:${names.join("|")})(?=\\s|$)`, "gu") : undefined;
  patterns.set(botNames, pattern);
  return pattern;
}

export function stripBotMention(
  text: string,
  botNames: readonly string[],
  chatType: "single" | "group",
): string {
  const named = namedMention(botNames);
  if (named) {
    const stripped = text.replace(named, "$1");
    if (stripped !== text) return stripped.trim();
  }
  if (chatType === "group") return text.trim().replace(/^@\S+/u, "").trim();
  return text.trim();
}
