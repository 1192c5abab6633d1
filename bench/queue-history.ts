import { openDatabase } from "../src/db/database.ts";
import { Inbox } from "../src/jobs/inbox.ts";
import { Outbox } from "../src/jobs/outbox.ts";
import { FakeClock } from "../src/lib/clock.ts";
import { percentile } from "./stats.ts";

/**
 * The queues keep every message they ever handled. Does taking the next one get slower as that
 * history grows? On PGlite each claim blocks the event loop, so it must not read the history. For
 * each history size: 500 messages handled from the inbox (claim + done, as the worker does) and 500
 * sent from the outbox to one group robot that already sent `history` messages (claim + sent).
 */
const HISTORIES = [0, 50_000];
const MESSAGES = 500;

async function run(history: number) {
  const db = await openDatabase("pglite:memory://");
  await db.migrate();
  try {
    const clock = new FakeClock("2026-11-26T02:00:00Z");
    const inbox = new Inbox(db.prisma, clock);
    const outbox = new Outbox(db.prisma, clock, {
      leaseMs: 30_000,
      maxAttempts: 3,
      ratePerMinute: () => 1e9,
    });
    // History written as the workers leave it: every row was pending (or queued) first, then updated.
    await db.sql.exec(`
      INSERT INTO inbox_messages (platform, bot_id, dedupe_key, payload, received_at)
        SELECT 'wecom', 'bot', 'old' || g, '{}', now() - interval '30 days' FROM generate_series(1, ${history}) g;
      UPDATE inbox_messages SET status = 'done', handled_at = received_at;
      INSERT INTO outbox_messages (platform, channel, destination, target, body, next_attempt_at, created_at)
        SELECT 'wecom', 'webhook', 'robot', '{}', '{}', now() - interval '30 days', now() - interval '30 days'
          FROM generate_series(1, ${history});
      UPDATE outbox_messages SET status = 'sent', sent_at = created_at;`);
    const payload = (i: number) => ({
      message: {
        platform: "wecom" as const,
        botId: "bot",
        chatId: "chat",
        chatType: "group" as const,
        sender: { userId: `member${i % 50}` },
        text: "帮助",
        mentions: [],
        messageId: `m${i}`,
        receivedAt: clock.now(),
      },
      extras: {},
    });
    for (let i = 0; i < MESSAGES; i++) await inbox.record("wecom", "bot", `new${i}`, payload(i));
    await outbox.enqueue(
      Array.from({ length: MESSAGES }, (_, i) => ({
        platform: "wecom",
        channel: "webhook",
        destination: "robot",
        target: {},
        body: { text: `第 ${i + 1} 条` },
      })),
    );
    const inboxMs: number[] = [];
    const outboxMs: number[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      let t = performance.now();
      const item = await inbox.claimNext();
      if (!item) throw new Error("inbox ran dry");
      await inbox.markDone(item.id);
      inboxMs.push(performance.now() - t);
      t = performance.now();
      const sent = await outbox.claimNext();
      if (!sent) throw new Error("outbox ran dry");
      await outbox.markSent(sent.id);
      outboxMs.push(performance.now() - t);
    }
    const p50 = (ms: number[]) =>
      percentile(
        [...ms].sort((a, b) => a - b),
        50,
      );
    return { inbox: p50(inboxMs), outbox: p50(outboxMs) };
  } finally {
    await db.close();
  }
}

export async function benchQueueHistory(): Promise<void> {
  const results = [];
  for (const history of HISTORIES) results.push({ history, ...(await run(history)) });
  for (const r of results) {
    console.log(
      `history ${r.history.toLocaleString("en")}: inbox claim + done p50 ${r.inbox.toFixed(2)} ms; ` +
        `outbox claim + sent (one robot) p50 ${r.outbox.toFixed(2)} ms (PGlite, ${MESSAGES} each)`,
    );
  }
  const [first, last] = [results[0], results.at(-1)];
  if (first && last && first !== last) {
    console.log(
      `with ${last.history.toLocaleString("en")} handled before ÷ with none: inbox ${(last.inbox / first.inbox).toFixed(2)}×, ` +
        `outbox ${(last.outbox / first.outbox).toFixed(2)}× (target: about 1×, no pass over the history)`,
    );
  }
}
