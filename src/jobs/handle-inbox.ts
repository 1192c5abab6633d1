import type { Bot } from "../bot/bot.ts";
import type { Db } from "../db/database.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import type { NoticeRouter } from "../platforms/notices.ts";
import type { OutgoingMessage } from "../platforms/types.ts";
import type { Inbox, InboxItem } from "./inbox.ts";
import type { Outbox, OutboxEntry } from "./outbox.ts";

/** Turns the bot's replies to a stored message into outbox rows for that platform's reply doors. */
export type ReplyPlanner = (item: InboxItem, replies: OutgoingMessage[]) => Promise<OutboxEntry[]>;

export interface InboxHandlerDeps {
  db: Db;
  bot: Bot;
  inbox: Inbox;
  outbox: Outbox;
  planners: Record<string, ReplyPlanner>;
  /** Where the notices a command asked for (announcements, one-to-one messages) go. */
  router: NoticeRouter;
  clock: Clock;
  logger: Logger;
  /** Called after replies were queued, so the outbox worker looks at once. */
  onQueued?: () => void;
}

const APOLOGY: OutgoingMessage = {
  format: "text",
  text: "抱歉，刚才这条消息没有处理成功，已经记录下来。请稍后再发一次。",
  mentions: [],
};

/**
 * While callbacks are arriving, a step lets them in between its parts (claim, answer, commit: a few
 * milliseconds each on PGlite, which runs on this thread) instead of holding the event loop for all
 * of them at once; every callback in flight waits for whatever runs when it arrives. Outside a
 * transaction, and the claimed message is leased, so nothing else can take it meanwhile.
 */
async function giveWay(inbox: Inbox): Promise<void> {
  if (inbox.acknowledging) await new Promise((r) => setImmediate(r));
}

/**
 * One step of the inbox worker: claim a stored message, let the bot answer it, and queue the replies
 * in the same transaction that marks the message done, so a crash leaves either both or neither.
 */
export function inboxStep(deps: InboxHandlerDeps): () => Promise<boolean> {
  const { db, bot, inbox, outbox, planners, logger } = deps;
  return async () => {
    const item = await inbox.claimNext();
    if (!item) return false;
    const planner = planners[item.platform];
    try {
      if (!planner) throw new Error(`no reply planner for platform ${item.platform}`);
      await giveWay(inbox);
      const messages = await bot.handle(item.message);
      const replies = messages.filter((m) => !m.to);
      const notices = messages.filter((m) => m.to);
      const entries = [...(await planner(item, replies)), ...(await deps.router(db, notices))];
      await giveWay(inbox);
      // One batch transaction (no round trips inside it): the replies are queued exactly when the
      // message is marked done, so a crash leaves either both or neither.
      await db.$transaction([
        outbox.enqueueQuery(entries, item.id),
        db.inboxMessage.update({
          where: { id: item.id },
          data: { status: "done", handledAt: deps.clock.now(), lockedUntil: null },
        }),
      ]);
      deps.onQueued?.();
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const outcome = await inbox.markFailed(item, reason);
      logger.error(
        { err, inboxId: String(item.id), attempts: item.attempts, outcome },
        "handling a message failed",
      );
      if (outcome === "failed" && planner) {
        // The member gets a short apology instead of silence.
        await outbox.enqueue(await planner(item, [APOLOGY]), item.id).catch((e: unknown) => {
          logger.error({ err: e, inboxId: String(item.id) }, "could not queue the apology");
        });
        deps.onQueued?.();
      }
    }
    return true;
  };
}
