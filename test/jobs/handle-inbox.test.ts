import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRegistry } from "../../commands/index.ts";
import { createBot } from "../../src/bot/bot.ts";
import { DEFAULT_SETTINGS } from "../../src/bot/command.ts";
import type { Database } from "../../src/db/database.ts";
import { inboxStep } from "../../src/jobs/handle-inbox.ts";
import { Inbox, type InboxPayload } from "../../src/jobs/inbox.ts";
import { Outbox } from "../../src/jobs/outbox.ts";
import { FakeClock } from "../../src/lib/clock.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { localReplyPlanner } from "../../src/platforms/local/reply-planner.ts";
import { createNoticeRouter } from "../../src/platforms/notices.ts";
import { emptyQueues, openQueueDb } from "./queue-db.ts";

let db: Database;
const clock = new FakeClock("2026-11-26T02:00:00Z");
beforeAll(async () => {
  db = await openQueueDb();
});
afterAll(() => db.close());
beforeEach(() => emptyQueues(db));

function help(messageId: string): InboxPayload {
  return {
    message: {
      platform: "local",
      botId: "local",
      chatId: "group:宣传科工作群",
      chatType: "group",
      chatName: "宣传科工作群",
      sender: { userId: "张三", nick: "张三" },
      text: "帮助",
      mentions: [],
      messageId,
      receivedAt: clock.now(),
    },
    extras: {},
  };
}

function setUp() {
  const logger = createLogger("silent");
  const inbox = new Inbox(db.prisma, clock);
  const outbox = new Outbox(db.prisma, clock, {
    leaseMs: 60_000,
    maxAttempts: 3,
    ratePerMinute: () => Number.POSITIVE_INFINITY,
  });
  const bot = createBot({
    registry: createRegistry(),
    services: { db: db.prisma, clock, timezone: "Asia/Shanghai", settings: DEFAULT_SETTINGS },
    logger,
    locale: "zh",
    botNames: ["汇报"],
  });
  const step = inboxStep({
    db: db.prisma,
    bot,
    inbox,
    outbox,
    planners: { local: localReplyPlanner },
    router: createNoticeRouter({}, logger),
    clock,
    logger,
  });
  return { inbox, step };
}

describe("inbox worker step", () => {
  it("lets a callback that arrives meanwhile in before it finishes, while callbacks are being acknowledged", async () => {
    const { inbox, step } = setUp();
    await inbox.record("local", "local", "m1", help("m1"));
    const order: string[] = [];
    // Another callback is being stored, and one more is waiting to be read on the next turn.
    const storing = inbox.record("local", "local", "m2", help("m2"));
    setImmediate(() => order.push("callback read"));
    await step().then(() => order.push("step done"));
    await storing;
    // On PGlite every statement resolves at once: without giving way, the whole step (claim,
    // answer, commit) would run before the waiting callback is even read.
    expect(order).toEqual(["callback read", "step done"]);
    const done = await db.prisma.inboxMessage.findMany({ where: { status: "done" } });
    expect(done.map((m) => m.dedupeKey)).toEqual(["m1"]);
    expect(await db.prisma.outboxMessage.count()).toBe(1);
  });

  it("runs straight through on a quiet server", async () => {
    const { inbox, step } = setUp();
    await inbox.record("local", "local", "m1", help("m1"));
    await new Promise((r) => setTimeout(r, 60));
    const order: string[] = [];
    setImmediate(() => order.push("next turn"));
    await step().then(() => order.push("step done"));
    expect(order).toEqual(["step done"]);
    expect(await db.prisma.outboxMessage.count()).toBe(1);
  });
});
