import { describe, expect, it } from "vitest";
import { JobLoop } from "../../src/jobs/loop.ts";
import { systemClock } from "../../src/lib/clock.ts";
import { createLogger } from "../../src/lib/logger.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A loop with nothing due on its own and no poll in the test's time: only `step` and kicks matter. */
function testLoop(step: () => Promise<boolean>, concurrency: number, pauseWhile?: () => boolean): JobLoop {
  return new JobLoop({
    name: "test",
    step,
    nextDue: async () => undefined,
    clock: systemClock,
    logger: createLogger("silent"),
    concurrency,
    pollMs: 60_000,
    // The default (1 s) would make these tests slow; the rule is the same at any length.
    maxPauseMs: 250,
    ...(pauseWhile ? { pauseWhile } : {}),
  });
}

/** A loop over `work` items; `paused` stands for "callbacks are being acknowledged". */
function loopOver(work: number, concurrency: number, paused: () => boolean) {
  let left = work;
  const stepsAt: number[] = [];
  const loop = testLoop(
    async () => {
      if (left === 0) return false;
      left -= 1;
      stepsAt.push(performance.now());
      return true;
    },
    concurrency,
    paused,
  );
  return { loop, stepsAt, left: () => left };
}

describe("job loop", () => {
  it("does all its work at once when nothing asks it to step aside", async () => {
    const { loop, left } = loopOver(50, 4, () => false);
    loop.start();
    await sleep(100);
    await loop.stop();
    expect(left()).toBe(0);
  });

  it("lets the event loop turn between steps that never wait for I/O (as on PGlite), so callbacks are read", async () => {
    const { loop, left } = loopOver(200, 2, () => false);
    let leftAtFirstTurn = -1;
    loop.start();
    setImmediate(() => {
      leftAtFirstTurn = left();
    });
    await sleep(100);
    await loop.stop();
    expect(left()).toBe(0);
    // Drained as one block of microtasks, the loop would have done all 200 before this turn came.
    expect(leftAtFirstTurn).toBeGreaterThan(150);
  });

  it("while callbacks are acknowledged, takes one step per pause window for all its workers, then catches up", async () => {
    let paused = true;
    const { loop, stepsAt, left } = loopOver(20, 4, () => paused);
    const started = performance.now();
    loop.start();
    await sleep(700);
    // One turn per 250 ms for the loop as a whole (about two in 700 ms), not one per worker (eight).
    const whilePaused = stepsAt.length;
    expect(whilePaused).toBeGreaterThanOrEqual(1);
    expect(whilePaused).toBeLessThanOrEqual(3);
    expect((stepsAt[0] ?? 0) - started).toBeGreaterThanOrEqual(200);
    paused = false;
    await sleep(200);
    await loop.stop();
    expect(left()).toBe(0);
  });

  it("looks once per kick when there is nothing to do, not once per worker", async () => {
    let looks = 0;
    const loop = testLoop(async () => {
      looks += 1;
      return false;
    }, 4);
    loop.start();
    await sleep(20);
    for (let i = 0; i < 10; i++) {
      loop.kick();
      await sleep(5);
    }
    await loop.stop();
    expect(looks).toBe(11);
  });

  it("brings in its workers one by one while there is work, up to its concurrency", async () => {
    let inStep = 0;
    let most = 0;
    let left = 40;
    const loop = testLoop(async () => {
      if (left === 0) return false;
      left -= 1;
      inStep += 1;
      most = Math.max(most, inStep);
      await sleep(10); // a send taking a while: other workers overlap with it
      inStep -= 1;
      return true;
    }, 4);
    loop.start();
    await sleep(400);
    await loop.stop();
    expect(left).toBe(0);
    expect(most).toBe(4);
  });
});
