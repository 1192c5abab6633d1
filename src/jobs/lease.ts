import type { Db } from "../db/database.ts";
import type { Clock } from "../lib/clock.ts";

/**
 * A named lease in the database: at most one holder at a time, for `ttlMs` after its last renewal.
 * Taking and renewing are one statement (an upsert that only overwrites the holder itself or an
 * expired lease), so two replicas racing for it cannot both win, on PGlite or PostgreSQL.
 * Expiry is judged by the replicas' clocks, like the outbox's and the scheduler's leases: replicas
 * must keep their clocks in sync (NTP), which docs/deploy.md asks for.
 */
export interface LeaseHolder {
  holder: string;
  expiresAt: Date;
  acquiredAt: Date;
}

export class Lease {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    readonly name: string,
    readonly holder: string,
    readonly ttlMs: number,
  ) {}

  /** Takes the lease or renews it. Returns when it now expires, or undefined if another holds it. */
  async acquire(): Promise<Date | undefined> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + this.ttlMs);
    const rows = await this.db.$queryRaw<{ expires_at: Date }[]>`
      INSERT INTO leases (name, holder, expires_at, acquired_at)
      VALUES (${this.name}, ${this.holder}, ${until}, ${now})
      ON CONFLICT (name) DO UPDATE
         SET holder = EXCLUDED.holder,
             expires_at = EXCLUDED.expires_at,
             acquired_at = CASE WHEN leases.holder = EXCLUDED.holder
                                THEN leases.acquired_at ELSE EXCLUDED.acquired_at END
       WHERE leases.holder = EXCLUDED.holder OR leases.expires_at <= ${now}
      RETURNING expires_at`;
    return rows[0] ? new Date(rows[0].expires_at) : undefined;
  }

  /** Gives the lease up at once (a clean shutdown), so another replica need not wait for it to expire. */
  async release(): Promise<void> {
    await this.db.$executeRaw`DELETE FROM leases WHERE name = ${this.name} AND holder = ${this.holder}`;
  }

  /** Who holds it now (an expired lease is nobody's). */
  async current(): Promise<LeaseHolder | undefined> {
    const rows = await this.db.$queryRaw<{ holder: string; expires_at: Date; acquired_at: Date }[]>`
      SELECT holder, expires_at, acquired_at FROM leases
       WHERE name = ${this.name} AND expires_at > ${this.clock.now()}`;
    const row = rows[0];
    return row
      ? { holder: row.holder, expiresAt: new Date(row.expires_at), acquiredAt: new Date(row.acquired_at) }
      : undefined;
  }
}
