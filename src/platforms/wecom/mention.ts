/**
 * The AI bot's text carries the member's `@机器人` mention (WeCom puts U+2005 after it; `\s` covers
 * that, U+00A0 and U+3000). The bot's display name is configured (BOT_NAMES); when none of those
 * names appears, in a group the leading `@token` is taken to be the bot: a group message reaches
 * the bot only when it is @-mentioned. Other members' mentions are left in the text.
 */

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function stripBotMention(
  text: string,
  botNames: readonly string[],
  chatType: "single" | "group",
): string {
  const names = botNames.filter((n) => n.trim() !== "").map(escapeRegExp);
  if (names.length > 0) {
    // Longest first, so "汇报助手" wins over "汇报"; a name must end at whitespace or the end.
    names.sort((a, b) => b.length - a.length);
    const named = new RegExp(`(^|\\s)@(?:${names.join("|")})(?=\\s|$)`, "gu");
    const stripped = text.replace(named, "$1");
    if (stripped !== text) return stripped.trim();
  }
  if (chatType === "group") return text.trim().replace(/^@\S+/u, "").trim();
  return text.trim();
}
