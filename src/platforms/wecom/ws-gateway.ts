import type { Inbox } from "../../jobs/inbox.ts";
import type { BackoffOptions } from "../../lib/backoff.ts";
import type { Clock } from "../../lib/clock.ts";
import type { Logger } from "../../lib/logger.ts";
import type { IncomingMessage } from "../types.ts";
import { startWecomLongConnection, type WecomLongConnection, type WecomWsMeta } from "./ws-client.ts";
import type { WecomWsExtras } from "./ws-outbox.ts";

/**
 * The long connection as a door into the inbox, the way the HTTP route is one: each member message
 * is stored under the same dedupe key as its HTTP twin and handled later by the inbox worker, whose
 * replies go out through the outbox (ws-senders.ts). Nothing is answered from here, so a re-push
 * (WeCom retrying, a reconnect) finds the key taken and is dropped.
 */
export interface WecomWsGatewayDeps {
  url: string;
  botId: string;
  secret: string;
  botNames: readonly string[];
  inbox: Inbox;
  clock: Clock;
  logger: Logger;
  onRecorded: () => void;
  backoff?: BackoffOptions;
}

export interface WecomWsGateway {
  /** Opens the connection (again after stop()); a second call while it runs does nothing. */
  start(): void;
  /** Closes the connection and waits for messages still being stored. */
  stop(): Promise<void>;
  readonly connection: WecomLongConnection | undefined;
}

// The long connection has no ack for a callback, so a message the database refuses would be lost:
// try a few times before giving up (and logging it).
const RECORD_TRIES = 3;
const RECORD_RETRY_MS = 200;

export function wecomWsGateway(deps: WecomWsGatewayDeps): WecomWsGateway {
  const log = deps.logger.child({ component: "wecom-ws-gateway" });
  let connection: WecomLongConnection | undefined;
  const storing = new Set<Promise<void>>();

  const store = async (message: IncomingMessage, meta: WecomWsMeta): Promise<void> => {
    const extras: WecomWsExtras = {
      dedupeKey: meta.dedupeKey,
      ws: { reqId: meta.reqId },
      ...(meta.responseUrl ? { reply: { responseUrl: meta.responseUrl } } : {}),
    };
    const payload = { message, extras: extras as unknown as Record<string, unknown> };
    for (let attempt = 1; ; attempt++) {
      try {
        const { duplicate } = await deps.inbox.record("wecom", message.botId, meta.dedupeKey, payload);
        if (duplicate) log.info({ dedupeKey: meta.dedupeKey }, "wecom duplicate delivery dropped");
        else deps.onRecorded();
        return;
      } catch (err) {
        if (attempt >= RECORD_TRIES) throw err;
        await new Promise((r) => setTimeout(r, RECORD_RETRY_MS * attempt));
      }
    }
  };

  return {
    get connection() {
      return connection;
    },
    start() {
      if (connection) return;
      connection = startWecomLongConnection({
        url: deps.url,
        botId: deps.botId,
        secret: deps.secret,
        botNames: deps.botNames,
        clock: deps.clock,
        logger: deps.logger,
        ...(deps.backoff ? { backoff: deps.backoff } : {}),
        // The client's own reply function is not used: answers come from the stored record.
        onMessage: (message, _reply, meta) => {
          const job = store(message, meta);
          storing.add(job);
          const done = () => storing.delete(job);
          job.then(done, done);
          return job;
        },
      });
    },
    async stop() {
      const closing = connection;
      connection = undefined;
      await closing?.close();
      // The database closes after this returns: let the last messages be written first.
      await Promise.allSettled([...storing]);
    },
  };
}
