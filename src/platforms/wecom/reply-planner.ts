import type { InboxItem } from "../../jobs/inbox.ts";
import type { OutboxEntry } from "../../jobs/outbox.ts";
import type { OutgoingMessage } from "../types.ts";
import type { WecomAppExtras, WecomBotExtras } from "./decode.ts";
import { renderWecom, wecomBody } from "./render.ts";
import { isWsExtras, wsReplyEntries } from "./ws-outbox.ts";

// Announcements over the long connection are queued with wsChatEntry; it lives with the other ws doors.
export { wsChatEntry } from "./ws-outbox.ts";

/**
 * Which door each reply to a WeCom message goes through:
 * - AI bot: the message's response_url (single use, 1 h) for the first part; further parts, and any
 *   part whose door has closed, go to the group's robot webhook (group chats) or the app (one-to-one).
 * - Self-built app: message/send to the member.
 * - AI bot on the long connection (WECOM_BOT_MODE=ws): the callback's req_id, then aibot_send_msg
 *   (ws-outbox.ts).
 * Destinations are rate-limit buckets and never contain a key or URL.
 */
export const RESPONSE_URL_TTL_MS = 60 * 60 * 1000;

export interface WecomAppRef {
  corpId: string;
  agentId: string;
}

export function webhookEntry(chatId: string, body: Record<string, unknown>): OutboxEntry {
  return {
    platform: "wecom",
    channel: "wecom.webhook",
    destination: `wecom.webhook:${chatId}`,
    target: { chatId },
    body,
  };
}

export function appEntry(app: WecomAppRef, userId: string, message: OutgoingMessage): OutboxEntry[] {
  return renderWecom({ ...message, format: "text" }).map((part) => ({
    platform: "wecom",
    channel: "wecom.app",
    destination: `wecom.app:${app.corpId}:${app.agentId}`,
    target: { userId },
    body: { msgtype: "text", content: part.content },
  }));
}

/** Where a reply goes when the reply door is closed: the group robot, or the app for one-to-one chats. */
export function fallbackEntries(
  chat: { chatId: string; chatType: string; userId: string },
  message: OutgoingMessage,
  app: WecomAppRef | undefined,
): OutboxEntry[] {
  if (chat.chatType === "single" && app) return appEntry(app, chat.userId, message);
  return renderWecom({ ...message, format: "markdown" }).map((part) =>
    webhookEntry(chat.chatId, wecomBody(part)),
  );
}

/** `ws`: the long connection's bot, when WECOM_BOT_MODE=ws (its pushes share one rate-limit bucket). */
export function wecomReplyPlanner(app: WecomAppRef | undefined, ws?: { botId: string }) {
  return async (item: InboxItem, replies: OutgoingMessage[]): Promise<OutboxEntry[]> => {
    const { message } = item;
    // Heard on the long connection, and still in ws mode: answer there. A message stored before a
    // switch to HTTP mode falls through to its response_url or the group robot.
    if (ws && isWsExtras(item.extras)) return wsReplyEntries(item, replies, ws.botId);
    const chat = { chatId: message.chatId, chatType: message.chatType, userId: message.sender.userId };
    if (item.botId.startsWith("app:")) {
      const extras = item.extras as unknown as WecomAppExtras;
      const ref = app ?? { corpId: extras.toUserName, agentId: extras.agentId };
      return replies.flatMap((r) => appEntry(ref, message.sender.userId, r));
    }
    const extras = item.extras as unknown as WecomBotExtras;
    const responseUrl = extras.reply?.responseUrl;
    const entries: OutboxEntry[] = [];
    let doorOpen = Boolean(responseUrl);
    for (const reply of replies) {
      const parts = renderWecom({ ...reply, format: "markdown" });
      for (const part of parts) {
        if (doorOpen && responseUrl) {
          doorOpen = false;
          entries.push({
            platform: "wecom",
            channel: "wecom.response_url",
            destination: `wecom.response_url:${item.id}`,
            target: {
              ...chat,
              responseUrl,
              expiresAt: new Date(message.receivedAt.getTime() + RESPONSE_URL_TTL_MS).toISOString(),
              // Kept so a closed door can fall back without re-rendering.
              message: { ...reply, text: part.content, format: "markdown", mentions: [] },
            },
            body: wecomBody(part),
          });
        } else {
          entries.push(...fallbackEntries(chat, { ...reply, text: part.content, mentions: [] }, app));
        }
      }
    }
    return entries;
  };
}
