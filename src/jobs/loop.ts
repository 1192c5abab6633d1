import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";

/**
 * A worker loop that drains a database queue: `step` does one unit of work and says whether it found
 * any. It runs when kicked (new work just arrived), when the next item falls due, and on a slow poll
 * that picks up work left by a crash or another replica. `concurrency` steps run side by side.
 */
export interface LoopOptions {
  name: string;
  step: () => Promise<boolean>;
  nextDue: () => Promise<Date | undefined>;
  clock: Clock;
  logger: Logger;
  concurrency?: number;
  pollMs?: number;
  /**
   * While this is true the loop waits before its next step (up to `maxPauseMs` at a time): work that
   * can wait steps aside for work a caller is waiting on, such as acknowledging platform callbacks
   * on a single-connection database.
   */
  pauseWhile?: () => boolean;
  /** Default 1 s (see MAX_PAUSE_MS). */
  maxPauseMs?: number;
}

/**
 * Under a flood of callbacks (no 50 ms without one), each loop still takes one step per second. Every
 * background step blocks the event loop for its whole length (PGlite runs on it), and it delays every
 * callback in flight at that moment, about 50 of them in the callback bench (was 250 ms: four such
 * steps a second per loop). A flood is when acknowledging in time matters most, since a late 200
 * brings WeCom's retries on top of it; handling catches up as soon as it is over.
 */
const MAX_PAUSE_MS = 1000;

export class JobLoop {
  private running = false;
  private active = 0;
  private timer: NodeJS.Timeout | undefined;
  private drained: Promise<void> = Promise.resolve();
  /** While paused: when this loop may take its next step anyway (see waitForTurn). */
  private busyTurnAt: number | undefined;

  constructor(private readonly opts: LoopOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.kick();
  }

  /**
   * Work just arrived: look now. One worker looks; each step that finds work brings in another, up to
   * `concurrency`. A kick that finds nothing (new work not due yet, e.g. a robot at its rate limit)
   * then costs one look instead of one per worker — kicks come once per handled message.
   */
  kick(): void {
    if (!this.running || this.active > 0) return;
    this.spawn();
  }

  private spawn(): void {
    this.active += 1;
    const run = this.drain().finally(() => {
      this.active -= 1;
      if (this.active === 0) this.schedule();
    });
    this.drained = Promise.all([this.drained, run]).then(() => {});
  }

  private async drain(): Promise<void> {
    while (this.running) {
      let worked = false;
      const busy = await this.waitForTurn();
      if (!this.running) return;
      const started = performance.now();
      try {
        worked = await this.opts.step();
      } catch (err) {
        // A database hiccup must not end the loop; the poll tries again.
        this.opts.logger.error({ err, loop: this.opts.name }, "worker step failed");
        return;
      }
      if (!worked) return;
      if (this.running && this.active < (this.opts.concurrency ?? 1)) this.spawn();
      if (busy || this.opts.pauseWhile?.()) {
        // Under load, background work gets at most a third of the event loop: the rest is for the
        // callbacks a platform is waiting on (the step's own time, twice over, is left to them).
        await new Promise((r) => setTimeout(r, 2 * (performance.now() - started)));
      } else {
        // On PGlite a step never waits for I/O (its statements run on this thread and their promises
        // resolve at once), so without this the loop would drain a whole backlog as one block of
        // microtasks: seconds in which no callback is even read, and so none acknowledged. Each step
        // ends on a fresh turn of the event loop, where callbacks that arrived meanwhile are read
        // and make the next step wait (pauseWhile).
        await new Promise((r) => setImmediate(r));
      }
    }
  }

  /**
   * Returns at once when nothing is paused; otherwise waits for a quiet moment. While it stays busy,
   * the loop — all its workers together, not each of them — takes one step per `maxPauseMs`, so it
   * never starves and yet a burst of callbacks sees one background step at a time, not `concurrency`.
   * Says whether the step it lets through is one taken while busy.
   */
  private async waitForTurn(): Promise<boolean> {
    if (!this.opts.pauseWhile?.()) {
      this.busyTurnAt = undefined;
      return false;
    }
    const maxPause = this.opts.maxPauseMs ?? MAX_PAUSE_MS;
    this.busyTurnAt ??= performance.now() + maxPause;
    for (;;) {
      await new Promise((r) => setTimeout(r, 5));
      if (!this.running) return false;
      if (!this.opts.pauseWhile()) {
        this.busyTurnAt = undefined;
        return false;
      }
      const now = performance.now();
      // Another worker may have seen a quiet moment in between: this is then a new busy period.
      this.busyTurnAt ??= now + maxPause;
      if (now >= this.busyTurnAt) {
        this.busyTurnAt = now + maxPause;
        return true;
      }
    }
  }

  private schedule(): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    const poll = this.opts.pollMs ?? 5_000;
    this.opts
      .nextDue()
      .then((due) => {
        if (!this.running) return;
        const wait = due ? Math.max(0, due.getTime() - this.opts.clock.now().getTime()) : poll;
        this.timer = setTimeout(() => this.kick(), Math.min(wait + 5, poll));
        this.timer.unref();
      })
      .catch(() => {
        if (!this.running) return;
        this.timer = setTimeout(() => this.kick(), poll);
        this.timer.unref();
      });
  }

  /** Stops taking work and waits for the steps in flight to finish. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.drained;
  }
}
