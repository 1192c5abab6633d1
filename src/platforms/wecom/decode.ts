import type { IncomingMessage, QuotedMessage } from "../types.ts";
import { WecomDecodeError } from "./errors.ts";
import { stripBotMention } from "./mention.ts";

/**
 * AI bot (智能机器人) decrypted JSON → IncomingMessage. The app's XML lives in app-xml.ts and is
 * re-exported here, so "decode" is one import for the route.
 */

export type { AppDecodeOptions, AppEnvelope, AppIgnored, AppReplyInput, WecomAppExtras } from "./app-xml.ts";
export {
  appEventKey,
  appMessageKey,
  decodeAppMessage,
  encodeAppReplyXml,
  parseAppEnvelope,
} from "./app-xml.ts";

/** What the bot needs besides IncomingMessage to answer on WeCom and to dedupe. */
export interface WecomBotExtras {
  /** Composite dedupe key: sender + msgid. */
  dedupeKey: string;
  msgType: "text" | "mixed";
  reply?: {
    /** POST once, valid for 1 hour. */
    responseUrl?: string;
  };
  /** msgtype of the quoted message, when the member quote-replied. */
  quoteMsgType?: string;
}

export type BotIgnored = { ignored: string; dedupeKey?: string };

export interface BotDecodeOptions {
  /** The bot's display names (BOT_NAMES), for stripping the @-mention. */
  botNames: readonly string[];
  receivedAt: Date;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function need(obj: Json, name: string, path: string): string {
  const value = obj[name];
  if (typeof value !== "string" || value === "") throw new WecomDecodeError(`bot message: ${path} missing`);
  return value;
}

function optional(obj: Json, name: string, path: string): string | undefined {
  const value = obj[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new WecomDecodeError(`bot message: ${path} is not a string`);
  return value;
}

function parseJson(json: string, what: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new WecomDecodeError(`${what}: malformed JSON`);
  }
  if (!isObject(value)) throw new WecomDecodeError(`${what}: not a JSON object`);
  return value;
}

/** The outer, still encrypted body `{"encrypt": "..."}`. */
export function parseBotEnvelope(jsonBody: string): { encrypt: string } {
  return { encrypt: need(parseJson(jsonBody, "bot envelope"), "encrypt", "encrypt") };
}

export function botMessageKey(userId: string, msgId: string): string {
  // A lone surrogate (a JSON "\ud800" escape) would make encodeURIComponent throw: a 500.
  return ["wecom-bot", userId, msgId]
    .map((p) => encodeURIComponent(p.replace(/\p{Surrogate}/gu, "\ufffd")))
    .join(":");
}

/**
 * The text of a text or mixed message (or quote). Mixed text parts are joined with newlines;
 * undefined when the message has no text at all (e.g. a mixed message of images).
 */
function textOf(msg: Json, msgType: string, path: string): string | undefined {
  if (msgType === "text") {
    const text = msg.text;
    if (!isObject(text) || typeof text.content !== "string") {
      throw new WecomDecodeError(`bot message: ${path}text.content missing`);
    }
    return text.content;
  }
  if (msgType === "mixed") {
    const items = isObject(msg.mixed) ? msg.mixed.msg_item : undefined;
    if (!Array.isArray(items)) throw new WecomDecodeError(`bot message: ${path}mixed.msg_item missing`);
    const parts = items
      .filter((item): item is Json => isObject(item) && item.msgtype === "text")
      .map((item) => textOf(item, "text", `${path}mixed.msg_item[].`) ?? "");
    return parts.length > 0 ? parts.join("\n") : undefined;
  }
  return undefined;
}

function quoteOf(body: Json): { quote?: QuotedMessage; quoteMsgType?: string } {
  const quote = body.quote;
  if (quote === undefined || quote === null) return {};
  if (!isObject(quote)) throw new WecomDecodeError("bot message: quote is not an object");
  const msgType = need(quote, "msgtype", "quote.msgtype");
  // A quoted image or file is still a quote-reply; its text is then empty.
  return { quote: { text: textOf(quote, msgType, "quote.") ?? "" }, quoteMsgType: msgType };
}

/** The decrypted AI bot JSON → IncomingMessage, or a reason to ignore it (events, images, …). */
export function decodeBotMessage(
  json: string,
  { botNames, receivedAt }: BotDecodeOptions,
): { message: IncomingMessage; extras: WecomBotExtras } | BotIgnored {
  const body = parseJson(json, "bot message");
  const msgId = need(body, "msgid", "msgid");
  const msgType = need(body, "msgtype", "msgtype");
  const from = body.from;
  if (!isObject(from)) throw new WecomDecodeError("bot message: from missing");
  const userId = need(from, "userid", "from.userid");
  const dedupeKey = botMessageKey(userId, msgId);
  if (msgType !== "text" && msgType !== "mixed") return { ignored: `msgtype ${msgType}`, dedupeKey };

  const botId = need(body, "aibotid", "aibotid");
  const chatType = body.chattype;
  if (chatType !== "single" && chatType !== "group") {
    throw new WecomDecodeError("bot message: chattype must be single or group");
  }
  // A single chat has no chatid: the conversation is identified by the member.
  const chatId = chatType === "group" ? need(body, "chatid", "chatid") : userId;
  const responseUrl = optional(body, "response_url", "response_url");
  const raw = textOf(body, msgType, "");
  if (raw === undefined) return { ignored: "mixed message without text", dedupeKey };
  const { quote, quoteMsgType } = quoteOf(body);

  const message: IncomingMessage = {
    platform: "wecom",
    botId,
    chatId,
    chatType,
    sender: { userId },
    text: stripBotMention(raw, botNames, chatType),
    // The callback names mentioned members only inside the text, without userids.
    mentions: [],
    messageId: msgId,
    receivedAt,
    ...(quote ? { quote } : {}),
  };
  const extras: WecomBotExtras = {
    dedupeKey,
    msgType,
    ...(responseUrl ? { reply: { responseUrl } } : {}),
    ...(quoteMsgType ? { quoteMsgType } : {}),
  };
  return { message, extras };
}
