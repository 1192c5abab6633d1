import type { Logger } from "../lib/logger.ts";
import type { SendResult } from "../platforms/send-result.ts";
import type { Outbox, OutboxEntry, OutboxItem } from "./outbox.ts";

/**
 * Delivers one claimed outbox message through its channel. A sender may hand the message to another
 * door (`reroute`) when its own is closed, e.g. a used-up WeCom response_url → the group robot.
 */
export type Delivery = SendResult | { reroute: OutboxEntry; reason: string };

export interface ChannelSender {
  deliver(item: OutboxItem): Promise<Delivery>;
}

export interface DeliverDeps {
  outbox: Outbox;
  senders: Record<string, ChannelSender>;
  logger: Logger;
  onQueued?: () => void;
}

export function outboxStep(deps: DeliverDeps): () => Promise<boolean> {
  const { outbox, senders, logger } = deps;
  return async () => {
    const item = await outbox.claimNext();
    if (!item) return false;
    const log = logger.child({ outboxId: String(item.id), channel: item.channel, attempt: item.attempts });
    const sender = senders[item.channel];
    if (!sender) {
      await outbox.markFailed(item.id, `no sender configured for channel ${item.channel}`);
      log.error("outbox message failed: its channel is not configured");
      return true;
    }
    let result: Delivery;
    try {
      result = await sender.deliver(item);
    } catch (err) {
      // Senders should not throw; if one does, treat it like a network error rather than lose the message.
      result = { ok: false, retry: true, reason: err instanceof Error ? err.message : String(err) };
    }
    if ("reroute" in result) {
      await outbox.enqueue([result.reroute], item.inboxId ?? undefined);
      await outbox.setStatus(item.id, "rerouted", result.reason);
      log.info({ reason: result.reason, to: result.reroute.channel }, "outbox message rerouted");
      deps.onQueued?.();
    } else if (result.ok) {
      await outbox.markSent(item.id);
    } else if (result.retry) {
      if (result.rateLimited && result.afterMs)
        await outbox.holdDestination(item.destination, result.afterMs);
      const status = await outbox.markRetry(
        item,
        result.reason,
        result.afterMs,
        result.rateLimited,
        result.unconfirmed,
      );
      if (status === "failed") log.error({ reason: result.reason }, "outbox message failed for good");
      else
        log.warn(
          { reason: result.reason, rateLimited: result.rateLimited ?? false },
          "outbox retry scheduled",
        );
    } else {
      await outbox.markFailed(item.id, result.reason);
      log.error(
        { reason: result.reason, configError: result.configError ?? false },
        "outbox message failed for good",
      );
    }
    return true;
  };
}
