import type { Db } from "../../db/database.ts";
import type { ChannelSender, Delivery } from "../../jobs/deliver-outbox.ts";
import type { OutboxItem } from "../../jobs/outbox.ts";
import type { Clock } from "../../lib/clock.ts";
import { permanent } from "../send-result.ts";
import type { OutgoingMessage } from "../types.ts";
import type { WecomApi } from "./api.ts";
import { fallbackEntries, type WecomAppRef } from "./reply-planner.ts";
import type { WecomLongConnection } from "./ws-client.ts";
import { wecomWsSenders } from "./ws-senders.ts";

/**
 * The outbox channels of WeCom: the AI bot's response_url, the group robot webhook, the app, and the
 * AI bot's long connection (ws-senders.ts).
 */
export interface WecomSenderDeps {
  api: WecomApi;
  db: Db;
  clock: Clock;
  app?: WecomAppRef & { secret: string };
  /** Set in WECOM_BOT_MODE=ws: the live long connection, if any. */
  wsConnection?: () => WecomLongConnection | undefined;
}

interface ReplyTarget {
  chatId: string;
  chatType: string;
  userId: string;
  responseUrl: string;
  expiresAt: string;
  message: OutgoingMessage;
}

function reroute(item: OutboxItem, app: WecomAppRef | undefined, reason: string): Delivery {
  const t = item.target as unknown as ReplyTarget;
  const [next, ...more] = fallbackEntries(t, t.message, app);
  // A reply rendered for one part never splits again, but keep every part if it did.
  if (!next) return permanent(`no other door for chat ${t.chatId}: ${reason}`);
  if (more.length > 0) return permanent(`reply too long for the fallback door of chat ${t.chatId}`);
  return { reroute: next, reason };
}

export function wecomSenders(deps: WecomSenderDeps): Record<string, ChannelSender> {
  const { api, db, clock, app, wsConnection } = deps;
  const senders: Record<string, ChannelSender> = {
    "wecom.response_url": {
      async deliver(item) {
        const t = item.target as unknown as ReplyTarget;
        if (clock.now() >= new Date(t.expiresAt)) return reroute(item, app, "response_url expired");
        const result = await api.postResponseUrl(t.responseUrl, item.body);
        if (!result.ok && !result.retry && result.doorClosed) return reroute(item, app, result.reason);
        return result;
      },
    },
    "wecom.webhook": {
      async deliver(item) {
        const chatId = String(item.target.chatId ?? "");
        // The key is looked up at send time: it never sits in the outbox, and a fixed key applies at once.
        const group = await db.group.findUnique({
          where: { platform_chatId: { platform: "wecom", chatId } },
        });
        if (!group?.webhookKey) {
          return permanent(
            `group ${group?.name ?? chatId} has no robot webhook key (webhook_key in the directory)`,
            {
              configError: true,
            },
          );
        }
        return api.sendWebhook(group.webhookKey, item.body);
      },
    },
  };
  if (app) {
    senders["wecom.app"] = {
      async deliver(item) {
        const body = item.body as { msgtype: "text" | "markdown"; content: string };
        return api.sendAppMessage({
          corpId: app.corpId,
          secret: app.secret,
          agentId: app.agentId,
          toUser: String(item.target.userId ?? ""),
          msgtype: body.msgtype,
          content: body.content,
        });
      },
    };
  }
  if (wsConnection) Object.assign(senders, wecomWsSenders({ connection: wsConnection, db }));
  return senders;
}
