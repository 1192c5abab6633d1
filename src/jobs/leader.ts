import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import type { Lease } from "./lease.ts";

/**
 * Work only one replica may do at a time (a platform long connection: a second connection for the
 * same bot would kick the first, and both would keep reconnecting). The replica holding the lease
 * runs the work and renews it every `renewEveryMs`; the others try to take it every `tryEveryMs`. It stops the work on its own
 * before its lease can run out when it cannot renew (database unreachable), so the next holder
 * never overlaps with it; a replica that dies simply stops renewing and another takes over within
 * one lease time plus one try.
 */
export interface LeaderRoleOptions {
  lease: Lease;
  clock: Clock;
  logger: Logger;
  /** How often the holder renews; a third of the lease by default. */
  renewEveryMs?: number;
  /**
   * How often the others try to take it; a tenth of the lease by default, so that a replica stopped
   * cleanly (which gives the lease back) is replaced within seconds. Each try is one small query.
   */
  tryEveryMs?: number;
  /** Starts the leader's work. */
  begin(): void;
  /** Stops it; resolves once it has stopped. */
  end(): Promise<void>;
}

export class LeaderRole {
  private leading = false;
  private running = false;
  /** Until when (by the clock) the lease is certainly ours. */
  private validUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private readonly renewEveryMs: number;
  private readonly tryEveryMs: number;
  private readonly log: Logger;

  constructor(private readonly opts: LeaderRoleOptions) {
    this.renewEveryMs = opts.renewEveryMs ?? Math.max(100, Math.floor(opts.lease.ttlMs / 3));
    this.tryEveryMs = opts.tryEveryMs ?? Math.max(100, Math.floor(opts.lease.ttlMs / 10));
    this.log = opts.logger.child({ lease: opts.lease.name });
  }

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.ticking = this.tick();
  }

  /** Stops the work if this replica leads, and hands the lease back at once. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.ticking;
    if (!this.leading) return;
    this.leading = false;
    await this.opts.end();
    await this.opts.lease.release().catch((err: unknown) => {
      this.log.warn({ err }, "could not release the lease; another replica takes over when it expires");
    });
  }

  private async tick(): Promise<void> {
    let expires: Date | undefined;
    let unreachable = false;
    try {
      expires = await withTimeout(this.opts.lease.acquire(), this.renewEveryMs);
    } catch (err) {
      unreachable = true;
      this.log.warn({ err }, "could not renew or take the lease");
    }
    if (!this.running) return;
    const now = this.opts.clock.now().getTime();
    if (expires) {
      this.validUntil = expires.getTime();
      if (!this.leading) {
        this.leading = true;
        this.log.info("this replica now runs the connection");
        this.opts.begin();
      }
    } else if (this.leading && (!unreachable || now >= this.validUntil - this.renewEveryMs)) {
      // Another replica holds the lease, or ours is about to run out unrenewed: stop first, so that two
      // connections never run side by side.
      this.leading = false;
      this.log.warn(
        unreachable
          ? "lease about to expire unrenewed: stopping"
          : "another replica took the lease: stopping",
      );
      await this.opts.end();
    }
    if (!this.running) return;
    this.timer = setTimeout(
      () => {
        this.ticking = this.tick();
      },
      this.leading ? this.renewEveryMs : this.tryEveryMs,
    );
    this.timer.unref();
  }
}

/** A renewal that hangs (a database that stopped answering) counts as a failed one. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
