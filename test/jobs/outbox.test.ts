import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { Outbox, type OutboxEntry, type OutboxOptions } from "../../src/jobs/outbox.ts";
import { FakeClock } from "../../src/lib/clock.ts";
import { describePostgres, freshPostgresDatabase } from "../support/postgres.ts";
import { emptyQueues, openQueueDb } from "./queue-db.ts";

const options: OutboxOptions = {
  leaseMs: 30_000,
  maxAttempts: 3,
  ratePerMinute: (channel) => (channel === "unlimited" ? Number.POSITIVE_INFINITY : 20),
};

function entries(n: number, destination = "robot-1", channel = "test"): OutboxEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    platform: "wecom",
    channel,
    destination,
    target: { chatId: destination },
    body: { text: `第 ${i + 1} 条` },
  }));
}

async function drainSent(outbox: Outbox): Promise<number> {
  let n = 0;
  for (;;) {
    const item = await outbox.claimNext();
    if (!item) return n;
    await outbox.markSent(item.id);
    n++;
  }
}

describe("outbox on PGlite", () => {
  let db: Database;
  const clock = new FakeClock("2026-11-26T02:00:00Z");
  beforeAll(async () => {
    db = await openQueueDb();
  });
  afterAll(() => db.close());
  beforeEach(() => emptyQueues(db));

  it("sends at most 20 a minute per destination, and the rest when the window frees", async () => {
    const outbox = new Outbox(db.prisma, clock, options);
    await outbox.enqueue(entries(25));
    expect(await drainSent(outbox)).toBe(20);
    const due = await outbox.nextDue();
    expect(due?.getTime()).toBe(clock.now().getTime() + 60_000);
    clock.advance(60_001);
    expect(await drainSent(outbox)).toBe(5);
    expect((await outbox.counts()).sent).toBe(25);
  });

  it("spreads a backlog over the places that free up, in order, instead of re-timing it at every send", async () => {
    const outbox = new Outbox(db.prisma, clock, options);
    const start = clock.now().getTime();
    // One send a second for 20 s fills the minute; 45 more wait.
    for (let i = 0; i < 20; i++) {
      await outbox.enqueue(entries(1));
      expect(await drainSent(outbox)).toBe(1);
      clock.advance(1_000);
    }
    clock.advance(-1_000);
    await outbox.enqueue(entries(45));
    expect(await drainSent(outbox)).toBe(0);
    const waiting = await db.prisma.outboxMessage.findMany({
      where: { status: "queued" },
      orderBy: { id: "asc" },
      select: { nextAttemptAt: true },
    });
    // Each takes the place of one send a minute after it, in the order they were queued; the 21st
    // waits for the next round.
    const offsets = waiting.map((w) => (w.nextAttemptAt.getTime() - start) / 1000);
    expect(offsets.slice(0, 3)).toEqual([60, 61, 62]);
    expect(offsets[19]).toBe(79);
    expect(offsets.slice(20, 22)).toEqual([120, 121]);
    expect(offsets[44]).toBe(184);
    // When the first place frees, one message goes and the others keep their times.
    clock.set(new Date(start + 60_000));
    expect(await drainSent(outbox)).toBe(1);
    const after = await db.prisma.outboxMessage.findMany({
      where: { status: "queued" },
      orderBy: { id: "asc" },
      select: { nextAttemptAt: true },
    });
    expect(after.map((w) => (w.nextAttemptAt.getTime() - start) / 1000)).toEqual(offsets.slice(1));
    // Second by second, each goes out at its time: the last of the 45 at 184 s.
    let sent = 0;
    for (let t = 61; t <= 184; t++) {
      clock.set(new Date(start + t * 1000));
      sent += await drainSent(outbox);
      if (t === 183) expect(sent).toBe(43);
    }
    expect(sent).toBe(44);
  });

  /** As the worker does: send what is due, each send taking 300 ms, else sleep until the next due time. */
  async function sendAll(outbox: Outbox, count: number, start: number) {
    const sent: { text: string; at: number }[] = [];
    for (let guard = 0; sent.length < count && guard < 1_000; guard++) {
      const item = await outbox.claimNext();
      if (item) {
        clock.advance(300);
        await outbox.markSent(item.id);
        sent.push({ text: String(item.body.text), at: (clock.now().getTime() - start) / 1000 });
        continue;
      }
      const due = await outbox.nextDue();
      if (!due) break;
      clock.set(due > clock.now() ? due : new Date(clock.now().getTime() + 100));
    }
    return sent;
  }

  /** Seconds between each send and the one 20 sends later: at least 60 when the limit holds. */
  const minuteGaps = (sent: { at: number }[]) =>
    sent.slice(20).map((s, i) => s.at - (sent[i]?.at ?? Number.NEGATIVE_INFINITY));

  it("keeps the order and the pace when each send takes time (a place frees later than reckoned)", async () => {
    const outbox = new Outbox(db.prisma, clock, options);
    const start = clock.now().getTime();
    await outbox.enqueue(entries(60));
    const sent = await sendAll(outbox, 60, start);
    expect(sent.map((s) => s.text)).toEqual(entries(60).map((e) => e.body.text));
    // Never more than 20 in a minute, and each round goes as soon as the previous one leaves it.
    expect(Math.min(...minuteGaps(sent))).toBeGreaterThanOrEqual(60);
    expect(sent.at(-1)?.at).toBeLessThan(130);
  });

  it("sends a locked-out destination's queue in order once the lockout ends", async () => {
    const outbox = new Outbox(db.prisma, clock, options);
    const start = clock.now().getTime();
    await outbox.enqueue(entries(30, "locked"));
    await outbox.holdDestination("locked", 10 * 60_000);
    await outbox.enqueue(entries(15, "locked").map((e) => ({ ...e, body: { text: `后 ${e.body.text}` } })));
    const sent = await sendAll(outbox, 45, start);
    expect(sent.map((s) => s.text)).toEqual([
      ...entries(30).map((e) => e.body.text),
      ...entries(15).map((e) => `后 ${e.body.text}`),
    ]);
    expect(sent[0]?.at).toBeGreaterThanOrEqual(600);
    expect(Math.min(...minuteGaps(sent))).toBeGreaterThanOrEqual(60);
  });

  it("puts a dead sender's message back in line when its destination is full, instead of retrying it at once", async () => {
    const outbox = new Outbox(db.prisma, clock, options);
    const start = clock.now().getTime();
    await outbox.enqueue(entries(21));
    expect(await drainSent(outbox)).toBe(20);
    // The 21st was claimed by a replica that died (as a crash leaves it): its lease has run out.
    const orphan = await db.prisma.outboxMessage.findFirstOrThrow({ where: { status: "queued" } });
    await db.prisma.outboxMessage.update({
      where: { id: orphan.id },
      data: { status: "sending", attempts: 1, lockedUntil: new Date(start - 1) },
    });
    expect(await outbox.claimNext()).toBeUndefined();
    // Before: still "sending" with its lease in the past, so every worker was due again at once.
    expect((await outbox.nextDue())?.getTime()).toBe(start + 60_000);
    clock.set(new Date(start + 60_001));
    expect((await outbox.claimNext())?.id).toBe(orphan.id);
  });

  it("does not hold back other destinations behind a full one", async () => {
    const outbox = new Outbox(db.prisma, clock, options);
    await outbox.enqueue(entries(22, "busy"));
    await outbox.enqueue(entries(3, "quiet"));
    expect(await drainSent(outbox)).toBe(23);
    expect(await db.prisma.outboxMessage.count({ where: { destination: "quiet", status: "sent" } })).toBe(3);
  });

  it("does not limit unlimited channels", async () => {
    const outbox = new Outbox(db.prisma, clock, options);
    await outbox.enqueue(entries(30, "door", "unlimited"));
    expect(await drainSent(outbox)).toBe(30);
  });

  it("retries with backoff, fails for good after the last attempt, and keeps the reason", async () => {
    const outbox = new Outbox(db.prisma, clock, options);
    await outbox.enqueue(entries(1));
    for (let attempt = 1; attempt <= 3; attempt++) {
      const item = await outbox.claimNext();
      if (!item) throw new Error(`attempt ${attempt} not claimed`);
      expect(item.attempts).toBe(attempt);
      const status = await outbox.markRetry(item, `HTTP 502 (try ${attempt})`);
      expect(status).toBe(attempt < 3 ? "queued" : "failed");
      expect(await outbox.claimNext()).toBeUndefined();
      clock.advance(15 * 60_000);
    }
    const failed = await outbox.listFailed();
    expect(failed).toHaveLength(1);
    expect(failed[0]?.lastError).toBe("HTTP 502 (try 3) (after 3 attempts)");
    expect(await outbox.requeueFailed()).toBe(1);
    expect(await drainSent(outbox)).toBe(1);
  });

  it("does not count a platform's rate-limit answer as a failed attempt", async () => {
    const outbox = new Outbox(db.prisma, clock, options);
    await outbox.enqueue(entries(1));
    for (let i = 0; i < 5; i++) {
      const item = await outbox.claimNext();
      if (!item) throw new Error("not claimed");
      expect(await outbox.markRetry(item, "errcode 45009", 60_000, true)).toBe("queued");
      clock.advance(60_000);
    }
    expect(await drainSent(outbox)).toBe(1);
  });

  it("counts an attempt that may have reached the platform (a timeout) against the minute's limit", async () => {
    const outbox = new Outbox(db.prisma, clock, options);
    await outbox.enqueue(entries(21));
    // The first send timed out: the platform may have shown it, so only 19 more fit in this minute.
    const first = await outbox.claimNext();
    if (!first) throw new Error("not claimed");
    expect(await outbox.markRetry(first, "timeout after 10000 ms", 5_000, false, true)).toBe("queued");
    expect(await drainSent(outbox)).toBe(19);
    clock.advance(5_000);
    expect(await drainSent(outbox)).toBe(0);
    clock.advance(55_001);
    expect(await drainSent(outbox)).toBe(2);
  });

  it("holds every queued message of a destination the platform locked out", async () => {
    const outbox = new Outbox(db.prisma, clock, options);
    await outbox.enqueue(entries(3, "locked"));
    await outbox.enqueue(entries(1, "other"));
    await outbox.holdDestination("locked", 10 * 60_000);
    await outbox.enqueue(entries(1, "locked"));
    expect(await drainSent(outbox)).toBe(1);
    clock.advance(10 * 60_000);
    expect(await drainSent(outbox)).toBe(4);
  });

  it("takes back a message whose sender died mid-way once the lease runs out", async () => {
    const outbox = new Outbox(db.prisma, clock, options);
    await outbox.enqueue(entries(1));
    const item = await outbox.claimNext();
    expect(item).toBeDefined();
    expect(await outbox.claimNext()).toBeUndefined();
    clock.advance(30_001);
    const again = await outbox.claimNext();
    expect(again?.id).toBe(item?.id);
    expect(again?.attempts).toBe(2);
  });
});

describePostgres("outbox on PostgreSQL", () => {
  it("holds the per-destination limit across two replicas claiming at once", async () => {
    const fresh = await freshPostgresDatabase();
    const a = await openDatabase(fresh.url);
    const b = await openDatabase(fresh.url);
    try {
      await a.migrate();
      const clock = new FakeClock("2026-11-26T02:00:00Z");
      const one = new Outbox(a.prisma, clock, options, "postgresql");
      const two = new Outbox(b.prisma, clock, options, "postgresql");
      await one.enqueue(entries(40));
      const counts = await Promise.all([drainSent(one), drainSent(two), drainSent(one), drainSent(two)]);
      expect(counts.reduce((x, y) => x + y, 0)).toBe(20);
      expect(await a.prisma.outboxMessage.count({ where: { status: "sent" } })).toBe(20);
    } finally {
      await a.close();
      await b.close();
      await fresh.drop();
    }
  }, 60_000);
});
