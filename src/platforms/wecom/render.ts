import { splitUtf8, utf8Bytes } from "../split-text.ts";
import type { OutgoingMessage } from "../types.ts";

export { splitUtf8, utf8Bytes };

/**
 * OutgoingMessage → WeCom message bodies. WeCom markdown is a subset (headers, **bold**, links,
 * `code`, `>` quotes, <font>): tables and images show up as raw pipes and bangs, so we rewrite them.
 * Content is limited in UTF-8 bytes (text 2048 on the webhook and message/send), so long replies
 * are split into numbered parts at the most natural boundary that fits.
 */

export interface WecomPart {
  msgtype: "markdown" | "text";
  content: string;
  /** text only: userids to @ (markdown mentions live in the content as `<@userid>`). */
  mentioned_list?: string[];
}

export interface RenderOptions {
  /** Byte limit per part, marker included. */
  maxBytes?: number;
}

export const WECOM_MAX_BYTES = 2048;
// Below this the "(n/m)" marker and a mention line leave too little room to make progress.
const MIN_BYTES = 64;

export function renderWecom(message: OutgoingMessage, options: RenderOptions = {}): WecomPart[] {
  const maxBytes = options.maxBytes ?? WECOM_MAX_BYTES;
  if (maxBytes < MIN_BYTES) throw new RangeError(`maxBytes must be at least ${MIN_BYTES}`);
  const text = message.text.replace(/\r\n?/g, "\n");
  const userIds = [...new Set(message.mentions.map((m) => m.userId).filter((id) => id !== ""))];
  if (message.format === "markdown") {
    // Mentions lead the first part, so only that part pings people.
    const mentionLine = userIds.map((id) => `<@${id}>`).join(" ");
    const body = [mentionLine, toWecomMarkdown(text)].filter((s) => s.trim() !== "").join("\n");
    return splitMarked(body, maxBytes).map((content) => ({ msgtype: "markdown", content }));
  }
  return splitMarked(text, maxBytes).map((content, i) =>
    i === 0 && userIds.length > 0
      ? { msgtype: "text", content, mentioned_list: userIds }
      : { msgtype: "text", content },
  );
}

/** The JSON body for the group webhook or response_url: `{ msgtype, [msgtype]: { content, … } }`. */
export function wecomBody(part: WecomPart): Record<string, unknown> {
  const { msgtype, ...payload } = part;
  return { msgtype, [msgtype]: payload };
}

// ---------------------------------------------------------------------------------------------
// Markdown subset

const DELIMITER_ROW = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

function tableCells(line: string): string[] {
  let s = line.trim();
  if (s.startsWith("|")) s = s.slice(1);
  if (s.endsWith("|") && !s.endsWith("\\|")) s = s.slice(0, -1);
  return s.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, "|"));
}

/** One table row as one line: "first：second；third" (empty cells dropped). */
function tableRow(line: string): string {
  const [first, ...rest] = tableCells(line).filter((c) => c !== "");
  if (first === undefined) return "";
  return rest.length === 0 ? first : `${first}：${rest.join("；")}`;
}

/** Tables → lines, images → links; fenced code is left alone. Everything else passes through. */
export function toWecomMarkdown(text: string): string {
  const lines = text.split("\n");
  const out: string[] = [];
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (/^\s*```/.test(line)) fenced = !fenced;
    const next = lines[i + 1];
    const isTable =
      !fenced &&
      line.includes("|") &&
      next !== undefined &&
      DELIMITER_ROW.test(next) &&
      tableCells(line).length === tableCells(next).length;
    if (!isTable) {
      out.push(
        fenced
          ? line
          : line.replace(/!\[([^\]\n]*)\]\(([^)\s]+)[^)]*\)/g, (_, alt, url) => `[${alt || "图片"}](${url})`),
      );
      continue;
    }
    out.push(tableRow(line));
    // Body rows run until a blank line or a line without a pipe (GFM ends the table there too).
    for (i += 2; i < lines.length && (lines[i] ?? "").includes("|") && (lines[i] ?? "").trim() !== ""; i++) {
      const row = tableRow(lines[i] ?? "");
      if (row !== "") out.push(row);
    }
    i--;
  }
  return out.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Splitting

const marker = (i: number, n: number) => `\n(${i}/${n})`;

/** Splits `body` into parts ≤ maxBytes, each ending in "(i/n)" when there is more than one. */
function splitMarked(body: string, maxBytes: number): string[] {
  if (body.trim() === "") return [];
  if (utf8Bytes(body) <= maxBytes) return [body];
  // Reserve room for the widest marker; redo if the part count needs more digits than assumed.
  for (let digits = 1; ; digits++) {
    const widest = 10 ** digits - 1;
    const pieces = splitUtf8(body, maxBytes - utf8Bytes(marker(widest, widest)))
      .map((p) => p.replace(/^\n+/, "").trimEnd())
      .filter((p) => p !== "");
    if (pieces.length <= widest) return pieces.map((p, i) => `${p}${marker(i + 1, pieces.length)}`);
  }
}

/**
 * Spans that must not be cut: a `<@userid>` mention (a cut would ping nobody), a link, **bold**,
 * `code`. A span longer than the budget is cut anyway, at the last level.
 */
