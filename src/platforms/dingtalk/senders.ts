import type { Db } from "../../db/database.ts";
import type { ChannelSender } from "../../jobs/deliver-outbox.ts";
import type { Clock } from "../../lib/clock.ts";
import { permanent } from "../send-result.ts";
import type { DingtalkApi } from "./api.ts";
import { type DingtalkBody, toGroupMessageParam } from "./render.ts";
import { type DingtalkChat, openApiEntry } from "./reply-planner.ts";

/** The outbox channels of DingTalk: sessionWebhook, OpenAPI group / one-to-one, custom robot. */
export function dingtalkSenders(deps: {
  api: DingtalkApi;
  db: Db;
  clock: Clock;
}): Record<string, ChannelSender> {
  const { api, db, clock } = deps;
  return {
    "dingtalk.session": {
      async deliver(item) {
        const t = item.target as unknown as DingtalkChat & { url: string; expiresAt: number };
        const body = item.body as unknown as DingtalkBody;
        if (clock.now().getTime() >= t.expiresAt) {
          return { reroute: openApiEntry(t, body), reason: "sessionWebhook expired" };
        }
        const result = await api.postSessionWebhook(t.url, item.body, t.expiresAt);
        if (!result.ok && !result.retry && result.doorClosed) {
          return { reroute: openApiEntry(t, body), reason: result.reason };
        }
        return result;
      },
    },
    "dingtalk.group": {
      deliver: (item) =>
        api.sendGroup(String(item.target.chatId), toGroupMessageParam(item.body as unknown as DingtalkBody)),
    },
    "dingtalk.oto": {
      deliver: (item) =>
        api.sendOneToOne(
          [String(item.target.userId)],
          toGroupMessageParam(item.body as unknown as DingtalkBody),
        ),
    },
    "dingtalk.custom": {
      async deliver(item) {
        const chatId = String(item.target.chatId ?? "");
        // Token and secret are read at send time: they never sit in the outbox, and a fix applies at once.
        const group = await db.group.findUnique({
          where: { platform_chatId: { platform: "dingtalk", chatId } },
        });
        if (!group?.webhookKey) {
          return permanent(`group ${group?.name ?? chatId} has no custom robot access token (webhook_key)`, {
            configError: true,
          });
        }
        return api.sendCustomRobot(group.webhookKey, group.webhookSecret ?? undefined, item.body);
      },
    },
  };
}
