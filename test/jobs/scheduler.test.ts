import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/bot/command.ts";
import type { Database } from "../../src/db/database.ts";
import {
  cancelJobs,
  type DueJob,
  eachJob,
  type JobHandler,
  scheduleJobs,
} from "../../src/domain/schedule.ts";
import { Outbox } from "../../src/jobs/outbox.ts";
import { Scheduler } from "../../src/jobs/scheduler.ts";
import { FakeClock } from "../../src/lib/clock.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { createNoticeRouter } from "../../src/platforms/notices.ts";
import { describePostgres, freshPostgresDatabase } from "../support/postgres.ts";
import { openQueueDb } from "./queue-db.ts";

const T0 = "2026-12-01T00:00:00Z";
const MIN = 60_000;

function setup(db: Database, clock: FakeClock, handlers: Record<string, JobHandler>) {
  const logger = createLogger("silent");
  const outbox = new Outbox(db.prisma, clock, {
    leaseMs: MIN,
    maxAttempts: 3,
    ratePerMinute: () => Number.POSITIVE_INFINITY,
  });
  return new Scheduler({
    db: db.prisma,
    clock,
    outbox,
    router: createNoticeRouter({}, logger),
    handlers,
    timezone: "Asia/Shanghai",
    settings: DEFAULT_SETTINGS,
    logger,
    batchSize: 50,
  });
}

async function localGroup(db: Database): Promise<number> {
  const g = await db.prisma.group.create({
    data: { platform: "local", chatId: "group:宣传科工作群", name: "宣传科工作群" },
  });
  return g.id;
}

async function queuedTexts(db: Database): Promise<string[]> {
  const rows = await db.prisma.outboxMessage.findMany({ orderBy: { id: "asc" } });
  return rows.map((r) => String((r.body as { text: string }).text));
}

const statusOf = async (db: Database, key: string) =>
  (await db.prisma.scheduledJob.findUniqueOrThrow({ where: { key } })).status;

describe("scheduler", () => {
  let db: Database;
  let clock: FakeClock;
  let groupId: number;
  const ran: string[] = [];
  const say: JobHandler = eachJob(async (job) => {
    ran.push(job.key);
    return { status: "done", notices: [{ to: { groupId }, text: String(job.payload.text), mentions: [] }] };
  });

  beforeAll(async () => {
    db = await openQueueDb();
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await db.prisma.$executeRawUnsafe(
      "TRUNCATE scheduled_jobs, outbox_messages, groups RESTART IDENTITY CASCADE",
    );
    clock = new FakeClock(T0);
    ran.length = 0;
    groupId = await localGroup(db);
  });

  it("runs a job when it falls due, once, and queues its notice in the same step", async () => {
    const s = setup(db, clock, { say });
    await scheduleJobs(
      db.prisma,
      [{ kind: "say", key: "a", runAt: new Date(Date.parse(T0) + 10 * MIN), payload: { text: "讲座提醒" } }],
      clock.now(),
    );
    expect(await s.nextDue()).toEqual(new Date(Date.parse(T0) + 10 * MIN));
    expect(await s.runDue()).toBe(0);
    clock.advance(10 * MIN - 1);
    expect(await s.runDue()).toBe(0);
    clock.advance(1);
    expect(await s.runDue()).toBe(1);
    expect(await s.runDue()).toBe(0);
    expect(ran).toEqual(["a"]);
    expect(await queuedTexts(db)).toEqual(["讲座提醒"]);
    expect(await statusOf(db, "a")).toBe("done");
    expect(await s.nextDue()).toBeUndefined();
  });

  it("a done key stays done, a pending key moves, a cancelled key comes back", async () => {
    const s = setup(db, clock, { say });
    const at = (m: number) => new Date(Date.parse(T0) + m * MIN);
    await scheduleJobs(
      db.prisma,
      [{ kind: "say", key: "done", runAt: at(0), payload: { text: "一" } }],
      clock.now(),
    );
    await s.runDue();
    await scheduleJobs(
      db.prisma,
      [
        { kind: "say", key: "done", runAt: at(5), payload: { text: "再一次" } },
        { kind: "say", key: "moved", runAt: at(30), payload: { text: "旧" } },
        { kind: "say", key: "back", runAt: at(5), payload: { text: "回来" } },
      ],
      clock.now(),
    );
    await scheduleJobs(
      db.prisma,
      [{ kind: "say", key: "moved", runAt: at(5), payload: { text: "新" } }],
      clock.now(),
    );
    expect(await cancelJobs(db.prisma, "back", clock.now())).toBe(1);
    expect(await statusOf(db, "back")).toBe("cancelled");
    await scheduleJobs(
      db.prisma,
      [{ kind: "say", key: "back", runAt: at(5), payload: { text: "回来" } }],
      clock.now(),
    );
    clock.advance(5 * MIN);
    await s.runDue();
    expect(await queuedTexts(db)).toEqual(["一", "新", "回来"]); // due together: in the order planned
    expect(ran.filter((k) => k === "done")).toHaveLength(1);
  });

  it("cancelling by prefix drops only the pending jobs under it", async () => {
    const s = setup(db, clock, { say });
    const at = new Date(Date.parse(T0) + MIN);
    await scheduleJobs(
      db.prisma,
      ["event:5:r1:a", "event:5:r1:b", "event:50:r1:a", "event:5_x"].map((key) => ({
        kind: "say",
        key,
        runAt: at,
        payload: { text: key },
      })),
      clock.now(),
    );
    expect(await cancelJobs(db.prisma, "event:5:", clock.now())).toBe(2);
    clock.advance(MIN);
    await s.runDue();
    expect((await queuedTexts(db)).sort()).toEqual(["event:50:r1:a", "event:5_x"]);
  });

  it("a handler that fails is retried later, and its notice goes out once", async () => {
    let failures = 1;
    const flaky = eachJob(async (job: DueJob) => {
      if (failures-- > 0) throw new Error("数据库抖了一下");
      return { status: "done", notices: [{ to: { groupId }, text: `第${job.attempts}次`, mentions: [] }] };
    });
    const s = setup(db, clock, { flaky });
    await scheduleJobs(
      db.prisma,
      [{ kind: "flaky", key: "f", runAt: clock.now(), payload: {} }],
      clock.now(),
    );
    expect(await s.runDue()).toBe(1);
    expect(await queuedTexts(db)).toEqual([]);
    const row = await db.prisma.scheduledJob.findUniqueOrThrow({ where: { key: "f" } });
    expect(row.status).toBe("pending");
    expect(row.lastError).toContain("数据库抖了一下");
    expect(await s.runDue()).toBe(0); // backs off
    clock.advance(10 * MIN);
    expect(await s.runDue()).toBe(1);
    expect(await queuedTexts(db)).toEqual(["第2次"]);
    expect(await statusOf(db, "f")).toBe("done");
  });

  it("one bad job in a batch does not hold back the others", async () => {
    const picky = eachJob(async (job) => {
      if (job.key === "bad") throw new Error("坏数据");
      return { status: "done", notices: [{ to: { groupId }, text: job.key, mentions: [] }] };
    });
    const s = setup(db, clock, { picky });
    await scheduleJobs(
      db.prisma,
      ["a", "bad", "c"].map((key) => ({ kind: "picky", key, runAt: clock.now(), payload: {} })),
      clock.now(),
    );
    await s.runDue();
    expect(await queuedTexts(db)).toEqual(["a", "c"]);
    expect(await statusOf(db, "bad")).toBe("pending");
  });

  it("a job of an unknown kind fails for good after its attempts, with the reason", async () => {
    const s = setup(db, clock, {});
    await scheduleJobs(
      db.prisma,
      [{ kind: "nobody", key: "n", runAt: clock.now(), payload: {} }],
      clock.now(),
    );
    for (let i = 0; i < 6; i++) {
      await s.runDue();
      clock.advance(2 * 3_600_000);
    }
    const row = await db.prisma.scheduledJob.findUniqueOrThrow({ where: { key: "n" } });
    expect(row.status).toBe("failed");
    expect(row.lastError).toContain("no handler");
  });

  it("a skipped job sends nothing and says so in its status", async () => {
    const skip = eachJob(async () => ({ status: "skipped", note: "活动已结束" }));
    const s = setup(db, clock, { skip });
    await scheduleJobs(db.prisma, [{ kind: "skip", key: "s", runAt: clock.now(), payload: {} }], clock.now());
    await s.runDue();
    expect(await queuedTexts(db)).toEqual([]);
    expect(await statusOf(db, "s")).toBe("skipped");
  });

  it("follow-up jobs are planned in the same commit", async () => {
    const chain = eachJob(async (job) => ({
      status: "done",
      notices: [{ to: { groupId }, text: job.key, mentions: [] }],
      followUps:
        job.key === "first"
          ? [{ kind: "chain", key: "second", runAt: new Date(job.runAt.getTime() + MIN), payload: {} }]
          : [],
    }));
    const s = setup(db, clock, { chain });
    await scheduleJobs(
      db.prisma,
      [{ kind: "chain", key: "first", runAt: clock.now(), payload: {} }],
      clock.now(),
    );
    await s.runDue();
    clock.advance(MIN);
    await s.runDue();
    expect(await queuedTexts(db)).toEqual(["first", "second"]);
  });
});

describePostgres("scheduler on PostgreSQL: two replicas", () => {
  it("1,000 jobs due together run exactly once between two schedulers", async () => {
    const fresh = await freshPostgresDatabase();
    const { openDatabase } = await import("../../src/db/database.ts");
    const a = await openDatabase(fresh.url);
    const b = await openDatabase(fresh.url);
    try {
      await a.migrate();
      const clock = new FakeClock(T0);
      const group = await localGroup(a);
      const runs = new Map<string, number>();
      const count: JobHandler = eachJob(async (job) => {
        runs.set(job.key, (runs.get(job.key) ?? 0) + 1);
        return { status: "done", notices: [{ to: { groupId: group }, text: job.key, mentions: [] }] };
      });
      const keys = Array.from({ length: 1000 }, (_, i) => `r${i}`);
      await scheduleJobs(
        a.prisma,
        keys.map((key) => ({ kind: "count", key, runAt: clock.now(), payload: {} })),
        clock.now(),
      );
      const [na, nb] = await Promise.all([
        setup(a, clock, { count }).runDue(),
        setup(b, clock, { count }).runDue(),
      ]);
      expect(na + nb).toBe(1000);
      expect(na).toBeGreaterThan(0);
      expect(nb).toBeGreaterThan(0);
      expect([...runs.values()].every((n) => n === 1)).toBe(true);
      expect(runs.size).toBe(1000);
      expect(await a.prisma.outboxMessage.count()).toBe(1000);
    } finally {
      await a.close();
      await b.close();
      await fresh.drop();
    }
  });
});
