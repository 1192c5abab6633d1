import type { InboxItem } from "../../jobs/inbox.ts";
import type { OutboxEntry } from "../../jobs/outbox.ts";
import type { OutgoingMessage } from "../types.ts";
import type { DingtalkExtras } from "./decode.ts";
import { type DingtalkBody, renderDingtalk } from "./render.ts";

/**
 * Which door each reply to a DingTalk message goes through: the message's sessionWebhook while it is
 * valid, then the OpenAPI (groupMessages/send for groups, oToMessages/batchSend one-to-one).
 * All doors into one conversation share one rate-limit bucket: DingTalk counts per robot and group.
 */
export function chatDestination(chatId: string): string {
  return `dingtalk.chat:${chatId}`;
}

export interface DingtalkChat {
  chatId: string;
  chatType: string;
  userId: string;
}

/** The OpenAPI door for a body: what a closed sessionWebhook falls back to. */
export function openApiEntry(chat: DingtalkChat, body: DingtalkBody): OutboxEntry {
  const single = chat.chatType === "single";
  return {
    platform: "dingtalk",
    channel: single ? "dingtalk.oto" : "dingtalk.group",
    destination: chatDestination(chat.chatId),
    target: single ? { chatId: chat.chatId, userId: chat.userId } : { chatId: chat.chatId },
    body: body as unknown as Record<string, unknown>,
  };
}

/**
 * An announcement into a group: the group's custom robot when the directory has its access token
 * (webhook_key), otherwise the enterprise robot's groupMessages/send.
 */
export function dingtalkGroupEntries(
  group: { chatId: string; webhookKey: string | null },
  message: OutgoingMessage,
): OutboxEntry[] {
  return renderDingtalk(message).map((body) =>
    group.webhookKey
      ? {
          platform: "dingtalk",
          channel: "dingtalk.custom",
          destination: `dingtalk.custom:${group.chatId}`,
          target: { chatId: group.chatId },
          body: body as unknown as Record<string, unknown>,
        }
      : openApiEntry({ chatId: group.chatId, chatType: "group", userId: "" }, body),
  );
}

export function dingtalkReplyPlanner() {
  return async (item: InboxItem, replies: OutgoingMessage[]): Promise<OutboxEntry[]> => {
    const { message } = item;
    const extras = item.extras as unknown as DingtalkExtras;
    const chat = { chatId: message.chatId, chatType: message.chatType, userId: message.sender.userId };
    const door = extras.sessionWebhook;
    const expiresAt = extras.sessionWebhookExpiredTime;
    return replies.flatMap((reply) =>
      renderDingtalk(reply).map(
        (body): OutboxEntry =>
          door && expiresAt
            ? {
                platform: "dingtalk",
                channel: "dingtalk.session",
                destination: chatDestination(chat.chatId),
                target: { ...chat, url: door, expiresAt },
                body: body as unknown as Record<string, unknown>,
              }
            : openApiEntry(chat, body),
      ),
    );
  };
}
