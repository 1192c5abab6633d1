import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type Router from "@koa/router";
import { ensureDigestScheduled } from "../domain/reports/digest-job.ts";
import type { ChannelSender } from "../jobs/deliver-outbox.ts";
import { outboxStep } from "../jobs/deliver-outbox.ts";
import { inboxStep } from "../jobs/handle-inbox.ts";
import { Inbox } from "../jobs/inbox.ts";
import { jobHandlers } from "../jobs/job-handlers.ts";
import { LeaderRole } from "../jobs/leader.ts";
import { Lease } from "../jobs/lease.ts";
import { JobLoop } from "../jobs/loop.ts";
import { Outbox } from "../jobs/outbox.ts";
import { Scheduler } from "../jobs/scheduler.ts";
import type { Runtime } from "../runtime.ts";
import { setupDingtalk } from "./dingtalk/setup.ts";
import { type LocalSetup, setupLocal } from "./local/setup.ts";
import { createNoticeRouter, noticeDoors } from "./notices.ts";
import type { LongConnectionDoor } from "./setup-types.ts";
import { setupWecom } from "./wecom/setup.ts";

/**
 * Platforms, inbox and outbox wired together: routes record messages in the inbox, the inbox worker
 * lets the bot answer and queues the replies, the outbox worker delivers them.
 */
export interface Messaging {
  routers: Router[];
  inbox: Inbox;
  outbox: Outbox;
  scheduler: Scheduler;
  /** The local channel: the dashboard's sandbox chat records messages and hears deliveries here. */
  local: Pick<LocalSetup, "listeners" | "receive">;
  /** The long connections configured, and whether this replica holds each (for health checks and tests). */
  longConnections(): Array<{ lease: string; leading: boolean; connected: boolean; problem?: string }>;
  /** Something put messages back in the outbox (an operator's retry): send them now, not at the next poll. */
  wakeOutbox(): void;
  /** Starts the workers (and long connections). */
  start(): void;
  /** Stops taking work and waits for what is in flight. */
  stop(): Promise<void>;
}

// Single-use reply doors (response_url) have no frequency limit of their own; nor has the local channel.
const UNLIMITED_CHANNELS = new Set(["wecom.response_url", "local"]);
// Per-app (not per-robot) OpenAPI channels: their limits are far above a robot's 20 a minute.
const APP_RATE_PER_MIN = 600;

async function releaseLeases(runtime: Runtime): Promise<void> {
  const db = runtime.db.prisma;
  await db.$transaction([
    db.inboxMessage.updateMany({ where: { status: "pending" }, data: { lockedUntil: null } }),
    db.outboxMessage.updateMany({
      where: { status: "sending" },
      data: { status: "queued", lockedUntil: null },
    }),
    db.scheduledJob.updateMany({
      where: { status: "pending", lockedUntil: { not: null } },
      data: { lockedUntil: null },
    }),
    db.lease.deleteMany({}),
  ]);
}

export function createMessaging(runtime: Runtime, options: { fetch?: typeof fetch } = {}): Messaging {
  const { config, clock, logger } = runtime;
  const db = runtime.db.prisma;
  const inbox = new Inbox(db, clock, { leaseMs: 60_000, maxAttempts: config.inbox.maxAttempts });
  const outbox = new Outbox(
    db,
    clock,
    {
      leaseMs: 60_000,
      maxAttempts: config.outbox.maxAttempts,
      ratePerMinute: (channel) =>
        UNLIMITED_CHANNELS.has(channel)
          ? Number.POSITIVE_INFINITY
          : channel.endsWith(".app") || channel === "dingtalk.oto"
            ? APP_RATE_PER_MIN
            : config.outbox.ratePerMinute,
      unavailableChannels: () =>
        longConnections.filter((door) => !door.connected).flatMap((door) => door.channels),
    },
    runtime.db.target.kind,
  );

  let outboxLoop: JobLoop | undefined;
  let inboxLoop: JobLoop | undefined;
  const router = createNoticeRouter(noticeDoors(config), logger);
  const scheduler = new Scheduler({
    db,
    clock,
    outbox,
    router,
    handlers: jobHandlers,
    timezone: config.timezone,
    settings: config.settings,
    logger,
    onQueued: () => outboxLoop?.kick(),
  });
  let lastWake = 0;
  let wakeTimer: NodeJS.Timeout | undefined;
  const WAKE_EVERY_MS = 5_000;
  const wakeScheduler = () => {
    if (wakeTimer) return;
    const wait = Math.max(0, lastWake + WAKE_EVERY_MS - performance.now());
    wakeTimer = setTimeout(() => {
      wakeTimer = undefined;
      lastWake = performance.now();
      schedulerLoop.kick();
    }, wait);
    wakeTimer.unref();
  };
  // The one owner of timers: it sleeps until the next job is due (or a minute, for other replicas' work).
  const schedulerLoop = new JobLoop({
    name: "scheduler",
    step: async () => (await scheduler.step()) > 0,
    nextDue: () => scheduler.nextDue(),
    clock,
    logger,
    concurrency: 1,
    pollMs: 60_000,
    pauseWhile: () => inbox.acknowledging,
  });
  const wecom = setupWecom({
    config,
    db,
    inbox,
    clock,
    logger,
    fetch: options.fetch,
    onRecorded: () => inboxLoop?.kick(),
  });
  const dingtalk = setupDingtalk({
    config,
    db,
    inbox,
    clock,
    logger,
    fetch: options.fetch,
    onRecorded: () => inboxLoop?.kick(),
  });
  const local = setupLocal({ inbox, clock, onRecorded: () => inboxLoop?.kick() });
  const longConnections = [wecom.longConnection, dingtalk.longConnection].filter(
    (door): door is LongConnectionDoor => door !== undefined,
  );
  const holder = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  const leaders = longConnections.map(
    (door) =>
      new LeaderRole({
        lease: new Lease(db, clock, door.lease, holder, config.leaderLeaseMs),
        clock,
        logger,
        begin: () => door.start(),
        end: () => door.stop(),
      }),
  );
  const senders: Record<string, ChannelSender> = { ...wecom.senders, ...dingtalk.senders, ...local.senders };

  outboxLoop = new JobLoop({
    name: "outbox",
    step: outboxStep({ outbox, senders, logger, onQueued: () => outboxLoop?.kick() }),
    nextDue: () => outbox.nextDue(),
    clock,
    logger,
    concurrency: 4,
    pollMs: 2_000,
    pauseWhile: () => inbox.acknowledging,
  });
  inboxLoop = new JobLoop({
    name: "inbox",
    step: inboxStep({
      db,
      bot: runtime.bot,
      inbox,
      outbox,
      planners: { ...wecom.planners, ...dingtalk.planners, ...local.planners },
      router,
      clock,
      logger,
      onQueued: () => {
        outboxLoop?.kick();
        // A command may have planned a job due soon: let the scheduler look again instead of
        // sleeping until its next poll — at most every few seconds, since each look is a query on
        // the one connection that also acknowledges callbacks.
        wakeScheduler();
      },
    }),
    nextDue: () => inbox.nextDue(),
    clock,
    logger,
    concurrency: 2,
    pollMs: 2_000,
    pauseWhile: () => inbox.acknowledging,
  });

  return {
    routers: [...wecom.routers, ...dingtalk.routers],
    inbox,
    outbox,
    scheduler,
    local,
    wakeOutbox: () => outboxLoop?.kick(),
    longConnections: () =>
      longConnections.map((door, i) => ({
        lease: door.lease,
        leading: leaders[i]?.isLeader ?? false,
        connected: door.connected,
        ...(door.problem ? { problem: door.problem } : {}),
      })),
    start() {
      // With PGlite this process is the only one on the database (the data-directory lock sees to it),
      // so every lease left in the tables belongs to a process that died: hand the work back at once
      // instead of waiting for the leases to run out. With PostgreSQL other replicas may hold them.
      const recovered =
        runtime.db.target.kind === "pglite" ? releaseLeases(runtime).catch(() => {}) : Promise.resolve();
      void recovered.then(async () => {
        inboxLoop?.start();
        outboxLoop?.start();
        // The weekly digest plans its own next run; this plans the first (or moves it after a change).
        await ensureDigestScheduled(db, clock, config.settings, config.timezone).catch((err: unknown) =>
          logger.error({ err }, "could not plan the weekly digest"),
        );
        schedulerLoop.start();
      });
      // One replica at a time holds each long connection; on PGlite the stale lease of a process that
      // died is gone by now (releaseLeases), so the connection opens at once.
      void recovered.then(() => {
        for (const leader of leaders) leader.start();
      });
    },
    async stop() {
      // Receivers first (nothing new comes in; the leases go back for another replica), then the
      // workers finish what they hold.
      await Promise.all(leaders.map((leader) => leader.stop()));
      await inboxLoop?.stop();
      clearTimeout(wakeTimer);
      await schedulerLoop.stop();
      await outboxLoop?.stop();
    },
  };
}
