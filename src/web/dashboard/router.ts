import Router from "@koa/router";
import type { Context, Next } from "koa";
import { dayInZone } from "../../domain/tasks/zone.ts";
import { calendarGapWarning } from "../../lib/workdays.ts";
import type { Messaging } from "../../platforms/messaging.ts";
import type { Runtime } from "../../runtime.ts";
import { chatApi } from "./chat-api.ts";
import { guard } from "./guard.ts";
import { LiveHub } from "./live.ts";
import { addLoginRoutes } from "./login.ts";
import { approvalsPage } from "./pages/approvals.ts";
import { boardPage } from "./pages/board.ts";
import { CHAT_SCRIPT, chatPage } from "./pages/chat.ts";
import { eventsPage } from "./pages/events.ts";
import { outboxPage } from "./pages/outbox.ts";
import { loadDrafts } from "./queries/approvals.ts";
import { loadBoard } from "./queries/board.ts";
import { loadChatChoices, loadLocalMessages, localGroupNames } from "./queries/chat.ts";
import { loadUpcomingEvents } from "./queries/events.ts";
import { loadOutbox } from "./queries/outbox.ts";
import { dashboardState, formBody, render, securityHeaders, seeOther } from "./respond.ts";

export interface Dashboard {
  router: Router;
  /** Ends the live streams, so that stopping the server does not wait for open pages. */
  close(): void;
}

/** The dashboard under /dashboard: pages for people; JSON and the live stream under /dashboard/api. */
export function createDashboard(runtime: Runtime, messaging: Messaging): Dashboard {
  const { config, clock } = runtime;
  const db = runtime.db.prisma;
  const tz = config.timezone;
  const limit = config.bodyLimitBytes;
  const hub = new LiveHub(db, clock, messaging.local.listeners, runtime.logger.child({ part: "dashboard" }));
  const router = new Router();
  // Worked out per page, not at start-up: a server started in October shows the calendar's gap once
  // November comes, and a long connection lost later shows at once.
  const adminWarnings = async (ctx: Context, next: Next) => {
    const warnings = [
      calendarGapWarning(dayInZone(clock.now(), tz)),
      ...messaging.longConnections().map((c) => c.problem),
    ].filter((w): w is string => w !== undefined);
    if (warnings.length > 0) dashboardState(ctx).warnings = warnings;
    await next();
  };
  const pageGuard = [securityHeaders, guard(config.adminToken, "page"), adminWarnings];
  const apiGuard = [securityHeaders, guard(config.adminToken, "api")];
  const when = () => ({ today: dayInZone(clock.now(), tz), timezone: tz });

  addLoginRoutes(router, config.adminToken, limit);

  router.get("/dashboard", ...pageGuard, async (ctx) => {
    const w = when();
    render(ctx, "任务看板", boardPage(await loadBoard(db, w.today), w));
  });
  router.get("/dashboard/events", ...pageGuard, async (ctx) => {
    render(ctx, "活动", eventsPage(await loadUpcomingEvents(db, clock.now()), when()));
  });
  router.get("/dashboard/approvals", ...pageGuard, async (ctx) => {
    render(ctx, "审批", approvalsPage(await loadDrafts(db), when()));
  });
  router.get("/dashboard/outbox", ...pageGuard, async (ctx) => {
    const retried = ctx.query.retried;
    const notice =
      typeof retried === "string" && /^\d+$/.test(retried) ? `已重新排队 ${retried} 条。` : undefined;
    render(ctx, "发件箱", outboxPage(await loadOutbox(messaging.outbox), { ...when(), notice }));
  });
  router.post("/dashboard/outbox/retry", ...pageGuard, async (ctx) => {
    const id = (await formBody(ctx, limit)).get("id") ?? "";
    const n = /^\d{1,18}$/.test(id) ? await messaging.outbox.requeueFailed([BigInt(id)]) : 0;
    if (n > 0) messaging.wakeOutbox();
    seeOther(ctx, `/dashboard/outbox?retried=${n}`);
  });
  router.get("/dashboard/chat", ...pageGuard, async (ctx) => {
    const [choices, history, names] = await Promise.all([
      loadChatChoices(db),
      loadLocalMessages(db, { limit: 30 }),
      localGroupNames(db),
    ]);
    render(ctx, "沙盒对话", chatPage(choices, history, names), { script: CHAT_SCRIPT });
  });

  router.get("/dashboard/api/tasks", ...apiGuard, async (ctx) => {
    ctx.body = await loadBoard(db, when().today);
  });
  router.post(
    "/dashboard/api/chat",
    ...apiGuard,
    chatApi({
      db,
      bot: runtime.bot,
      clock,
      botNames: config.botNames,
      bodyLimitBytes: limit,
      receive: (m) => messaging.local.receive(m),
    }),
  );
  router.get("/dashboard/api/events", ...apiGuard, async (ctx) => {
    const after = ctx.get("last-event-id") || String(ctx.query.after ?? "");
    await hub.open(ctx, /^\d{1,18}$/.test(after) ? BigInt(after) : undefined);
  });

  return { router, close: () => hub.close() };
}
