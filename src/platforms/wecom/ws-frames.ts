import { randomBytes } from "node:crypto";
import { isJsonObject, readJsonObject } from "../../lib/json.ts";

/**
 * The AI bot (智能机器人) long-connection wire format. Sources: the official doc "智能机器人长连接"
 * (developer.work.weixin.qq.com/document/path/101463) and the official SDK @wecom/aibot-node-sdk
 * (github WecomTeam/aibot-node-sdk, src/ws.ts, src/types/api.ts). Every frame is one JSON text message:
 *
 *   us → WeCom   {cmd, headers:{req_id}, body?}
 *   WeCom → us   {cmd:"aibot_msg_callback"|"aibot_event_callback", headers:{req_id}, body}
 *   acks         {headers:{req_id}, errcode, errmsg}   (no cmd; req_id echoes the request's)
 *
 * The long connection carries plaintext JSON: no signature, no AES (unlike the HTTP callback).
 */

/** The SDK's built-in default (the doc's "WebSocket 连接地址"); WECOM_WS_URL overrides it. */
export const WECOM_WS_DEFAULT_URL = "wss://openws.work.weixin.qq.com";

export const WsCmd = {
  subscribe: "aibot_subscribe",
  /** Application-level heartbeat (not a WebSocket ping frame). */
  ping: "ping",
  /** Answer to a callback: MUST carry the callback's req_id. */
  respond: "aibot_respond_msg",
  /** Unprompted message to a chatid (group chatid, or a userid for a single chat). */
  send: "aibot_send_msg",
  msgCallback: "aibot_msg_callback",
  eventCallback: "aibot_event_callback",
} as const;

/** Sent (as an aibot_event_callback) to the old connection when a newer one subscribes the same bot. */
export const DISCONNECTED_EVENT = "disconnected_event";

/**
 * Refusals that mean "this req_id can take no (more) answer". Seen in third-party code
 * (@yanhaidao/wecom), not in the official doc: UNVERIFIED. The outbox does not depend on them alone:
 * any refusal that is neither transient nor about the content is read the same way.
 */
export const WsErrcode = {
  /** aibot_respond_msg on a req_id WeCom does not know (any more). */
  invalidReqId: 846605,
  /** An update of a finished or expired stream. */
  streamFinished: 846608,
} as const;

/** Stream content limit of the SDK's StreamReplyBody ("最长不超过 20480 个字节"). */
export const STREAM_CONTENT_MAX_BYTES = 20480;

export interface WsFrame {
  cmd?: string;
  headers: { req_id: string; [key: string]: unknown };
  body?: unknown;
  errcode?: number;
  errmsg?: string;
}

/** `${prefix}_${ms}_${random}`: the SDK's shape, so acks can also be told apart by prefix. */
export function newReqId(prefix: string, nowMs: number = Date.now()): string {
  return `${prefix}_${nowMs}_${randomBytes(4).toString("hex")}`;
}

export function subscribeFrame(reqId: string, botId: string, secret: string): WsFrame {
  return { cmd: WsCmd.subscribe, headers: { req_id: reqId }, body: { bot_id: botId, secret } };
}

export function pingFrame(reqId: string): WsFrame {
  return { cmd: WsCmd.ping, headers: { req_id: reqId } };
}

/** A finished stream reply: one frame carries the whole answer (finish=true, markdown content). */
export function streamReplyFrame(reqId: string, streamId: string, content: string): WsFrame {
  return {
    cmd: WsCmd.respond,
    headers: { req_id: reqId },
    body: { msgtype: "stream", stream: { id: streamId, finish: true, content } },
  };
}

/** Proactive push: only markdown and template_card are accepted (text → 40008, reported by users). */
export function sendMarkdownFrame(reqId: string, chatId: string, content: string): WsFrame {
  return {
    cmd: WsCmd.send,
    headers: { req_id: reqId },
    body: { chatid: chatId, msgtype: "markdown", markdown: { content } },
  };
}

export type ParsedFrame =
  | { kind: "message"; reqId: string; body: Record<string, unknown> }
  | { kind: "event"; reqId: string; body: Record<string, unknown>; eventType?: string }
  | { kind: "ack"; reqId: string; errcode: number; errmsg: string }
  | { kind: "invalid"; reason: string };

/** Never throws: a malformed frame becomes {kind:"invalid"} so the read loop logs it and goes on. */
export function parseFrame(raw: string): ParsedFrame {
  const read = readJsonObject(raw);
  if ("invalid" in read) return { kind: "invalid", reason: read.invalid };
  const value = read.value;
  const headers = value.headers;
  const reqId = isJsonObject(headers) && typeof headers.req_id === "string" ? headers.req_id : "";
  const cmd = value.cmd;
  if (cmd === WsCmd.msgCallback || cmd === WsCmd.eventCallback) {
    if (!reqId) return { kind: "invalid", reason: `${cmd} without headers.req_id` };
    if (!isJsonObject(value.body)) return { kind: "invalid", reason: `${cmd} without a body object` };
    if (cmd === WsCmd.msgCallback) return { kind: "message", reqId, body: value.body };
    const event = value.body.event;
    const eventType =
      isJsonObject(event) && typeof event.eventtype === "string" ? event.eventtype : undefined;
    return { kind: "event", reqId, body: value.body, ...(eventType ? { eventType } : {}) };
  }
  if (cmd === undefined || cmd === null || cmd === "") {
    if (!reqId) return { kind: "invalid", reason: "ack without headers.req_id" };
    // The SDK treats a missing errcode as failure (errcode !== 0); so do we.
    const errcode = typeof value.errcode === "number" ? value.errcode : -1;
    const errmsg = typeof value.errmsg === "string" ? value.errmsg : "";
    return { kind: "ack", reqId, errcode, errmsg };
  }
  return { kind: "invalid", reason: `unknown cmd ${String(cmd).slice(0, 40)}` };
}

/** Cuts UTF-8 text to at most maxBytes without splitting a character; marks the cut with "…". */
export function fitUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  if (Buffer.byteLength(text, "utf8") <= maxBytes) return { text, truncated: false };
  const budget = maxBytes - Buffer.byteLength("…", "utf8");
  let out = "";
  let used = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch, "utf8");
    if (used + size > budget) break;
    out += ch;
    used += size;
  }
  return { text: `${out}…`, truncated: true };
}
