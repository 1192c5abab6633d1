import type { Db } from "../db/database.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { Clock } from "../lib/clock.ts";

/**
 * The outbox: every outgoing message is a row before anything is sent. Workers claim due rows,
 * respecting a per-destination rate limit that holds across workers and replicas (the count is taken
 * under an advisory lock on the destination), and record the outcome: sent, retry later, or failed
 * for good with the reason. Nothing is dropped silently.
 */

export interface OutboxEntry {
  platform: string;
  channel: string;
  /** Rate-limit bucket; must not contain a secret (hash keys before using them here). */
  destination: string;
  target: Record<string, unknown>;
  body: Record<string, unknown>;
}

export interface OutboxItem extends OutboxEntry {
  id: bigint;
  attempts: number;
  inboxId: bigint | null;
}

/** "rerouted": this door was closed and a copy went out through another one (see its successor row). */
export type OutboxStatus = "queued" | "sending" | "sent" | "failed" | "rerouted";

export interface OutboxOptions {
  /** How long a worker holds a message it is sending before another may take it. */
  leaseMs: number;
  /** Delivery attempts before a message is failed for good. */
  maxAttempts: number;
  /** Messages per rolling minute per destination. */
  ratePerMinute(channel: string): number;
  /**
   * Channels this process cannot send right now (a long connection another replica holds, or one that
   * is reconnecting): their messages wait for a process that can, instead of using up attempts here.
   */
  unavailableChannels?(): readonly string[];
}

const WINDOW_MS = 60_000;

/** What the operator's lists show of a message; not the target, which may hold a reply door. */
const OPERATOR_VIEW = {
  id: true,
  channel: true,
  destination: true,
  status: true,
  attempts: true,
  lastError: true,
  nextAttemptAt: true,
  createdAt: true,
  body: true,
} satisfies Prisma.OutboxMessageSelect;

type Tx = Prisma.TransactionClient;

interface Candidate {
  id: bigint;
  destination: string;
  channel: string;
  status: string;
}

interface RawRow {
  id: bigint;
  platform: string;
  channel: string;
  destination: string;
  target: unknown;
  body: unknown;
  attempts: number;
  inbox_id: bigint | null;
}

function toItem(row: RawRow): OutboxItem {
  return {
    id: row.id,
    platform: row.platform,
    channel: row.channel,
    destination: row.destination,
    target: row.target as Record<string, unknown>,
    body: row.body as Record<string, unknown>,
    attempts: row.attempts,
    inboxId: row.inbox_id,
  };
}

export class Outbox {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly opts: OutboxOptions,
    /** Which database: PGlite runs one statement at a time and needs no cross-process lock. */
    private readonly kind: "pglite" | "postgresql" = "pglite",
  ) {}

  async enqueue(entries: OutboxEntry[], inboxId?: bigint): Promise<void> {
    if (entries.length > 0) await this.enqueueQuery(entries, inboxId);
  }

  /**
   * The insert as an unsent query, to run in a batch transaction with other writes (or inside a
   * caller's interactive transaction). One INSERT … SELECT FROM unnest(…): a batch of 500 notices is
   * one statement instead of Prisma building 500 parameter rows (about ten times faster).
   */
  enqueueQuery(entries: OutboxEntry[], inboxId?: bigint, client: Db | Tx = this.db) {
    const now = this.clock.now();
    // A destination known to be at its limit: queue behind the window instead of waking a worker for
    // nothing. Only a hint (another replica may know better); claims check the real count.
    const notBefore = (destination: string) => {
      const until = this.fullUntil.get(destination);
      return (until && until > now ? until : now).toISOString();
    };
    const platforms = entries.map((e) => e.platform);
    const channels = entries.map((e) => e.channel);
    const destinations = entries.map((e) => e.destination);
    const targets = entries.map((e) => JSON.stringify(e.target));
    const bodies = entries.map((e) => JSON.stringify(e.body));
    const due = entries.map((e) => notBefore(e.destination));
    return client.$executeRaw`
      INSERT INTO outbox_messages
             (platform, channel, destination, target, body, inbox_id, next_attempt_at, created_at)
      SELECT p, c, d, t::jsonb, b::jsonb, ${inboxId ?? null}::bigint, n::timestamptz, ${now}
        FROM unnest(${platforms}::text[], ${channels}::text[], ${destinations}::text[],
                    ${targets}::text[], ${bodies}::text[], ${due}::text[])
             WITH ORDINALITY AS x(p, c, d, t, b, n, i)
       ORDER BY i`;
  }

  private readonly fullUntil = new Map<string, Date>();

  /**
   * Claims one due message whose destination is under its rate limit, or returns undefined.
   * A destination at its limit has its due messages lined up for the places that free (postpone).
   */
  async claimNext(): Promise<OutboxItem | undefined> {
    for (let tries = 0; tries < 5; tries++) {
      const now = this.clock.now();
      const candidate = await this.nextCandidate(now);
      if (!candidate) return undefined;
      const limit = this.opts.ratePerMinute(candidate.channel);
      const row = await this.claim(candidate, limit, now);
      if (row) return toItem(row);
      // Not claimed: either another worker took it first (look again) or its destination is full.
      if (await this.stillClaimable(candidate.id, now))
        await this.postpone(candidate.destination, limit, now);
    }
    return undefined;
  }

  private skipped(): string[] {
    return [...(this.opts.unavailableChannels?.() ?? [])];
  }

  private async nextCandidate(now: Date): Promise<Candidate | undefined> {
    const skip = this.skipped();
    // Two index-friendly queries rather than one OR: a leased message whose sender died comes first.
    const stale = await this.db.$queryRaw<Candidate[]>`
      SELECT id, destination, channel, status FROM outbox_messages
       WHERE status = 'sending' AND locked_until <= ${now} AND channel <> ALL(${skip}::text[])
       ORDER BY locked_until LIMIT 1`;
    if (stale[0]) return stale[0];
    const due = await this.db.$queryRaw<Candidate[]>`
      SELECT id, destination, channel, status FROM outbox_messages
       WHERE status = 'queued' AND next_attempt_at <= ${now} AND channel <> ALL(${skip}::text[])
       ORDER BY next_attempt_at, id LIMIT 1`;
    return due[0];
  }

  /**
   * Takes the candidate if it is still claimable and its destination is under the limit. On PGlite the
   * check and the claim are one statement (statements run one at a time there, and an interactive
   * transaction would hold the only connection across event-loop turns, stalling acknowledgements).
   * On PostgreSQL an advisory lock on the destination serialises the count-then-claim across replicas.
   * The window is counted as three index ranges, never as one pass over the destination's rows: a
   * robot's history grows for years (one pass over 50,000 sent rows took 15.7 ms on PGlite, measured).
   */
  private async claim(c: Candidate, limit: number, now: Date): Promise<RawRow | undefined> {
    const until = new Date(now.getTime() + this.opts.leaseMs);
    const since = new Date(now.getTime() - WINDOW_MS);
    const cap = Number.isFinite(limit) ? limit : 2_147_483_647;
    const claimSql = (tx: Tx | Db) => tx.$queryRaw<RawRow[]>`
      UPDATE outbox_messages SET status = 'sending', attempts = attempts + 1, locked_until = ${until}
       WHERE id = ${c.id}
         AND ((status = 'queued' AND next_attempt_at <= ${now}) OR (status = 'sending' AND locked_until <= ${now}))
         AND (SELECT count(*) FROM outbox_messages s
               WHERE s.destination = ${c.destination} AND s.status = 'sent' AND s.sent_at > ${since})
           + (SELECT count(*) FROM outbox_messages s
               WHERE s.destination = ${c.destination} AND s.status = 'sending' AND s.locked_until > ${now})
           + (SELECT count(*) FROM outbox_messages s
               WHERE s.destination = ${c.destination} AND s.unconfirmed_at > ${since}) < ${cap}
      RETURNING id, platform, channel, destination, target, body, attempts, inbox_id`;
    if (this.kind === "pglite" || !Number.isFinite(limit)) return (await claimSql(this.db))[0];
    return this.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`outbox:${c.destination}`}))`;
      return (await claimSql(tx))[0];
    });
  }

  private async stillClaimable(id: bigint, now: Date): Promise<boolean> {
    const rows = await this.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM outbox_messages
       WHERE id = ${id} AND ((status = 'queued' AND next_attempt_at <= ${now})
          OR (status = 'sending' AND locked_until <= ${now}))`;
    return (rows[0]?.n ?? 0) > 0;
  }

  /**
   * The destination is at its limit: its due messages are spread over the places that free up in the
   * window, oldest first, one place each (and a minute later for the next round), behind older ones
   * already waiting. Pushing them all to the first free place instead would make every freed place
   * re-time the whole backlog, one UPDATE of thousands of rows per send for a robot hours behind.
   * A message that misses its place (a send in the window ended later than its place was reckoned
   * from) is the oldest due one next time, and takes the first place that frees. On PostgreSQL it runs
   * under the destination's advisory lock, as claims do: two replicas re-timing the same rows at once
   * could deadlock.
   */
  private async postpone(destination: string, limit: number, now: Date): Promise<void> {
    if (this.kind === "pglite") return this.lineUp(this.db, destination, limit, now);
    await this.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`outbox:${destination}`}))`;
      await this.lineUp(tx, destination, limit, now);
    });
  }

  private async lineUp(client: Db | Tx, destination: string, limit: number, now: Date): Promise<void> {
    const since = new Date(now.getTime() - WINDOW_MS);
    // A send whose sender died mid-way (its lease ran out) waits in line like the others; left as it
    // is, it would be every worker's first candidate, refused while the window is full, over and over.
    await client.$executeRaw`
      UPDATE outbox_messages SET status = 'queued', locked_until = NULL
       WHERE destination = ${destination} AND status = 'sending' AND locked_until <= ${now}`;
    // What occupies the window and when it leaves: sends (a send in flight counts as made now) and
    // attempts that may have reached the platform.
    const occupied = await client.$queryRaw<{ at: Date }[]>`
      SELECT at FROM (
        SELECT sent_at AS at FROM outbox_messages
         WHERE destination = ${destination} AND status = 'sent' AND sent_at > ${since}
        UNION ALL
        SELECT unconfirmed_at FROM outbox_messages
         WHERE destination = ${destination} AND unconfirmed_at > ${since}
        UNION ALL
        SELECT ${now}::timestamptz FROM outbox_messages
         WHERE destination = ${destination} AND status = 'sending' AND locked_until > ${now}
      ) w ORDER BY at`;
    const places = Math.min(Math.max(1, Math.floor(limit)), 10_000);
    // The count falls below the limit each time one of the last `places` leaves; places that are
    // free already (a count under the limit: another worker's claim just finished) are free now.
    const leaves = occupied.map((r) => new Date(r.at).getTime() + WINDOW_MS);
    const padded = [...Array<number>(Math.max(0, places - leaves.length)).fill(now.getTime()), ...leaves];
    const slots = padded.slice(-places).map((ms) => new Date(ms).toISOString());
    this.fullUntil.set(destination, new Date(slots[0] as string));
    await client.$executeRaw`
      UPDATE outbox_messages o
         SET next_attempt_at = GREATEST(o.next_attempt_at,
               (${slots}::timestamptz[])[(d.k % ${places}) + 1]
               + (d.k / ${places}) * ${WINDOW_MS} * interval '1 millisecond')
        FROM (SELECT id,
                     row_number() OVER (ORDER BY id) - 1
                     + (SELECT count(*) FROM outbox_messages w
                         WHERE w.destination = ${destination} AND w.status = 'queued'
                           AND w.next_attempt_at > ${now}
                           AND w.id < (SELECT min(id) FROM outbox_messages
                                        WHERE destination = ${destination} AND status = 'queued'
                                          AND next_attempt_at <= ${now})) AS k
                FROM outbox_messages
               WHERE destination = ${destination} AND status = 'queued' AND next_attempt_at <= ${now}) d
       WHERE o.id = d.id`;
  }

  /**
   * The platform told us to stop sending to this destination for a while (WeCom 45009, DingTalk's
   * 10-minute lockout 130101): hold every queued message for it, not just the one that was refused.
   */
  async holdDestination(destination: string, ms: number): Promise<void> {
    const until = new Date(this.clock.now().getTime() + ms);
    this.fullUntil.set(destination, until);
    await this.db.$executeRaw`
      UPDATE outbox_messages SET next_attempt_at = ${until}
       WHERE destination = ${destination} AND status = 'queued' AND next_attempt_at < ${until}`;
  }

  async markSent(id: bigint): Promise<void> {
    await this.db.outboxMessage.update({
      where: { id },
      data: { status: "sent", sentAt: this.clock.now(), lockedUntil: null, lastError: null },
    });
  }

  /**
   * Schedules another attempt, or fails the message for good once it has used its attempts.
   * A rate-limit answer does not use up an attempt: the platform asked us to wait, nothing failed.
   */
  async markRetry(
    item: OutboxItem,
    reason: string,
    afterMs?: number,
    rateLimited = false,
    unconfirmed = false,
  ): Promise<OutboxStatus> {
    const attempts = rateLimited ? item.attempts - 1 : item.attempts;
    // Only the latest such attempt is remembered: with the back-off (5 s, 10 s, …) a message rarely
    // has two of them inside one minute.
    const unconfirmedAt = unconfirmed ? { unconfirmedAt: this.clock.now() } : {};
    if (attempts >= this.opts.maxAttempts) {
      await this.markFailed(item.id, `${reason} (after ${attempts} attempts)`, unconfirmedAt);
      return "failed";
    }
    const backoff =
      afterMs ?? Math.min(5_000 * 2 ** (attempts - 1), 10 * 60_000) * (0.8 + Math.random() * 0.4);
    await this.db.outboxMessage.update({
      where: { id: item.id },
      data: {
        status: "queued",
        attempts,
        lockedUntil: null,
        lastError: reason.slice(0, 2000),
        nextAttemptAt: new Date(this.clock.now().getTime() + backoff),
        ...unconfirmedAt,
      },
    });
    return "queued";
  }

  async markFailed(id: bigint, reason: string, extra: { unconfirmedAt?: Date } = {}): Promise<void> {
    await this.db.outboxMessage.update({
      where: { id },
      data: { status: "failed", lockedUntil: null, lastError: reason.slice(0, 2000), ...extra },
    });
  }

  async setStatus(id: bigint, status: OutboxStatus, note?: string): Promise<void> {
    await this.db.outboxMessage.update({
      where: { id },
      data: { status, lockedUntil: null, ...(note ? { lastError: note.slice(0, 2000) } : {}) },
    });
  }

  /** When the worker should look again: the earliest queued message or lease expiry. */
  async nextDue(): Promise<Date | undefined> {
    const skip = this.skipped();
    const channel = skip.length > 0 ? { channel: { notIn: skip } } : {};
    const [queued, sending] = await Promise.all([
      this.db.outboxMessage.findFirst({
        where: { status: "queued", ...channel },
        orderBy: { nextAttemptAt: "asc" },
        select: { nextAttemptAt: true },
      }),
      this.db.outboxMessage.findFirst({
        where: { status: "sending", ...channel },
        orderBy: { lockedUntil: "asc" },
        select: { lockedUntil: true },
      }),
    ]);
    const times = [queued?.nextAttemptAt, sending?.lockedUntil].filter((d): d is Date => d instanceof Date);
    if (times.length === 0) return undefined;
    return new Date(Math.min(...times.map((d) => d.getTime())));
  }

  /** Failed messages, newest first, as an operator sees them (CLI and dashboard). */
  async listFailed(limit = 50) {
    return this.db.outboxMessage.findMany({
      where: { status: "failed" },
      orderBy: { id: "desc" },
      take: limit,
      select: OPERATOR_VIEW,
    });
  }

  /** Messages still to go (queued, or being sent), the next due first, as an operator sees them. */
  async listWaiting(limit = 50) {
    return this.db.outboxMessage.findMany({
      where: { status: { in: ["queued", "sending"] } },
      orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
      take: limit,
      select: OPERATOR_VIEW,
    });
  }

  /** Puts failed messages back in the queue (an operator fixed the cause). Returns how many. */
  async requeueFailed(ids?: bigint[]): Promise<number> {
    const r = await this.db.outboxMessage.updateMany({
      where: { status: "failed", ...(ids ? { id: { in: ids } } : {}) },
      data: { status: "queued", attempts: 0, nextAttemptAt: this.clock.now() },
    });
    return r.count;
  }

  async counts(): Promise<Record<OutboxStatus, number>> {
    const groups = await this.db.outboxMessage.groupBy({ by: ["status"], _count: { _all: true } });
    const out: Record<OutboxStatus, number> = { queued: 0, sending: 0, sent: 0, failed: 0, rerouted: 0 };
    for (const g of groups) out[g.status as OutboxStatus] = g._count._all;
    return out;
  }
}
