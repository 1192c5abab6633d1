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
  /** The platform's long connection, when it is configured instead of a callback URL. */
  longConnection?: LongConnectionDoor;
}

/**
 * A long connection to a platform. Messaging runs it on one replica at a time (src/jobs/leader.ts):
 * a second connection for the same bot would kick the first one off.
 */
export interface LongConnectionDoor {
  /** Names the lease: one per bot or app. */
  lease: string;
  /** Outbox channels only the connection can send: a replica without it leaves them to the one with it. */
  channels: readonly string[];
  /** True while the connection is up in this process. */
  readonly connected: boolean;
  /**
   * What an administrator must do when the connection is down for good in this process (WeCom: another
   * connection of the same bot took it over), in Chinese; undefined otherwise.
   */
  readonly problem?: string | undefined;
  /** Opens it; called by the leader role, never at construction (tests build setups freely). */
  start(): void;
  /** Closes it; the database is still open until this resolves. */
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
