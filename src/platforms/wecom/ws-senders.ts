import type { Db } from "../../db/database.ts";
import type { ChannelSender, Delivery } from "../../jobs/deliver-outbox.ts";
import type { OutboxItem } from "../../jobs/outbox.ts";
import { permanent, retryLater, sent } from "../send-result.ts";
import { webhookEntry } from "./reply-planner.ts";
import type { WecomLongConnection } from "./ws-client.ts";
import { WsErrcode } from "./ws-frames.ts";
import { markdownOf, type WsReplyTarget, wsChatEntry } from "./ws-outbox.ts";
import { wsOutcome } from "./ws-outcome.ts";

/**
 * The long connection's outbox channels. Both need the live connection: while it is down they ask
 * for a retry (the client reconnects on its own). A reply whose req_id WeCom no longer takes is
 * pushed to the chat instead; a push WeCom refuses goes to the group's robot webhook if it has one.
 */
export interface WsSenderDeps {
  /** The current connection; undefined before start() and after stop(). */
  connection(): WecomLongConnection | undefined;
  db: Db;
}

const DOWN = "WeCom long connection is not running";

/** The outbox channels that need the live connection (only the replica holding it sends them). */
export const WS_CHANNELS = ["wecom.ws", "wecom.ws_send"] as const;

/**
 * The stream id is fixed per outbox row: a retry after a lost ack repeats the same stream, which
 * WeCom refuses as finished instead of showing the answer twice.
 */
const streamIdOf = (item: OutboxItem) => `huibao_${item.id}`;

async function viaGroupRobot(db: Db, item: OutboxItem, chatId: string, reason: string): Promise<Delivery> {
  const group = await db.group.findUnique({ where: { platform_chatId: { platform: "wecom", chatId } } });
  if (!group?.webhookKey) return permanent(`aibot_send_msg refused (${reason}); chat has no robot webhook`);
  return { reroute: webhookEntry(chatId, item.body), reason: `aibot_send_msg refused: ${reason}` };
}

export function wecomWsSenders(deps: WsSenderDeps): Record<string, ChannelSender> {
  return {
    "wecom.ws": {
      async deliver(item) {
        const t = item.target as unknown as WsReplyTarget;
        const connection = deps.connection();
        if (!connection) return retryLater(DOWN);
        const markdown = markdownOf(item.body);
        try {
          await connection.respond(t.reqId, markdown, streamIdOf(item));
          return sent();
        } catch (err) {
          const outcome = wsOutcome(err);
          if (outcome.kind === "failure") return outcome.result;
          // Only an earlier attempt of this row can have finished this stream: its ack was lost.
          // UNVERIFIED: WeCom may also answer this code for a req_id that expired unanswered.
          if (outcome.errcode === WsErrcode.streamFinished && item.attempts > 1) return sent();
          return {
            reroute: wsChatEntry(t.botId, t.chatId, markdown),
            reason: `req_id closed: ${outcome.reason}`,
          };
        }
      },
    },
    "wecom.ws_send": {
      async deliver(item) {
        const chatId = String(item.target.chatId ?? "");
        const connection = deps.connection();
        if (!connection) return retryLater(DOWN);
        try {
          // aibot_send_msg has no idempotency key: after a lost ack a retry may show a push twice.
          await connection.sendToChat(chatId, markdownOf(item.body));
          return sent();
        } catch (err) {
          const outcome = wsOutcome(err);
          if (outcome.kind === "failure") return outcome.result;
          return viaGroupRobot(deps.db, item, chatId, outcome.reason);
        }
      },
    },
  };
}
