import type { Db } from "../db/database.ts";
import type { Clock } from "../lib/clock.ts";
import type { IncomingMessage } from "../platforms/types.ts";

/**
 * The inbox: every accepted platform message is stored under its dedupe key before the platform gets
 * its 200, and handled later from the stored record. A retry or a concurrent copy of a stored message
 * finds the key taken and is acknowledged without anything else happening.
 */

export interface InboxPayload {
  message: IncomingMessage;
  /** Platform facts needed to answer: reply doors such as response_url, the app's agent id… */
  extras: Record<string, unknown>;
}

export interface InboxItem extends InboxPayload {
  id: bigint;
  platform: string;
  botId: string;
  attempts: number;
}

interface Pending {
  platform: string;
  botId: string;
  dedupeKey: string;
  payload: string;
  resolve: (r: RecordResult) => void;
  reject: (err: unknown) => void;
}

const MAX_BATCH = 200;

export interface RecordResult {
  id: bigint;
  duplicate: boolean;
}

// PostgreSQL stores neither U+0000 (text, jsonb) nor a lone surrogate (jsonb); both arrive as JSON
// escapes in signed callbacks. Either would fail the whole batched INSERT, and with it every callback
// in the batch (a 5xx each). They carry no meaning in a chat message: store U+FFFD instead.
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is exactly what must go.
const UNSTORABLE = /\u0000|\p{Surrogate}/gu;
const storable = (s: string) => s.replace(UNSTORABLE, "\ufffd");

function serialize(p: InboxPayload): string {
  return JSON.stringify(p, (_key, value: unknown) => (typeof value === "string" ? storable(value) : value));
}

function revive(raw: unknown): InboxPayload {
  const p = raw as { message: IncomingMessage & { receivedAt: string }; extras?: Record<string, unknown> };
  return { message: { ...p.message, receivedAt: new Date(p.message.receivedAt) }, extras: p.extras ?? {} };
}

export class Inbox {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly opts: { leaseMs: number; maxAttempts: number } = { leaseMs: 60_000, maxAttempts: 3 },
  ) {}

  get maxAttempts(): number {
    return this.opts.maxAttempts;
  }

  /**
   * Stores the message unless its key is already there. Safe against concurrent copies (unique index).
   * Calls that arrive while a write is in flight are written together in one INSERT (group commit):
   * each caller still waits for its own row to be committed before the platform gets its 200.
   */
  record(platform: string, botId: string, dedupeKey: string, payload: InboxPayload): Promise<RecordResult> {
    this.lastRecordAt = performance.now();
    return new Promise((resolve, reject) => {
      this.queue.push({
        platform,
        botId: storable(botId),
        dedupeKey: storable(dedupeKey),
        payload: serialize(payload),
        resolve,
        reject,
      });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /**
   * True while callbacks are arriving (one in the last 500 ms) or waiting on the database: workers step
   * aside so that the platform gets its 200 in time; handling catches up when the burst is over.
   */
  get acknowledging(): boolean {
    return this.flushing || performance.now() - this.lastRecordAt < 500;
  }

  private lastRecordAt = Number.NEGATIVE_INFINITY;
  private queue: Pending[] = [];
  private flushing = false;

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        const results = await this.insertBatch(batch);
        for (const [i, p] of batch.entries()) p.resolve(results[i] as RecordResult);
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    this.flushing = false;
  }

  private async insertBatch(batch: Pending[]): Promise<RecordResult[]> {
    const now = this.clock.now();
    const params: unknown[] = [];
    const values = batch.map((p) => {
      const n = params.push(p.platform, p.botId, p.dedupeKey, p.payload, now);
      return `($${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}::jsonb, $${n})`;
    });
    const inserted = await this.db.$queryRawUnsafe<
      { id: bigint; platform: string; bot_id: string; dedupe_key: string }[]
    >(
      `INSERT INTO inbox_messages (platform, bot_id, dedupe_key, payload, received_at)
       VALUES ${values.join(", ")}
       ON CONFLICT (platform, bot_id, dedupe_key) DO NOTHING
       RETURNING id, platform, bot_id, dedupe_key`,
      ...params,
    );
    const key = (platform: string, botId: string, dedupeKey: string) =>
      `${platform}\u0000${botId}\u0000${dedupeKey}`;
    const fresh = new Map(inserted.map((r) => [key(r.platform, r.bot_id, r.dedupe_key), r.id]));
    const claimed = new Set<string>();
    const results: RecordResult[] = [];
    for (const p of batch) {
      const k = key(p.platform, p.botId, p.dedupeKey);
      const id = fresh.get(k);
      // The first caller with a newly inserted key owns it; a second copy in the same batch is a duplicate.
      if (id !== undefined && !claimed.has(k)) {
        claimed.add(k);
        results.push({ id, duplicate: false });
      } else {
        const existing = await this.db.inboxMessage.findUniqueOrThrow({
          where: {
            platform_botId_dedupeKey: { platform: p.platform, botId: p.botId, dedupeKey: p.dedupeKey },
          },
          select: { id: true },
        });
        results.push({ id: existing.id, duplicate: true });
      }
    }
    return results;
  }

  /**
   * Takes the oldest message that is pending and not held by a live lease. SKIP LOCKED lets several
   * workers (and replicas) claim different messages at once; the lease hands a message back if its
   * worker dies mid-way.
   */
  async claimNext(): Promise<InboxItem | undefined> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + this.opts.leaseMs);
    const rows = await this.db.$queryRaw<
      { id: bigint; platform: string; bot_id: string; payload: unknown; attempts: number }[]
    >`
      UPDATE inbox_messages SET locked_until = ${until}, attempts = attempts + 1
       WHERE id = (
         SELECT id FROM inbox_messages
          WHERE status = 'pending' AND (locked_until IS NULL OR locked_until <= ${now})
          ORDER BY id
          FOR UPDATE SKIP LOCKED
          LIMIT 1)
      RETURNING id, platform, bot_id, payload, attempts`;
    const row = rows[0];
    if (!row) return undefined;
    return {
      id: row.id,
      platform: row.platform,
      botId: row.bot_id,
      attempts: row.attempts,
      ...revive(row.payload),
    };
  }

  async markDone(id: bigint): Promise<void> {
    await this.db.inboxMessage.update({
      where: { id },
      data: { status: "done", handledAt: this.clock.now(), lockedUntil: null },
    });
  }

  /**
   * Records a failed attempt. Returns "retry" while attempts remain (the message becomes claimable
   * after a short backoff) or "failed" when it has used them all.
   */
  async markFailed(item: InboxItem, error: string): Promise<"retry" | "failed"> {
    const final = item.attempts >= this.opts.maxAttempts;
    const backoffMs = 2_000 * 2 ** (item.attempts - 1);
    await this.db.inboxMessage.update({
      where: { id: item.id },
      data: {
        status: final ? "failed" : "pending",
        lastError: error.slice(0, 2000),
        lockedUntil: final ? null : new Date(this.clock.now().getTime() + backoffMs),
        handledAt: final ? this.clock.now() : null,
      },
    });
    return final ? "failed" : "retry";
  }

  /** When the next pending message becomes claimable (for the worker's timer). */
  async nextDue(): Promise<Date | undefined> {
    const row = await this.db.inboxMessage.findFirst({
      where: { status: "pending" },
      orderBy: { lockedUntil: { sort: "asc", nulls: "first" } },
      select: { lockedUntil: true },
    });
    if (!row) return undefined;
    return row.lockedUntil ?? this.clock.now();
  }
}
