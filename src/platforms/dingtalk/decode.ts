import { isJsonObject, type Json } from "../../lib/json.ts";
import type { ChatType, IncomingMessage, Mention, QuotedMessage } from "../types.ts";
import { DingtalkDecodeError } from "./errors.ts";

/**
 * The robot callback body (the same JSON over HTTP and inside a Stream frame's `data`) →
 * IncomingMessage. Ids stay strings: they are opaque and some are longer than a double holds.
 */

/** What the bot needs besides IncomingMessage to answer on DingTalk and to dedupe. */
export interface DingtalkExtras {
  /** `dingtalk:<sender>:<msgId>`; sender + msgId, because a msgId alone is not proven unique. */
  dedupeKey: string;
  /**
   * Where sender.userId came from. "senderId" means the member has no staffId (e.g. an external
   * contact): the id is opaque and must not be used in atUserIds or matched against the directory.
   */
  senderIdSource: "senderStaffId" | "senderId";
  /** Reply door: POST here until sessionWebhookExpiredTime. A credential: never log it. */
  sessionWebhook?: string;
  /** When the sessionWebhook stops working, in epoch milliseconds. */
  sessionWebhookExpiredTime?: number;
  conversationTitle?: string;
  robotCode?: string;
}

export type DingtalkIgnored = { ignored: string; dedupeKey?: string };

export interface DingtalkDecodeOptions {
  /** The bot's display names (BOT_NAMES), for stripping a typed-out @-mention. */
  botNames: readonly string[];
  receivedAt: Date;
}

function optional(obj: Json, name: string, path = name): string | undefined {
  const value = obj[name];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new DingtalkDecodeError("invalid-field", `${path} is not a string`);
  return value;
}

function need(obj: Json, name: string, path = name): string {
  const value = optional(obj, name, path);
  if (value === undefined) throw new DingtalkDecodeError("missing-field", `${path} missing`);
  return value;
}

/** Escapes `%` and `:` only, so the key stays readable (`msgX==`) and cannot collide across parts. */
const keyPart = (s: string) => s.replace(/%/g, "%25").replace(/:/g, "%3A");

export function dingtalkDedupeKey(senderUserId: string, msgId: string): string {
  return `dingtalk:${keyPart(senderUserId)}:${keyPart(msgId)}`;
}

function parseJson(json: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new DingtalkDecodeError("malformed", "malformed JSON");
  }
  if (!isJsonObject(value)) throw new DingtalkDecodeError("malformed", "body is not a JSON object");
  return value;
}

function chatTypeOf(body: Json): ChatType {
  const raw = body.conversationType;
  // Documented as the strings "1"/"2"; a number would carry the same meaning, so accept it too.
  if (raw === "1" || raw === 1) return "single";
  if (raw === "2" || raw === 2) return "group";
  if (raw === undefined || raw === null)
    throw new DingtalkDecodeError("missing-field", "conversationType missing");
  throw new DingtalkDecodeError("invalid-field", "conversationType must be 1 or 2");
}

function expiryOf(body: Json): number | undefined {
  const raw = body.sessionWebhookExpiredTime;
  if (raw === undefined || raw === null) return undefined;
  const ms = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof ms !== "number" || !Number.isFinite(ms)) {
    throw new DingtalkDecodeError("invalid-field", "sessionWebhookExpiredTime is not a number");
  }
  return ms;
}

/**
 * Members @-mentioned besides the robot. The robot's own entry has its chatbotUserId as dingtalkId
 * and no staffId; members without a staffId (external contacts) cannot be @-ed back by id, so they
 * are left out too.
 */
function mentionsOf(body: Json, chatbotUserId: string | undefined): Mention[] {
  const atUsers = body.atUsers;
  if (atUsers === undefined || atUsers === null) return [];
  if (!Array.isArray(atUsers)) throw new DingtalkDecodeError("invalid-field", "atUsers is not an array");
  const seen = new Set<string>();
  const out: Mention[] = [];
  for (const user of atUsers) {
    if (!isJsonObject(user)) continue;
    const staffId = optional(user, "staffId", "atUsers[].staffId");
    const dingtalkId = optional(user, "dingtalkId", "atUsers[].dingtalkId");
    if (!staffId || (chatbotUserId !== undefined && dingtalkId === chatbotUserId) || seen.has(staffId))
      continue;
    seen.add(staffId);
    out.push({ userId: staffId });
  }
  return out;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * DingTalk removes the robot's @-mention itself and leaves a leading space (" 进度 2.1"); a
 * member who typed the name instead of picking it leaves `@汇报` in the text, so configured names
 * are stripped too. Unlike WeCom, a leading `@someone` is NOT taken to be the bot: here it is
 * another member.
 */
/**
 * A quote-reply: `text.isReplyMsg` with `text.repliedMsg` (`content.text` or `content` as a string,
 * `msgId`). UNVERIFIED against the real platform (no access from here): field names as DingTalk's
 * robot documentation shows them; anything else is read as "no quote", never as an error.
 */
function quoteOf(text: Record<string, unknown>): { quote?: QuotedMessage } {
  const replied = text.repliedMsg;
  if (!isJsonObject(replied)) return {};
  const c = replied.content;
  const quoted =
    typeof c === "string" ? c : isJsonObject(c) && typeof c.text === "string" ? c.text : undefined;
  if (quoted === undefined) return {};
  const messageId = typeof replied.msgId === "string" ? replied.msgId : undefined;
  return { quote: messageId ? { text: quoted, messageId } : { text: quoted } };
}

export function stripRobotMention(content: string, botNames: readonly string[]): string {
  const names = botNames
    .filter((n) => n.trim() !== "")
    .map(escapeRegExp)
    .sort((a, b) => b.length - a.length);
  if (names.length === 0) return content.trim();
  const named = new RegExp(`(^|\\s)@(?:${names.join("|")})(?=\\s|$)`, "gu");
  return content.replace(named, "$1").trim();
}

/** The callback JSON → IncomingMessage and extras, or a reason to ignore it (pictures, files, …). */
export function decodeDingtalkMessage(
  json: string,
  { botNames, receivedAt }: DingtalkDecodeOptions,
): { message: IncomingMessage; extras: DingtalkExtras } | DingtalkIgnored {
  const body = parseJson(json);
  const msgId = need(body, "msgId");
  const msgType = need(body, "msgtype");
  const staffId = optional(body, "senderStaffId");
  const userId = staffId ?? need(body, "senderId", "senderStaffId and senderId");
  const dedupeKey = dingtalkDedupeKey(userId, msgId);
  if (msgType !== "text") return { ignored: `msgtype ${msgType}`, dedupeKey };

  const robotCode = optional(body, "robotCode");
  const chatbotUserId = optional(body, "chatbotUserId");
  const botId = robotCode ?? chatbotUserId;
  if (!botId) throw new DingtalkDecodeError("missing-field", "robotCode and chatbotUserId missing");
  const chatType = chatTypeOf(body);
  const chatId = need(body, "conversationId");
  if (!isJsonObject(body.text)) throw new DingtalkDecodeError("missing-field", "text missing");
  const content = body.text.content;
  if (typeof content !== "string") throw new DingtalkDecodeError("missing-field", "text.content missing");

  const nick = optional(body, "senderNick");
  const conversationTitle = optional(body, "conversationTitle");
  const sessionWebhook = optional(body, "sessionWebhook");
  const sessionWebhookExpiredTime = expiryOf(body);

  const message: IncomingMessage = {
    platform: "dingtalk",
    botId,
    chatId,
    chatType,
    ...(conversationTitle ? { chatName: conversationTitle } : {}),
    sender: nick ? { userId, nick } : { userId },
    text: stripRobotMention(content, botNames),
    mentions: mentionsOf(body, chatbotUserId),
    ...quoteOf(body.text),
    messageId: msgId,
    receivedAt,
  };
  const extras: DingtalkExtras = {
    dedupeKey,
    senderIdSource: staffId ? "senderStaffId" : "senderId",
    ...(sessionWebhook ? { sessionWebhook } : {}),
    ...(sessionWebhookExpiredTime !== undefined ? { sessionWebhookExpiredTime } : {}),
    ...(conversationTitle ? { conversationTitle } : {}),
    ...(robotCode ? { robotCode } : {}),
  };
  return { message, extras };
}
