import { openDatabase } from "../src/db/database.ts";
import { Outbox } from "../src/jobs/outbox.ts";
import { FakeClock } from "../src/lib/clock.ts";
import { percentile } from "./stats.ts";

/**
 * A group robot far behind: thousands of messages queued for one destination at its 20 a minute. What
 * does the outbox spend, on PGlite (where it blocks the event loop), each time its worker wakes? The
 * first 20 go out (each send taking 300 ms, as an HTTP call would), which fills the window; then the
 * worker runs as the job loop runs it until three minutes (fake time) after the first send: send what
 * is due, else sleep until the next due time.
 */
const BACKLOGS = [2_000, 10_000];
const RATE = 20;
const SEND_MS = 300;

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
    const wake = async () => {
      const item = await outbox.claimNext();
      if (!item) return false;
      clock.advance(SEND_MS);
      await outbox.markSent(item.id);
      return true;
    };
    for (let s = 0; s < RATE; s++) await wake();
    // The first look at a full window puts the whole backlog in line: once per backlog.
    const t0 = performance.now();
    await wake();
    const firstLook = performance.now() - t0;
    const wakes: number[] = [];
    let sent = RATE;
    while (clock.now().getTime() < start + 180_000) {
      const t = performance.now();
      if (await wake()) sent++;
      else {
        const due = await outbox.nextDue();
        clock.set(due && due > clock.now() ? due : new Date(clock.now().getTime() + 100));
      }
      wakes.push(performance.now() - t);
    }
    const sorted = [...wakes].sort((a, b) => a - b);
    const total = wakes.reduce((a, b) => a + b, 0);
    console.log(
      `backlog ${backlog}: first look at the full window ${firstLook.toFixed(0)} ms; then ${wakes.length} wakes until ` +
        `3 minutes after the first send, p50 ${percentile(sorted, 50).toFixed(1)} ms, max ${Math.max(...wakes).toFixed(1)} ms, ` +
        `${total.toFixed(0)} ms in all; sent ${sent} in 3 minutes (limit ${RATE} a minute)`,
    );
  } finally {
    await db.close();
  }
}

export async function benchOutboxBacklog(): Promise<void> {
  for (const backlog of BACKLOGS) await run(backlog);
}
