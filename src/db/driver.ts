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

/**
 * Every PostgreSQL session runs in UTC. Prisma's driver adapter sends a JavaScript Date as a
 * timestamp without a zone (its UTC fields), which the server reads in the session's time zone: on a
 * server set to Asia/Shanghai every time the bot wrote was 8 hours early (measured), and nothing
 * queued was ever due on time. The bot computes in the configured zone itself; the database only
 * stores instants.
 */
export const UTC_SESSION = "-c TimeZone=UTC";

// The names PostgreSQL accepts for UTC itself (an admin may set any of them as the database default).
const UTC_NAMES = new Set([
  "utc",
  "etc/utc",
  "uct",
  "etc/uct",
  "zulu",
  "etc/zulu",
  "gmt",
  "etc/gmt",
  "universal",
  "etc/universal",
]);

/** The session is not in UTC: the start stops with one line saying what to do (see main.ts). */
export class SessionTimeZoneError extends Error {}

/** Refuses to start on a session that is not in UTC (a pooler that drops the startup option, say). */
export async function assertUtcSession(query: (sql: string) => Promise<{ tz: string }[]>): Promise<void> {
  const tz = (await query("SELECT current_setting('TimeZone') AS tz"))[0]?.tz ?? "";
  if (!UTC_NAMES.has(tz.toLowerCase())) {
    throw new SessionTimeZoneError(
      `PostgreSQL 会话的时区是 ${tz}，不是 UTC，写入的时间会差好几个小时。` +
        `请让连接的启动参数生效（options=${UTC_SESSION}），或在数据库上执行 ALTER DATABASE <库名> SET timezone = 'UTC'。`,
    );
  }
}

export async function postgresDriver(url: string): Promise<SqlDriver> {
  // A pool of one rather than a client: the migration runner needs one session (its advisory lock),
  // and /readyz must work again after PostgreSQL restarts — a lone pg.Client stays broken for good,
  // the pool replaces a connection that died.
  const pool = new pg.Pool({ connectionString: url, max: 1, idleTimeoutMillis: 0, options: UTC_SESSION });
  // A broken idle connection must not crash the process through an unhandled 'error' event.
  pool.on("error", () => {});
  try {
    await assertUtcSession(async (sql) => (await pool.query<{ tz: string }>(sql)).rows);
  } catch (err) {
    await pool.end();
    throw err;
  }
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
