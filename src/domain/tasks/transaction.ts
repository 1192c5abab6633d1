import type { Db, DbClient, Tx } from "../../db/database.ts";

// A transaction client also has $transaction (Prisma 7 nests with savepoints, which the PGlite adapter
// lacks); only the root client can connect and disconnect.
function isRoot(db: DbClient): db is Db {
  return "$disconnect" in db;
}

// Reports on one task queue behind its row lock: under a burst a report should wait, not fail.
const TX_OPTIONS = { maxWait: 30_000, timeout: 30_000 } as const;

/** Runs `fn` in the caller's transaction when given one, else in a new one. */
export function inTransaction<T>(db: DbClient, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return isRoot(db) ? db.$transaction(fn, TX_OPTIONS) : fn(db);
}

/** True when the unique-index race can be settled by reading the winner (only outside a caller's transaction). */
export function canRetryOutside(db: DbClient, err: unknown): boolean {
  return isRoot(db) && (err as { code?: unknown } | null)?.code === "P2002";
}
