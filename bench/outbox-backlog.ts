import { openDatabase } from "../src/db/database.ts";
import { Outbox } from "../src/jobs/outbox.ts";
import { FakeClock } from "../src/lib/clock.ts";
import { percentile } from "./stats.ts";

/**
 * A group robot far behind: thousands of messages queued for one destination at its 20 a minute. What
 * does the outbox spend, on PGlite (where it blocks the event loop), each time a place in the window
 * frees? One send a second for 20 s fills the first minute; then the clock moves second by second
 * through the next minute, and every due message is sent.
 */
const BACKLOGS = [2_000, 10_000];
const RATE = 20;

async function run(backlog: number) {
  const db = await openDatabase("pglite:memory://");
  await db.migrate();
  try {
    const clock = new FakeClock("2026-11-26T02:00:00Z");
    const outbox = new Outbox(db.prisma, clock, {
      leaseMs: 30_000,
      maxAttempts: 3,
      ratePerMinute: () => RATE,
    });
    await outbox.enqueue(
      Array.from({ length: backlog }, (_, i) => ({
        platform: "wecom",
        channel: "webhook",
        destination: "robot",
        target: {},
        body: { text: `第 ${i + 1} 条` },
      })),
    );
    const start = clock.now().getTime();
    const sendDue = async () => {
      let sent = 0;
      for (let item = await outbox.claimNext(); item; item = await outbox.claimNext()) {
        await outbox.markSent(item.id);
        sent++;
      }
      return sent;
    };
    for (let s = 0; s < RATE; s++) {
      clock.set(new Date(start + s * 1000));
      const item = await outbox.claimNext();
      if (item) await outbox.markSent(item.id);
    }
    // The first look at a full window puts the whole backlog in line: once per backlog.
    const t0 = performance.now();
    await outbox.claimNext();
    const firstLook = performance.now() - t0;
    const perSecond: number[] = [];
    let sent = 0;
    for (let s = 60; s < 120; s++) {
      clock.set(new Date(start + s * 1000));
      const t = performance.now();
      sent += await sendDue();
      perSecond.push(performance.now() - t);
    }
    const total = perSecond.reduce((a, b) => a + b, 0);
    console.log(
      `backlog ${backlog}: first look at the full window ${firstLook.toFixed(0)} ms; ` +
        `then each second of the next minute p50 ${percentile(
          [...perSecond].sort((a, b) => a - b),
          50,
        ).toFixed(1)} ms, ` +
        `max ${Math.max(...perSecond).toFixed(1)} ms, ${total.toFixed(0)} ms in all; sent ${sent} (limit ${RATE})`,
    );
  } finally {
    await db.close();
  }
}

export async function benchOutboxBacklog(): Promise<void> {
  for (const backlog of BACKLOGS) await run(backlog);
}
