// The boundary-aware splitter is platform-neutral; it lives with the WeCom renderer for now.
import { splitUtf8, utf8Bytes } from "../split-text.ts";
import type { OutgoingMessage } from "../types.ts";

/**
 * OutgoingMessage → DingTalk robot message bodies (sessionWebhook, custom robot webhook), and the
 * msgKey/msgParam form of the OpenAPI (groupMessages/send, oToMessages/batchSend).
 *
 * - A mention needs `@staffId` in the content AND the id in at.atUserIds (DingTalk shows the name).
 * - Markdown ignores single newlines, so they become `\n\n` (outside fenced code).
 * - DingTalk refuses bodies over 20,000 bytes (460101), so long messages become numbered parts;
 *   only the first part mentions anyone, so nobody is pinged n times.
 */

export interface DingtalkTextBody {
  msgtype: "text";
  text: { content: string };
  at: { atUserIds: string[]; isAtAll: false };
}

export interface DingtalkMarkdownBody {
  msgtype: "markdown";
  markdown: { title: string; text: string };
  at: { atUserIds: string[] };
}

export type DingtalkBody = DingtalkTextBody | DingtalkMarkdownBody;

export interface DingtalkRenderOptions {
  /** Limit per body, in UTF-8 bytes of its JSON (what DingTalk measures). */
  maxBytes?: number;
}

export const DINGTALK_MAX_BYTES = 20_000;
// Below this a part cannot make progress next to its marker, title and mentions.
const MIN_CONTENT_BYTES = 32;
const TITLE_CHARS = 20;

const jsonBytes = (body: unknown) => utf8Bytes(JSON.stringify(body));

/** Single newlines → `\n\n` outside fenced code, so each line shows as its own line. */
export function toDingtalkMarkdown(text: string): string {
  const lines = text.split("\n");
  let out = lines[0] ?? "";
  let fenced = /^\s*```/.test(out);
  for (let i = 1; i < lines.length; i++) {
    const prev = lines[i - 1] ?? "";
    const line = lines[i] ?? "";
    // Inside a code block newlines are literal; an existing blank line already is a paragraph break.
    const tight = !fenced && prev.trim() !== "" && line.trim() !== "";
    out += (tight ? "\n\n" : "\n") + line;
    if (/^\s*```/.test(line)) fenced = !fenced;
  }
  return out;
}

/** The notification/title line of a markdown message: the given title, else its first line, bare. */
function titleOf(message: OutgoingMessage): string {
  if (message.title?.trim()) return message.title.trim();
  const first = message.text.split("\n").find((l) => l.trim() !== "") ?? "";
  const bare = first
    .replace(/^\s*(#{1,6}\s+|>\s*|[-*+]\s+|\d+\.\s+)/, "")
    .replace(/[*_`~]/g, "")
    .trim();
  const chars = [...bare];
  return chars.length === 0
    ? "消息"
    : chars.length > TITLE_CHARS
      ? `${chars.slice(0, TITLE_CHARS).join("")}…`
      : bare;
}

/** `@id` as a whole token: `@ab` is not a mention of `a`. */
const mentionOf = (id: string, flags = "u") =>
  new RegExp(`@${id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w.-])`, flags);

/** `@id` for each mentioned id the text does not already carry. */
function mentionPrefix(text: string, userIds: string[]): string {
  return userIds
    .filter((id) => !mentionOf(id).test(text))
    .map((id) => `@${id}`)
    .join(" ");
}

export function renderDingtalk(
  message: OutgoingMessage,
  options: DingtalkRenderOptions = {},
): DingtalkBody[] {
  const maxBytes = options.maxBytes ?? DINGTALK_MAX_BYTES;
  const raw = message.text.replace(/\r\n?/g, "\n").trim();
  const userIds = [...new Set(message.mentions.map((m) => m.userId).filter((id) => id !== ""))];
  const markdown = message.format === "markdown";
  const text = markdown ? toDingtalkMarkdown(raw) : raw;
  const prefix = mentionPrefix(text, userIds);
  if (text === "" && prefix === "") return [];
  const title = titleOf(message);
  const make = (content: string, atUserIds: string[]): DingtalkBody =>
    markdown
      ? { msgtype: "markdown", markdown: { title, text: content }, at: { atUserIds } }
      : { msgtype: "text", text: { content }, at: { atUserIds, isAtAll: false } };
  // A markdown mention gets its own paragraph, so it cannot break a leading heading or list.
  const join = (head: string, rest: string) =>
    head === "" ? rest : rest === "" ? head : `${head}${markdown ? "\n\n" : " "}${rest}`;

  const whole = make(join(prefix, text), userIds);
  if (jsonBytes(whole) <= maxBytes) return [whole];
  return splitParts(text, maxBytes, (content, i, n) => {
    const marked = `${content}${markdown ? "\n\n" : "\n"}(${i + 1}/${n})`;
    return i === 0 ? make(join(prefix, marked), userIds) : make(marked, []);
  });
}

/**
 * Splits `text` into parts whose bodies fit maxBytes. splitUtf8 counts raw UTF-8, but the limit is
 * on JSON, where a newline or quote costs two bytes: start from a budget scaled by the text's own
 * escaping ratio, and shrink it by the overshoot until every body fits.
 */
function splitParts(
  text: string,
  maxBytes: number,
  build: (content: string, i: number, n: number) => DingtalkBody,
): DingtalkBody[] {
  const ratio = utf8Bytes(text) / Math.max(1, jsonBytes(text) - 2);
  // Reserve room for the widest marker; redo with more digits if the parts outnumber them.
  for (let digits = 1; ; digits++) {
    const widest = 10 ** digits - 1;
    let budget = Math.floor((maxBytes - jsonBytes(build("", 0, widest))) * ratio);
    for (;;) {
      if (budget < MIN_CONTENT_BYTES) throw new RangeError(`maxBytes ${maxBytes} leaves no room for content`);
      const pieces = splitUtf8(text, budget)
        .map((p) => p.replace(/^\n+/, "").trimEnd())
        .filter((p) => p !== "");
      if (pieces.length > widest) break;
      const bodies = pieces.map((p, i) => build(p, i, pieces.length));
      const over = Math.max(...bodies.map((b) => jsonBytes(b) - maxBytes));
      if (over <= 0) return bodies;
      budget -= over;
    }
  }
}

/** The OpenAPI's form of a body. The msgParam is a JSON string inside the JSON request. */
export interface GroupMessageParam {
  msgKey: "sampleText" | "sampleMarkdown";
  msgParam: string;
}

/**
 * For groupMessages/send and oToMessages/batchSend, which take no `at` (unverified: we assume they
 * cannot notify anyone). A bare `@staffId` would show the raw id, so mentions are taken out.
 */
export function toGroupMessageParam(body: DingtalkBody): GroupMessageParam {
  const unmention = (s: string) =>
    body.at.atUserIds
      .reduce((acc, id) => acc.replace(mentionOf(id, "gu"), ""), s)
      .replace(/^[ \t]+/, "")
      .replace(/^\n+/, "");
  if (body.msgtype === "text") {
    return { msgKey: "sampleText", msgParam: JSON.stringify({ content: unmention(body.text.content) }) };
  }
  return {
    msgKey: "sampleMarkdown",
    msgParam: JSON.stringify({ title: body.markdown.title, text: unmention(body.markdown.text) }),
  };
}
