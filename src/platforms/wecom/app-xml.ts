import type { IncomingMessage } from "../types.ts";
import { WecomDecodeError } from "./errors.ts";
import { cdata, parseXmlFields } from "./xml.ts";

/** Self-built app (自建应用) callback: the XML envelope, the decrypted message, the passive reply. */

export interface AppEnvelope {
  encrypt: string;
  toUserName?: string;
  agentId?: string;
}

/** The outer, still encrypted body: `<xml><ToUserName/><Encrypt/><AgentID/></xml>`. */
export function parseAppEnvelope(xmlBody: string): AppEnvelope {
  const f = parseXmlFields(xmlBody, "app envelope");
  if (!f.Encrypt) throw new WecomDecodeError("app envelope: <Encrypt> missing");
  return { encrypt: f.Encrypt, toUserName: f.ToUserName, agentId: f.AgentID };
}

export interface WecomAppExtras {
  /** Composite dedupe key: sender + MsgId (MsgId alone collided across users, trap 3). */
  dedupeKey: string;
  /** The CorpID the message was addressed to. */
  toUserName: string;
  agentId: string;
  createTime: string;
}

export type AppIgnored = { ignored: string; dedupeKey?: string };

export interface AppDecodeOptions {
  receivedAt: Date;
  /** Our configured agent id: the fallback when the XML lacks AgentID, and a filter when both exist. */
  agentId?: string;
}

const key = (...parts: string[]) => parts.map(encodeURIComponent).join(":");

export function appMessageKey(fromUser: string, msgId: string): string {
  return key("wecom-app", fromUser, msgId);
}

/** Events have no MsgId: sender + CreateTime + event type (CreateTime alone dropped events, trap 3). */
export function appEventKey(fromUser: string, createTime: string, event: string): string {
  return key("wecom-app-event", fromUser, createTime, event);
}

function required(f: Record<string, string>, name: string): string {
  const value = f[name];
  if (!value) throw new WecomDecodeError(`app message: <${name}> missing`);
  return value;
}

/** The decrypted app XML → a one-to-one IncomingMessage, or a reason to ignore it. */
export function decodeAppMessage(
  xml: string,
  { receivedAt, agentId }: AppDecodeOptions,
): { message: IncomingMessage; extras: WecomAppExtras } | AppIgnored {
  const f = parseXmlFields(xml, "app message");
  const from = required(f, "FromUserName");
  const msgType = required(f, "MsgType");
  const createTime = required(f, "CreateTime");
  if (msgType === "event") {
    const event = required(f, "Event");
    return { ignored: `event ${event}`, dedupeKey: appEventKey(from, createTime, event) };
  }
  const msgId = required(f, "MsgId");
  const dedupeKey = appMessageKey(from, msgId);
  const agent = f.AgentID ?? agentId;
  if (!agent) throw new WecomDecodeError("app message: <AgentID> missing");
  if (agentId !== undefined && agent !== agentId) return { ignored: `agent ${agent}`, dedupeKey };
  if (msgType !== "text") return { ignored: `msgtype ${msgType}`, dedupeKey };
  const content = f.Content;
  if (content === undefined) throw new WecomDecodeError("app message: <Content> missing");
  return {
    message: {
      platform: "wecom",
      botId: `app:${agent}`,
      chatId: from,
      chatType: "single",
      sender: { userId: from },
      text: content.trim(),
      mentions: [],
      messageId: msgId,
      receivedAt,
    },
    extras: { dedupeKey, toUserName: required(f, "ToUserName"), agentId: agent, createTime },
  };
}

export interface AppReplyInput {
  /** The member's UserID (the incoming FromUserName). */
  toUser: string;
  /** The CorpID (the incoming ToUserName). */
  fromCorp: string;
  content: string;
  now: Date;
}

/** The plaintext of a passive text reply; encrypt it with signedReply and wrap with signedReplyXml. */
export function encodeAppReplyXml({ toUser, fromCorp, content, now }: AppReplyInput): string {
  return (
    `<xml><ToUserName>${cdata(toUser)}</ToUserName>` +
    `<FromUserName>${cdata(fromCorp)}</FromUserName>` +
    `<CreateTime>${Math.floor(now.getTime() / 1000)}</CreateTime>` +
    `<MsgType><![CDATA[text]]></MsgType>` +
    `<Content>${cdata(content)}</Content></xml>`
  );
}
