import type Router from "@koa/router";
import type { Config } from "../config.ts";
import type { Db } from "../db/database.ts";
import type { ChannelSender } from "../jobs/deliver-outbox.ts";
import type { ReplyPlanner } from "../jobs/handle-inbox.ts";
import type { Inbox } from "../jobs/inbox.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";

/** What a platform contributes to messaging: its routes, reply planner, outbox senders, connections. */
export interface PlatformSetup {
  routers: Router[];
  planners: Record<string, ReplyPlanner>;
  senders: Record<string, ChannelSender>;
  /** Opens long connections; called with the workers, never at construction (tests build setups freely). */
  start?(): void;
  /** Closes them; the database is still open until this resolves. */
  stop(): Promise<void>;
}

export interface PlatformDeps {
  config: Config;
  db: Db;
  inbox: Inbox;
  clock: Clock;
  logger: Logger;
  onRecorded: () => void;
  fetch?: typeof fetch;
}
