import { randomUUID } from "node:crypto";
import Router from "@koa/router";
import Koa from "koa";
import type { Database } from "../db/database.ts";
import { type Clock, systemClock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import { adminOnly } from "./admin-access.ts";
import { bodyLimit } from "./body.ts";
import { createMetrics } from "./metrics.ts";

export interface AppDeps {
  db: Database;
  logger: Logger;
  bodyLimitBytes: number;
  /** Platform routes and pages, mounted by the composition root. */
  routers?: Router[];
  clock?: Clock;
  /** Guards /metrics (and the dashboard): a bearer token; without one, loopback callers only. */
  adminToken?: string;
}

export interface AppState {
  requestId: string;
  log: Logger;
}

/**
 * The Koa application: request ids and structured request logs, errors that never leak a stack,
 * health endpoints, and whatever routers the composition root mounts.
 */
export function createApp({
  db,
  logger,
  bodyLimitBytes,
  routers = [],
  clock = systemClock,
  adminToken,
}: AppDeps): Koa<AppState> {
  const app = new Koa<AppState>();
  app.proxy = true;
  // Koa prints errors to stderr by default; ours go through pino only.
  app.silent = true;

  const metrics = createMetrics(db, clock);
  // Outermost, so the duration covers everything and the status is the one the caller got.
  app.use(metrics.middleware);

  app.use(async (ctx, next) => {
    const incoming = ctx.get("x-request-id");
    const requestId = /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ requestId });
    ctx.set("x-request-id", requestId);
    const started = performance.now();
    try {
      await next();
      // @koa/router answers 501 to methods it does not implement (TRACE, PROPFIND… from scanners):
      // the caller's mistake, not a server error that should set off 5xx alerts.
      if (ctx.status === 501) ctx.status = 405;
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (typeof status === "number" && status >= 400 && status < 500) {
        ctx.status = status;
        ctx.body = { error: (err as Error).message };
      } else {
        ctx.status = 500;
        ctx.body = { error: "internal error", requestId };
        ctx.state.log.error({ err }, "request failed");
      }
    }
    const ms = Math.round((performance.now() - started) * 10) / 10;
    // The path only: query strings of platform callbacks carry signatures, and some URLs carry keys.
    ctx.state.log.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms }, "request");
  });

  app.use(bodyLimit(bodyLimitBytes));

  const health = new Router();
  health.get("/healthz", (ctx) => {
    ctx.body = { status: "ok" };
  });
  health.get("/readyz", async (ctx) => {
    try {
      await db.checkReady();
      ctx.body = { status: "ready", database: db.target.kind };
    } catch (err) {
      ctx.status = 503;
      ctx.body = { status: "not ready", reason: err instanceof Error ? err.message : String(err) };
    }
  });
  health.get("/metrics", adminOnly(adminToken), async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  app.use(health.routes()).use(health.allowedMethods());
  for (const r of routers) app.use(r.routes()).use(r.allowedMethods());
  return app;
}
