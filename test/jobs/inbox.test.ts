import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { Inbox, type InboxPayload } from "../../src/jobs/inbox.ts";
import { FakeClock } from "../../src/lib/clock.ts";
import { describePostgres, freshPostgresDatabase } from "../support/postgres.ts";
import { emptyQueues, openQueueDb } from "./queue-db.ts";

let db: Database;
const clock = new FakeClock("2026-11-26T02:00:00Z");
beforeAll(async () => {
  db = await openQueueDb();
});
afterAll(() => db.close());
beforeEach(() => emptyQueues(db));

function payload(text: string, messageId = "m1"): InboxPayload {
  return {
    message: {
      platform: "wecom",
      botId: "bot",
      chatId: "chat",
      chatType: "group",
      sender: { userId: "zhangsan" },
      text,
      mentions: [],
      messageId,
      receivedAt: clock.now(),
    },
    extras: { reply: { responseUrl: "http://x" } },
  };
}

describe("inbox", () => {
  it("stores a message once: a retry with the same key is a duplicate", async () => {
    const inbox = new Inbox(db.prisma, clock);
    const first = await inbox.record("wecom", "bot", "zhangsan:m1", payload("帮助"));
    const again = await inbox.record("wecom", "bot", "zhangsan:m1", payload("帮助"));
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ id: first.id, duplicate: true });
    expect(await db.prisma.inboxMessage.count()).toBe(1);
  });

  it("keeps one copy when copies arrive at the same moment", async () => {
    const inbox = new Inbox(db.prisma, clock);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => inbox.record("wecom", "bot", "lisi:m9", payload("帮助", "m9"))),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await db.prisma.inboxMessage.count()).toBe(1);
  });

  it("sorts a batch of new keys, retries and same-moment copies correctly", async () => {
    const inbox = new Inbox(db.prisma, clock);
    const earlier = await inbox.record("wecom", "bot", "old:m1", payload("旧"));
    // All recorded in the same turn: one batched INSERT.
    const [a, retry, b, bAgain] = await Promise.all([
      inbox.record("wecom", "bot", "new:m1", payload("a")),
      inbox.record("wecom", "bot", "old:m1", payload("旧")),
      inbox.record("dingtalk", "bot", "new:m1", payload("b")),
      inbox.record("dingtalk", "bot", "new:m1", payload("b")),
    ]);
    expect(a?.duplicate).toBe(false);
    expect(retry).toEqual({ id: earlier.id, duplicate: true });
    expect(b?.duplicate).toBe(false);
    expect(bAgain).toEqual({ id: b?.id, duplicate: true });
    expect(new Set([earlier.id, a?.id, b?.id]).size).toBe(3);
    expect(await db.prisma.inboxMessage.count()).toBe(3);
  });

  it("stores a message carrying U+0000 or a lone surrogate (PostgreSQL takes neither) with U+FFFD", async () => {
    const inbox = new Inbox(db.prisma, clock);
    await inbox.record("wecom", "bot", "k\u0000:m1", payload("a\u0000b \ud800 c"));
    await inbox.record("wecom", "bot", "plain", payload("a\\u0000 stays as typed"));
    const first = await inbox.claimNext();
    const second = await inbox.claimNext();
    expect(first?.message.text).toBe("a\ufffdb \ufffd c");
    expect(second?.message.text).toBe("a\\u0000 stays as typed");
  });

  it("keeps the same msgid from two senders apart", async () => {
    const inbox = new Inbox(db.prisma, clock);
    await inbox.record("wecom", "bot", "a:m1", payload("x"));
    const other = await inbox.record("wecom", "bot", "b:m1", payload("x"));
    expect(other.duplicate).toBe(false);
  });

  it("hands a claimed message to nobody else until its lease runs out, then again (crash recovery)", async () => {
    const inbox = new Inbox(db.prisma, clock, { leaseMs: 30_000, maxAttempts: 3 });
    await inbox.record("wecom", "bot", "k1", payload("帮助"));
    const item = await inbox.claimNext();
    expect(item?.message.text).toBe("帮助");
    expect(item?.message.receivedAt).toEqual(clock.now());
    expect(await inbox.claimNext()).toBeUndefined();
    clock.advance(30_001);
    const again = await inbox.claimNext();
    expect(again?.id).toBe(item?.id);
    expect(again?.attempts).toBe(2);
  });

  it("retries a failing message a bounded number of times, keeping the error", async () => {
    const inbox = new Inbox(db.prisma, clock, { leaseMs: 30_000, maxAttempts: 2 });
    await inbox.record("wecom", "bot", "k2", payload("坏"));
    const first = await inbox.claimNext();
    if (!first) throw new Error("nothing claimed");
    expect(await inbox.markFailed(first, "boom 1")).toBe("retry");
    expect(await inbox.claimNext()).toBeUndefined(); // backing off
    clock.advance(10_000);
    const second = await inbox.claimNext();
    if (!second) throw new Error("not retried");
    expect(await inbox.markFailed(second, "boom 2")).toBe("failed");
    clock.advance(3_600_000);
    expect(await inbox.claimNext()).toBeUndefined();
    const row = await db.prisma.inboxMessage.findFirstOrThrow();
    expect(row).toMatchObject({ status: "failed", attempts: 2, lastError: "boom 2" });
  });

  it("claims messages in arrival order", async () => {
    const inbox = new Inbox(db.prisma, clock);
    for (const k of ["a", "b", "c"]) await inbox.record("wecom", "bot", k, payload(k));
    const texts = [];
    for (let i = 0; i < 3; i++) {
      const item = await inbox.claimNext();
      texts.push(item?.message.text);
      if (item) await inbox.markDone(item.id);
    }
    expect(texts).toEqual(["a", "b", "c"]);
  });
});

describePostgres("inbox on PostgreSQL", () => {
  it("stores a batch once, telling retries and same-moment copies apart", async () => {
    const fresh = await freshPostgresDatabase();
    const pgDb = await openQueueDb(fresh.url);
    try {
      const inbox = new Inbox(pgDb.prisma, clock);
      const earlier = await inbox.record("wecom", "bot", "old:m1", payload("旧"));
      const results = await Promise.all([
        inbox.record("wecom", "bot", "new:m1", payload("a")),
        inbox.record("wecom", "bot", "old:m1", payload("旧")),
        inbox.record("wecom", "bot", "new:m1", payload("a")),
      ]);
      expect(results.map((r) => r.duplicate)).toEqual([false, true, true]);
      expect(results[1]?.id).toBe(earlier.id);
      expect(results[2]?.id).toBe(results[0]?.id);
      expect(typeof results[0]?.id).toBe("bigint");
      expect((await inbox.claimNext())?.message.text).toBe("旧");
    } finally {
      await pgDb.close();
      await fresh.drop();
    }
  }, 60_000);
});
