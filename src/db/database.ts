import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { type Prisma, PrismaClient } from "../generated/prisma/client.ts";
import {
  type DatabaseTarget,
  openPGlite,
  parseDatabaseUrl,
  pgliteDriver,
  postgresDriver,
  type SqlDriver,
  UTC_SESSION,
} from "./driver.ts";
import { loadMigrations, type MigrateResult, migrate, pendingMigrations } from "./migrate.ts";
import { lockDataDir } from "./pglite-lock.ts";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

export type Db = PrismaClient;
/** The client inside an interactive transaction. */
export type Tx = Prisma.TransactionClient;
/** Either: functions that may run inside a caller's transaction take this. */
export type DbClient = Db | Tx;

/** An open database: the Prisma client for the application and a raw driver for migrations and health. */
export interface Database {
  readonly prisma: Db;
  readonly target: DatabaseTarget;
  /** The raw connection that migrations use (bypasses Prisma). */
  readonly sql: SqlDriver;
  /** Runs pending migrations (under Prisma's advisory lock on PostgreSQL). */
  migrate(): Promise<MigrateResult>;
  /** Throws unless the database answers and every migration on disk is applied. */
  checkReady(): Promise<void>;
  close(): Promise<void>;
}

// The PGlite instance under each Prisma client opened on PGlite (see embeddedPGlite).
const embedded = new WeakMap<Db, PGlite>();

/**
 * The embedded database under a Prisma client, when it is PGlite; undefined on PostgreSQL. For the
 * few hot statements that cannot afford Prisma's per-query work. PGlite runs one statement or
 * transaction at a time, so a query sent here never lands inside a Prisma transaction: it waits.
 */
export function embeddedPGlite(prisma: Db): PGlite | undefined {
  return embedded.get(prisma);
}

export async function openDatabase(url: string, migrationsDir = MIGRATIONS_DIR): Promise<Database> {
  const target = parseDatabaseUrl(url);
  let prisma: Db;
  let driver: SqlDriver;
  let pglite: PGlite | undefined;
  let unlock = () => {};
  if (target.kind === "pglite") {
    if (target.dataDir !== "memory://") {
      mkdirSync(dirname(target.dataDir), { recursive: true });
      unlock = lockDataDir(target.dataDir);
    }
    try {
      pglite = await openPGlite(target.dataDir);
    } catch (err) {
      unlock();
      throw err;
    }
    driver = pgliteDriver(pglite);
    prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
    embedded.set(prisma, pglite);
  } else {
    driver = await postgresDriver(target.url);
    prisma = new PrismaClient({
      adapter: new PrismaPg({ connectionString: target.url, options: UTC_SESSION }),
    });
  }
  let closed = false;
  return {
    prisma,
    target,
    sql: driver,
    migrate: () => migrate(driver, loadMigrations(migrationsDir, { required: true })),
    async checkReady() {
      const pending = await pendingMigrations(driver, loadMigrations(migrationsDir, { required: true }));
      if (pending.length > 0) throw new Error(`pending migrations: ${pending.join(", ")}`);
    },
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect().catch(() => {});
      await driver.close().catch(() => {});
      // $disconnect() does not close PGlite; without this the process never exits.
      if (pglite) await pglite.close();
      unlock();
    },
  };
}
