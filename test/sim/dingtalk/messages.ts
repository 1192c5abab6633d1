import { createHash, randomBytes } from "node:crypto";

/**
 * Realistic robot callback bodies (the same JSON arrives over HTTP and as Stream `data`), shaped
 * like the payloads quoted in the official SDKs and public logs: opaque `$:LWCP_v1:$…` ids, `cid…`
 * conversation ids, a bot @-mention in atUsers carrying only its dingtalkId, a leading space left in
 * text.content where the @-mention was cut out.
 */

export interface TextMessageInput {
  msgId?: string;
  conversationId: string;
  /** "1" single chat, "2" group. */
  conversationType: "1" | "2";
  conversationTitle?: string;
  senderStaffId: string;
  senderNick: string;
  /** As DingTalk sends it: the @robot mention is removed from group messages, often leaving a leading space. */
  content: string;
  /** staffIds of other members @-mentioned besides the robot. */
  atUsers?: string[];
  robotCode?: string;
  isAdmin?: boolean;
  createAt?: number;
  corpId?: string;
}

export interface SessionInfo {
  sessionWebhook: string;
  sessionWebhookExpiredTime: number;
}

/** DingTalk's opaque per-user id, stable per staffId so repeated senders look alike. */
export function opaqueId(seed: string): string {
  return `$:LWCP_v1:$${createHash("sha256").update(seed).digest("base64").slice(0, 32)}`;
}

export const newMsgId = (): string => `msg${randomBytes(16).toString("base64")}`;

export function textMessage(
  m: TextMessageInput & SessionInfo & { robotCode: string; now: number },
): Record<string, unknown> {
  const corpId = m.corpId ?? "dingsimcorp00000001";
  const chatbotUserId = opaqueId(`robot:${m.robotCode}`);
  const group = m.conversationType === "2";
  const atUsers = [
    ...(group ? [{ dingtalkId: chatbotUserId }] : []),
    ...(m.atUsers ?? []).map((staffId) => ({ dingtalkId: opaqueId(staffId), staffId })),
  ];
  return {
    conversationId: m.conversationId,
    ...(atUsers.length > 0 ? { atUsers } : {}),
    chatbotCorpId: corpId,
    chatbotUserId,
    msgId: m.msgId ?? newMsgId(),
    senderNick: m.senderNick,
    isAdmin: m.isAdmin ?? false,
    senderStaffId: m.senderStaffId,
    sessionWebhookExpiredTime: m.sessionWebhookExpiredTime,
    createAt: m.createAt ?? m.now,
    senderCorpId: corpId,
    conversationType: m.conversationType,
    senderId: opaqueId(m.senderStaffId),
    ...(group ? { conversationTitle: m.conversationTitle ?? "宣传科工作群", isInAtList: true } : {}),
    sessionWebhook: m.sessionWebhook,
    text: { content: m.content },
    robotCode: m.robotCode,
    msgtype: "text",
  };
}
