import type { InboxItem } from "../../jobs/inbox.ts";
import type { OutboxEntry } from "../../jobs/outbox.ts";
import type { OutgoingMessage } from "../types.ts";
import { renderWecom, wecomBody } from "./render.ts";

/**
 * Outbox entries of the long connection (WECOM_BOT_MODE=ws):
 * - `wecom.ws`: the answer on the callback's own req_id (aibot_respond_msg). One per message, like
 *   response_url; its destination is the inbox row, so no bot-wide limit holds an answer back.
 * - `wecom.ws_send`: a markdown push to a chat (aibot_send_msg), for further parts of a reply, for a
 *   req_id WeCom no longer takes, and for announcements. Its destination is the bot, so the outbox's
 *   per-minute limit applies to the bot as it does to a group robot.
 * Bodies are WeCom markdown bodies `{msgtype:"markdown", markdown:{content}}`, which every WeCom door
 * (these two and the group webhook) can take as they are when a reply has to change doors.
 */

/** What a long-connection message stores in the inbox besides the message. */
export interface WecomWsExtras {
  /** The same composite key as the HTTP callback's (sender + msgid). */
  dedupeKey: string;
  ws: { reqId: string };
  /** When WeCom sent one along: single use, 1 hour (kept for an HTTP-mode restart). */
  reply?: { responseUrl?: string };
}

/** The target of a `wecom.ws` entry. */
export interface WsReplyTarget {
  botId: string;
  reqId: string;
  chatId: string;
  chatType: string;
  userId: string;
}

export function isWsExtras(extras: Record<string, unknown>): boolean {
  const ws = extras.ws as { reqId?: unknown } | undefined;
  return typeof ws?.reqId === "string" && ws.reqId !== "";
}

/** A markdown push to a chat (group chatid, or the member's userid for a single chat). */
export function wsChatEntry(botId: string, chatId: string, markdown: string): OutboxEntry {
  return {
    platform: "wecom",
    channel: "wecom.ws_send",
    destination: `wecom.ws:${botId}`,
    target: { botId, chatId },
    body: { msgtype: "markdown", markdown: { content: markdown } },
  };
}

/** The markdown of a WeCom body as the planner built it. */
export function markdownOf(body: Record<string, unknown>): string {
  const inner = (body.markdown ?? body.text) as { content?: unknown } | undefined;
  return typeof inner?.content === "string" ? inner.content : "";
}

/**
 * Replies to a long-connection message: the first part on its req_id, the rest pushed to the chat.
 * Parts keep the 2048-byte size of the other doors so that any of them can still change door.
 */
export function wsReplyEntries(item: InboxItem, replies: OutgoingMessage[], botId: string): OutboxEntry[] {
  const { message } = item;
  const { reqId } = (item.extras as unknown as WecomWsExtras).ws;
  const target: WsReplyTarget = {
    botId,
    reqId,
    chatId: message.chatId,
    chatType: message.chatType,
    userId: message.sender.userId,
  };
  const entries: OutboxEntry[] = [];
  for (const reply of replies) {
    for (const part of renderWecom({ ...reply, format: "markdown" })) {
      if (entries.length === 0) {
        entries.push({
          platform: "wecom",
          channel: "wecom.ws",
          destination: `wecom.ws_reply:${item.id}`,
          target: { ...target },
          body: wecomBody(part),
        });
      } else {
        entries.push(wsChatEntry(botId, message.chatId, part.content));
      }
    }
  }
  return entries;
}
