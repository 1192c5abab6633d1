import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { Inbox } from "../../src/jobs/inbox.ts";
import { Outbox } from "../../src/jobs/outbox.ts";
import { FakeClock } from "../../src/lib/clock.ts";
import { openQueueDb } from "./queue-db.ts";

/**
 * Handled messages stay in the queues for good, so taking the next one must not read them: on PGlite
 * every claim runs on the bot's own thread. Measured in database pages touched (PostgreSQL's own
 * counters), which do not depend on how busy the machine is: the next claim after 2,000 handled
 * messages may touch at most half as many pages again as after 100.
 */
let db: Database;
beforeAll(async () => {
  db = await openQueueDb();
});
afterAll(() => db.close());

const clock = new FakeClock("2026-11-26T02:00:00Z");

async function pagesTouched(table: string, work: () => Promise<unknown>): Promise<number> {
  const read = async () => {
    // Statistics reach the counters in batches; force them out first.
    await db.sql.query("SELECT pg_stat_force_next_flush()");
    const rows = await db.sql.query<{ n: number }>(
      `SELECT (heap_blks_hit + heap_blks_read + idx_blks_hit + idx_blks_read)::int AS n
         FROM pg_statio_user_tables WHERE relname = $1`,
      [table],
    );
    return rows[0]?.n ?? 0;
  };
  const before = await read();
  await work();
  return (await read()) - before;
}

describe("the queues' history", () => {
  it("does not make claiming the next inbox message read more", async () => {
    const inbox = new Inbox(db.prisma, clock);
    let n = 0;
    const handle = async (count: number) => {
      for (let i = 0; i < count; i++) {
        n++;
        await inbox.record("wecom", "bot", `m${n}`, {
          message: {
            platform: "wecom",
            botId: "bot",
            chatId: "chat",
            chatType: "group",
            sender: { userId: `member${n % 50}` },
            text: "帮助",
            mentions: [],
            messageId: `m${n}`,
            receivedAt: clock.now(),
          },
          extras: { reply: { responseUrl: "http://127.0.0.1/response" } },
        });
        const item = await inbox.claimNext();
        if (!item) throw new Error("nothing to claim");
        await inbox.markDone(item.id);
      }
    };
    const nextClaim = () => pagesTouched("inbox_messages", () => handle(1));
    await handle(100);
    const early = await nextClaim();
    await handle(1_900);
    const late = await nextClaim();
    expect(late).toBeLessThanOrEqual(early * 1.5 + 5);
  }, 60_000);

  it("does not make claiming the next outbox message for a busy robot read more", async () => {
    const outbox = new Outbox(db.prisma, clock, { leaseMs: 30_000, maxAttempts: 3, ratePerMinute: () => 20 });
    const queue = (count: number) =>
      outbox.enqueue(
        Array.from({ length: count }, (_, i) => ({
          platform: "wecom",
          channel: "webhook",
          destination: "robot",
          target: {},
          body: { text: `第 ${i + 1} 条` },
        })),
      );
    const sendOne = async (measure = false) => {
      await queue(1);
      // 3.1 s apart: under 20 in any minute, so every claim succeeds.
      clock.advance(3_100);
      let item: Awaited<ReturnType<typeof outbox.claimNext>>;
      const claim = async () => {
        item = await outbox.claimNext();
      };
      let pages = 0;
      if (measure) pages = await pagesTouched("outbox_messages", claim);
      else await claim();
      if (!item) throw new Error("nothing to claim");
      await outbox.markSent(item.id);
      return pages;
    };
    for (let i = 0; i < 100; i++) await sendOne();
    const early = await sendOne(true);
    for (let i = 0; i < 1_900; i++) await sendOne();
    const late = await sendOne(true);
    expect(late).toBeLessThanOrEqual(early * 1.5 + 5);
  }, 60_000);
});
