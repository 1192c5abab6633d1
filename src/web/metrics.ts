import type { Context, Next } from "koa";
import { Gauge, Histogram, Registry } from "prom-client";
import type { Database } from "../db/database.ts";
import type { Clock } from "../lib/clock.ts";

/**
 * Prometheus metrics (prom-client). Request durations are observed as requests end; queue figures are
 * read from the database at scrape time, so every replica reports the same shared queues and a
 * restarted process loses nothing. One registry per app (tests start several apps in one process).
 */
export interface Metrics {
  registry: Registry;
  middleware(ctx: Context, next: Next): Promise<void>;
}

// Platform callback paths carry no ids, but anything else (a scanner's random paths) must not
// create a label value per path: unknown paths share one label.
const KNOWN_ROUTES = /^\/(wecom\/bot|wecom\/app|dingtalk\/[a-z]+|healthz|readyz|metrics|dashboard)\b/;

function routeLabel(path: string): string {
  const m = KNOWN_ROUTES.exec(path);
  return m ? `/${m[1]}` : "other";
}

export function createMetrics(db: Database, clock: Clock): Metrics {
  const registry = new Registry();
  const duration = new Histogram({
    name: "huibao_http_request_duration_seconds",
    help: "HTTP request duration by route and status",
    labelNames: ["method", "route", "status"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const prisma = db.prisma;
  const byStatus = (name: string, help: string, table: "inbox_messages" | "outbox_messages") =>
    new Gauge({
      name,
      help,
      labelNames: ["status"],
      registers: [registry],
      async collect() {
        const rows = await prisma.$queryRawUnsafe<{ status: string; n: bigint }[]>(
          `SELECT status, count(*) AS n FROM ${table} GROUP BY status`,
        );
        this.reset();
        for (const r of rows) this.set({ status: r.status }, Number(r.n));
      },
    });
  byStatus(
    "huibao_inbox_messages",
    "Inbox messages by status (pending = waiting to be handled)",
    "inbox_messages",
  );
  byStatus(
    "huibao_outbox_messages",
    "Outbox messages by status (failed = given up, see huibao outbox failed)",
    "outbox_messages",
  );
  new Gauge({
    name: "huibao_outbox_retrying",
    help: "Queued outbox messages that failed at least once and wait for another attempt",
    registers: [registry],
    async collect() {
      this.set(await prisma.outboxMessage.count({ where: { status: "queued", attempts: { gt: 0 } } }));
    },
  });
  new Gauge({
    name: "huibao_scheduler_pending_jobs",
    help: "Scheduled jobs not yet run (reminders, expiries)",
    registers: [registry],
    async collect() {
      this.set(await prisma.scheduledJob.count({ where: { status: "pending" } }));
    },
  });
  new Gauge({
    name: "huibao_scheduler_lateness_seconds",
    help: "How late the oldest due job is (0 when nothing is overdue)",
    registers: [registry],
    async collect() {
      const now = clock.now();
      const oldest = await prisma.scheduledJob.findFirst({
        where: { status: "pending", runAt: { lte: now } },
        orderBy: { runAt: "asc" },
        select: { runAt: true },
      });
      this.set(oldest ? (now.getTime() - oldest.runAt.getTime()) / 1000 : 0);
    },
  });
  new Gauge({
    name: "huibao_scheduler_failed_jobs",
    help: "Scheduled jobs that failed for good",
    registers: [registry],
    async collect() {
      this.set(await prisma.scheduledJob.count({ where: { status: "failed" } }));
    },
  });

  new Gauge({
    name: "huibao_long_connection_held",
    help: "1 while some replica holds the lease of a long connection (WeCom ws, DingTalk Stream), 0 when none does",
    labelNames: ["connection"],
    registers: [registry],
    async collect() {
      const leases = await prisma.lease.findMany({ select: { name: true, expiresAt: true } });
      const now = clock.now();
      this.reset();
      for (const l of leases) this.set({ connection: l.name }, l.expiresAt > now ? 1 : 0);
    },
  });

  return {
    registry,
    async middleware(ctx, next) {
      const end = duration.startTimer();
      try {
        await next();
      } finally {
        end({ method: ctx.method, route: routeLabel(ctx.path), status: String(ctx.status) });
      }
    },
  };
}
