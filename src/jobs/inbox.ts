import { types } from "@electric-sql/pglite";
import { type Db, embeddedPGlite } from "../db/database.ts";
import { PglitePrepared } from "../db/pglite-prepared.ts";
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
const QUIET_MS = 50;

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

// JSON.stringify writes U+0000 and lone surrogates as \u0000 / \udXXX escapes (a literal backslash
// would be doubled, so this can only err towards the slow path). Nearly every payload has neither and
// skips the string-by-string pass.
const MAYBE_UNSTORABLE = /\\u(?:0000|d[89a-f])/i;

function serialize(p: InboxPayload): string {
  const json = JSON.stringify(p);
  if (!MAYBE_UNSTORABLE.test(json)) return json;
  return JSON.stringify(p, (_key, value: unknown) => (typeof value === "string" ? storable(value) : value));
}

interface KeyedRow {
  id: string;
  platform: string;
  bot_id: string;
  dedupe_key: string;
}

// One statement text for every batch size (arrays, not a VALUES list of 5 × n parameters): PostgreSQL
// parses and plans it in the same time whatever the batch holds. The ids come back as text because
// PGlite reads int8 as a JavaScript number.
const INSERT_BATCH = `
  INSERT INTO inbox_messages (platform, bot_id, dedupe_key, payload, received_at)
  SELECT platform, bot_id, dedupe_key, payload::jsonb, $5::timestamptz
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS m(platform, bot_id, dedupe_key, payload)
  ON CONFLICT (platform, bot_id, dedupe_key) DO NOTHING
  RETURNING id::text, platform, bot_id, dedupe_key`;

// The parameter types of INSERT_BATCH for PGlite's serializers (text[] has no named constant).
const TEXT_ARRAY = 1009;
const INSERT_BATCH_TYPES = [TEXT_ARRAY, TEXT_ARRAY, TEXT_ARRAY, TEXT_ARRAY, types.TIMESTAMPTZ];

const FIND_KEYS = `
  SELECT i.id::text, i.platform, i.bot_id, i.dedupe_key
    FROM inbox_messages i
    JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(platform, bot_id, dedupe_key)
      ON i.platform = k.platform AND i.bot_id = k.bot_id AND i.dedupe_key = k.dedupe_key`;

const keyOf = (platform: string, botId: string, dedupeKey: string) =>
  `${platform}\u0000${botId}\u0000${dedupeKey}`;

function revive(raw: unknown): InboxPayload {
  const p = raw as { message: IncomingMessage & { receivedAt: string }; extras?: Record<string, unknown> };
  return { message: { ...p.message, receivedAt: new Date(p.message.receivedAt) }, extras: p.extras ?? {} };
}

export class Inbox {
  /**
   * Runs the inbox's own SQL. On PGlite it goes to the database directly: Prisma's raw-query path
   * (argument mapping, request batching, result conversion) added about a third to each batch and
   * much of the garbage on the callback path, which every acknowledgement waits for.
   */
  private readonly sql: (text: string, params: unknown[]) => Promise<KeyedRow[]>;
  /** The batched INSERT every acknowledgement waits for: prepared once on PGlite (see PglitePrepared). */
  private readonly insertRows: (params: unknown[]) => Promise<KeyedRow[]>;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly opts: { leaseMs: number; maxAttempts: number } = { leaseMs: 60_000, maxAttempts: 3 },
  ) {
    const pglite = embeddedPGlite(db);
    this.sql = pglite
      ? async (text, params) => (await pglite.query<KeyedRow>(text, params)).rows
      : (text, params) => db.$queryRawUnsafe<KeyedRow[]>(text, ...params);
    if (pglite) {
      const insert = new PglitePrepared(pglite, "huibao_inbox_insert", INSERT_BATCH, INSERT_BATCH_TYPES);
      this.insertRows = async (params) =>
        (await insert.run(params)).map(([id, platform, bot_id, dedupe_key]) => ({
          id: String(id),
          platform: String(platform),
          bot_id: String(bot_id),
          dedupe_key: String(dedupe_key),
        }));
    } else {
      this.insertRows = (params) => this.sql(INSERT_BATCH, params);
    }
  }

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
   * True while callbacks are arriving (one in the last 50 ms) or waiting on the database: workers step
   * aside so that the platform gets its 200 in time; handling catches up when the burst is over. The
   * window is short so that a lone message is handled 50 ms after it arrived (answered in about 75 ms,
   * the callback bench); callbacks in a burst come far closer together than that.
   */
  get acknowledging(): boolean {
    return this.flushing || performance.now() - this.lastRecordAt < QUIET_MS;
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
    const column = (pick: (p: Pending) => string) => batch.map(pick);
    const inserted = await this.insertRows([
      column((p) => p.platform),
      column((p) => p.botId),
      column((p) => p.dedupeKey),
      column((p) => p.payload),
      this.clock.now(),
    ]);
    const fresh = new Map(inserted.map((r) => [keyOf(r.platform, r.bot_id, r.dedupe_key), BigInt(r.id)]));
    const claimed = new Set<string>();
    const results: (RecordResult | undefined)[] = [];
    const duplicates: { index: number; key: string; pending: Pending }[] = [];
    for (const [index, p] of batch.entries()) {
      const key = keyOf(p.platform, p.botId, p.dedupeKey);
      const id = fresh.get(key);
      // The first caller with a newly inserted key owns it; a second copy in the same batch is a duplicate.
      if (id !== undefined && !claimed.has(key)) {
        claimed.add(key);
        results.push({ id, duplicate: false });
      } else {
        results.push(undefined);
        duplicates.push({ index, key, pending: p });
      }
    }
    if (duplicates.length > 0) {
      // Keys stored earlier (retries, or a copy that won the race): one look-up for the whole batch.
      const rows = await this.sql(FIND_KEYS, [
        duplicates.map((d) => d.pending.platform),
        duplicates.map((d) => d.pending.botId),
        duplicates.map((d) => d.pending.dedupeKey),
      ]);
      const existing = new Map(rows.map((r) => [keyOf(r.platform, r.bot_id, r.dedupe_key), BigInt(r.id)]));
      for (const d of duplicates) {
        const id = existing.get(d.key);
        if (id === undefined)
          throw new Error(`inbox: key neither inserted nor found: ${d.pending.dedupeKey}`);
        results[d.index] = { id, duplicate: true };
      }
    }
    return results as RecordResult[];
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
