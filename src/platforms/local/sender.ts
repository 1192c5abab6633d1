import type { ChannelSender } from "../../jobs/deliver-outbox.ts";
import type { Clock } from "../../lib/clock.ts";
import { sent } from "../send-result.ts";
import type { LocalListeners } from "./listeners.ts";

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** The "local" channel: hands rows to the live listeners (the dashboard's sandbox chat). */
export function localSender(listeners: LocalListeners, clock: Clock): ChannelSender {
  return {
    async deliver(item) {
      listeners.publish({
        id: String(item.id),
        chatId: str(item.target.chatId) ?? "",
        text: str(item.body.text) ?? "",
        title: str(item.body.title),
        replyTo: str(item.target.replyTo),
        quote: str(item.target.quote),
        at: clock.now(),
      });
      return sent();
    },
  };
}
