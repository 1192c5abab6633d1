import { randomBytes } from "node:crypto";

/** Realistic decrypted payloads, shaped like the official samples and the SDK's message types. */

export interface BotTextInput {
  msgid?: string;
  aibotid: string;
  /** Required for a group; a single chat has no chatid. */
  chatid?: string;
  chattype?: "group" | "single";
  userid: string;
  /** As WeCom sends it, including the `@机器人` mention. */
  content: string;
  quote?: { msgtype: "text"; text: { content: string } } | Record<string, unknown>;
  responseUrl?: string;
  createTime?: number;
}

export function botTextMessage(m: BotTextInput): Record<string, unknown> {
  const chattype = m.chattype ?? "group";
  return {
    msgid: m.msgid ?? randomBytes(16).toString("hex"),
    aibotid: m.aibotid,
    ...(chattype === "group" ? { chatid: m.chatid ?? "wrSimGroupChat" } : {}),
    chattype,
    from: { userid: m.userid },
    ...(m.createTime !== undefined ? { create_time: m.createTime } : {}),
    ...(m.responseUrl ? { response_url: m.responseUrl } : {}),
    msgtype: "text",
    text: { content: m.content },
    ...(m.quote ? { quote: m.quote } : {}),
  };
}

export interface AppTextInput {
  corpId: string;
  fromUser: string;
  content: string;
  msgId?: string;
  agentId?: string;
  createTime?: number;
}

/** The decrypted app text message XML (ToUserName = CorpID, FromUserName = member UserID). */
export function appTextXml(m: AppTextInput): string {
  const msgId = m.msgId ?? String(BigInt(`0x${randomBytes(8).toString("hex")}`) >> 1n);
  const time = m.createTime ?? Math.floor(Date.now() / 1000);
  return (
    `<xml><ToUserName><![CDATA[${m.corpId}]]></ToUserName>` +
    `<FromUserName><![CDATA[${m.fromUser}]]></FromUserName>` +
    `<CreateTime>${time}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
    `<Content><![CDATA[${m.content}]]></Content><MsgId>${msgId}</MsgId>` +
    `<AgentID>${m.agentId ?? "1000002"}</AgentID></xml>`
  );
}
