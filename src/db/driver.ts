import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

/** The parsed form of DATABASE_URL. */
export type DatabaseTarget =
  | { kind: "pglite"; dataDir: string; label: string }
  | { kind: "postgresql"; url: string; label: string };

/**
 * A plain SQL connection used for migrations and health checks. It bypasses Prisma on purpose:
 * migration scripts must run as written and their failures must surface (see docs/database.md).
 */
export interface SqlDriver {
  readonly kind: DatabaseTarget["kind"];
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements. */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}

export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith("pglite:")) {
    const rest = url.slice("pglite:".length);
    if (rest === "memory://" || rest === "memory:" || rest === "") {
      return { kind: "pglite", dataDir: "memory://", label: "PGlite (in memory)" };
    }
    const dir = resolve(rest.replace(/^\/\/(?=\.|\/)/, ""));
    return { kind: "pglite", dataDir: dir, label: `PGlite (${dir})` };
  }
  if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
    return { kind: "postgresql", url, label: `PostgreSQL (${redactUrl(url)})` };
  }
  throw new Error(`unsupported DATABASE_URL scheme: ${url.split(":")[0]}`);
}

/** Hides the password of a connection URL so it can be logged. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ":***@");
  }
}

export async function openPGlite(dataDir: string): Promise<PGlite> {
  if (dataDir !== "memory://") mkdirSync(dirname(dataDir), { recursive: true });
  const db = new PGlite(dataDir);
  await db.waitReady;
  return db;
}

export function pgliteDriver(db: PGlite, ownsDb = false): SqlDriver {
  return {
    kind: "pglite",
    async query<T>(sql: string, params?: unknown[]) {
      const r = await db.query<T>(sql, params);
      return r.rows;
    },
    async exec(script: string) {
      await db.exec(script);
    },
    async close() {
      if (ownsDb) await db.close();
    },
  };
}

export async function postgresDriver(url: string): Promise<SqlDriver> {
  // A pool of one rather than a client: the migration runner needs one session (its advisory lock),
  // and /readyz must work again after PostgreSQL restarts — a lone pg.Client stays broken for good,
  // the pool replaces a connection that died.
  const pool = new pg.Pool({ connectionString: url, max: 1, idleTimeoutMillis: 0 });
  // A broken idle connection must not crash the process through an unhandled 'error' event.
  pool.on("error", () => {});
  await pool.query("SELECT 1");
  return {
    kind: "postgresql",
    async query<T>(sql: string, params?: unknown[]) {
      const r = await pool.query(sql, params);
      return r.rows as T[];
    },
    async exec(script: string) {
      await pool.query(script);
    },
    async close() {
      await pool.end();
    },
  };
}
