import { expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/bot/command.ts";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { reminderJobs } from "../../src/domain/events/reminders.ts";
import { scheduleJobs } from "../../src/domain/schedule.ts";
import { jobHandlers } from "../../src/jobs/job-handlers.ts";
import { Outbox, type OutboxOptions } from "../../src/jobs/outbox.ts";
import { Scheduler } from "../../src/jobs/scheduler.ts";
import { FakeClock } from "../../src/lib/clock.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { createNoticeRouter } from "../../src/platforms/notices.ts";
import { describePostgres, freshPostgresDatabase } from "../support/postgres.ts";

/**
 * Issue 9, proof 1: two replicas, 1,000 reminders due together → each announced exactly once, and the
 * group robot's 20-a-minute limit holds although both replicas send.
 */
const REMINDERS = 1_000;
const HOUR = 3_600_000;
const outboxOptions: OutboxOptions = { leaseMs: 30_000, maxAttempts: 3, ratePerMinute: () => 20 };

function replica(db: Database, clock: FakeClock) {
  const logger = createLogger("silent");
  const outbox = new Outbox(db.prisma, clock, outboxOptions, "postgresql");
  const scheduler = new Scheduler({
    db: db.prisma,
    clock,
    outbox,
    router: createNoticeRouter({}, logger),
    handlers: jobHandlers,
    timezone: "Asia/Shanghai",
    settings: DEFAULT_SETTINGS,
    logger,
    batchSize: 100,
  });
  return { outbox, scheduler };
}

async function sendAllDue(outbox: Outbox): Promise<number> {
  let n = 0;
  for (;;) {
    const item = await outbox.claimNext();
    if (!item) return n;
    await outbox.markSent(item.id);
    n++;
  }
}

describePostgres("two replicas on PostgreSQL (issue 9, proof 1)", () => {
  it("announce 1,000 reminders due together exactly once, never more than 20 a minute per robot", async () => {
    const fresh = await freshPostgresDatabase();
    const a = await openDatabase(fresh.url);
    const b = await openDatabase(fresh.url);
    try {
      await a.migrate();
      const start = new Date("2026-12-01T01:00:00Z");
      const clock = new FakeClock(start);
      const group = await a.prisma.group.create({
        data: { platform: "wecom", chatId: "wrProof", name: "宣传科工作群", webhookKey: "proof-key" },
      });
      const startsAt = new Date(start.getTime() + HOUR);
      await a.prisma.event.createMany({
        data: Array.from({ length: REMINDERS }, (_, i) => ({
          kind: "lecture",
          topic: `专题讲座第${i + 1}讲`,
          startsAt,
          place: "三楼会议室",
          groupIds: [group.id],
          createdAt: start,
          updatedAt: start,
        })),
      });
      const events = await a.prisma.event.findMany({ orderBy: { id: "asc" } });
      const settings = { ...DEFAULT_SETTINGS, eventRemindBefore: { default: [HOUR] } };
      const plannedAt = new Date(start.getTime() - HOUR);
      const specs = events.flatMap((e) =>
        reminderJobs(e, { settings, now: plannedAt, timezone: "Asia/Shanghai" }),
      );
      expect(specs).toHaveLength(REMINDERS);
      await scheduleJobs(a.prisma, specs, plannedAt);

      const one = replica(a, clock);
      const two = replica(b, clock);
      const [ranA, ranB] = await Promise.all([one.scheduler.runDue(), two.scheduler.runDue()]);
      expect(ranA + ranB).toBe(REMINDERS);
      expect(ranA).toBeGreaterThan(0);
      expect(ranB).toBeGreaterThan(0);

      const rows = await a.prisma.outboxMessage.findMany();
      expect(rows).toHaveLength(REMINDERS);
      const topics = rows.map((r) => /专题讲座第(\d+)讲/.exec(JSON.stringify(r.body))?.[1]);
      expect(new Set(topics).size).toBe(REMINDERS);
      expect(new Set(rows.map((r) => r.destination))).toEqual(new Set(["wecom.webhook:wrProof"]));

      // Both replicas send, minute after minute of (fake) time.
      const perMinute: number[] = [];
      for (let minute = 0; minute < 60 && perMinute.reduce((x, y) => x + y, 0) < REMINDERS; minute++) {
        const sent = await Promise.all([
          sendAllDue(one.outbox),
          sendAllDue(two.outbox),
          sendAllDue(one.outbox),
        ]);
        perMinute.push(sent.reduce((x, y) => x + y, 0));
        clock.advance(60_000);
      }
      expect(Math.max(...perMinute)).toBe(20);
      expect(perMinute.reduce((x, y) => x + y, 0)).toBe(REMINDERS);
      expect(await a.prisma.outboxMessage.count({ where: { status: "sent" } })).toBe(REMINDERS);
    } finally {
      await a.close();
      await b.close();
      await fresh.drop();
    }
  }, 180_000);
});
