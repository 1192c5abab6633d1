import type { Inbox, RecordResult } from "../../jobs/inbox.ts";
import type { Clock } from "../../lib/clock.ts";
import type { PlatformSetup } from "../setup-types.ts";
import type { IncomingMessage } from "../types.ts";
import { LocalListeners } from "./listeners.ts";
import { localReplyPlanner } from "./reply-planner.ts";
import { localSender } from "./sender.ts";

export interface LocalSetup extends PlatformSetup {
  /** Who hears what the local channel delivers (the dashboard's live stream subscribes here). */
  listeners: LocalListeners;
  /**
   * Records a local message in the inbox, like a platform route does, and wakes the inbox worker:
   * the bot answers it from the stored record and the answers come back through the listeners.
   */
  receive(message: IncomingMessage): Promise<RecordResult>;
}

export function setupLocal(deps: { inbox: Inbox; clock: Clock; onRecorded: () => void }): LocalSetup {
  const listeners = new LocalListeners();
  return {
    routers: [],
    planners: { local: localReplyPlanner },
    senders: { local: localSender(listeners, deps.clock) },
    listeners,
    async receive(message) {
      const dedupeKey = `${message.sender.userId}:${message.messageId}`;
      const result = await deps.inbox.record("local", message.botId, dedupeKey, { message, extras: {} });
      if (!result.duplicate) deps.onRecorded();
      return result;
    },
  };
}
