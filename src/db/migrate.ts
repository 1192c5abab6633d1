import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { SqlDriver } from "./driver.ts";

/**
 * Applies migrations in Prisma's layout and records them in `_prisma_migrations` exactly as
 * `prisma migrate deploy` does, so the official CLI keeps working on the same database.
 */

/** Prisma's own advisory-lock key: it serialises our replicas and the Prisma CLI alike. */
export const PRISMA_ADVISORY_LOCK_KEY = 72707369;

export interface Migration {
  name: string;
  sql: string;
  /** Lowercase hex sha256 of the file's bytes, as Prisma computes it. */
  checksum: string;
  /** Checksums of the CRLF and LF variants of the same text: a line-ending change is not an edit. */
  equivalentChecksums: string[];
}

export type MigrationErrorCode = "P3005" | "P3009" | "P3018";

export class MigrationError extends Error {
  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    readonly migration?: string,
  ) {
    super(message);
    this.name = "MigrationError";
  }
}

export interface MigrateResult {
  applied: string[];
  warnings: string[];
}

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
}

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

/**
 * Reads the migration directories in name order. `required` (the app's case) makes a missing folder an
 * error: a deployment without prisma/migrations must not start on an empty database and call it ready.
 */
export function loadMigrations(dir: string, { required = false } = {}): Migration[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    if (required) throw new Error(`找不到迁移目录 ${dir}：安装不完整，请重新 npm install。`);
    return [];
  }
  return names
    .filter((n) => statSync(join(dir, n)).isDirectory())
    .sort()
    .flatMap((name) => {
      const file = join(dir, name, "migration.sql");
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        return [];
      }
      const text = bytes.toString("utf8");
      const lf = text.replace(/\r\n/g, "\n");
      const crlf = lf.replace(/\n/g, "\r\n");
      return [
        {
          name,
          sql: text,
          checksum: sha256(bytes),
          equivalentChecksums: [sha256(bytes), sha256(lf), sha256(crlf)],
        },
      ];
    });
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

async function tableExists(driver: SqlDriver, name: string): Promise<boolean> {
  const rows = await driver.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_name = $1`,
    [name],
  );
  return (rows[0]?.n ?? 0) > 0;
}

async function otherTablesExist(driver: SqlDriver): Promise<boolean> {
  const rows = await driver.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  return (rows[0]?.n ?? 0) > 0;
}

async function withLock<T>(driver: SqlDriver, fn: () => Promise<T>): Promise<T> {
  // PGlite is single-process by construction; only PostgreSQL needs the cross-process lock.
  if (driver.kind !== "postgresql") return fn();
  await driver.query(`SELECT pg_advisory_lock(${PRISMA_ADVISORY_LOCK_KEY})`);
  try {
    return await fn();
  } finally {
    await driver.query(`SELECT pg_advisory_unlock(${PRISMA_ADVISORY_LOCK_KEY})`).catch(() => {});
  }
}

async function readRows(driver: SqlDriver): Promise<MigrationRow[]> {
  return driver.query<MigrationRow>(
    `SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at
       FROM "_prisma_migrations" ORDER BY started_at ASC`,
  );
}

export async function migrate(driver: SqlDriver, migrations: Migration[]): Promise<MigrateResult> {
  return withLock(driver, async () => {
    if (!(await tableExists(driver, "_prisma_migrations"))) {
      if (await otherTablesExist(driver)) {
        throw new MigrationError(
          "P3005",
          "数据库不是空的，但没有迁移记录（Prisma P3005）：请换一个空数据库，或先为现有数据库做基线（baseline）。",
        );
      }
      await driver.exec(CREATE_TABLE);
    }
    const rows = await readRows(driver);
    const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed) {
      const firstLog = (failed.logs ?? "").split("\n")[0];
      throw new MigrationError(
        "P3009",
        `迁移 ${failed.migration_name} 上次执行失败（Prisma P3009）${firstLog ? `：${firstLog}` : ""}。` +
          `修好数据库后运行 \`npx huibao db resolve --rolled-back ${failed.migration_name}\` 再启动。`,
        failed.migration_name,
      );
    }

    const done = new Map<string, MigrationRow>();
    for (const r of rows)
      if (r.finished_at !== null && r.rolled_back_at === null) done.set(r.migration_name, r);

    const warnings: string[] = [];
    for (const m of migrations) {
      const row = done.get(m.name);
      if (row && !m.equivalentChecksums.includes(row.checksum)) {
        warnings.push(`迁移 ${m.name} 在应用之后被修改过（校验和不同）；已应用的版本保持不变。`);
      }
    }
    const known = new Set(migrations.map((m) => m.name));
    for (const name of done.keys()) {
      if (!known.has(name)) warnings.push(`数据库里有迁移 ${name}，但本地没有这个目录。`);
    }

    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      const id = randomUUID();
      await driver.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, started_at, migration_name) VALUES ($1, $2, now(), $3)`,
        [id, m.checksum, m.name],
      );
      try {
        await driver.exec(m.sql);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        // A script with its own BEGIN leaves the session in an aborted transaction: end it, or recording
        // the failure (and, on PostgreSQL, releasing the advisory lock) fails and masks the real error.
        await driver.exec("ROLLBACK").catch(() => {});
        const logs = `Database error:\n${message}`;
        await driver.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, logs]);
        throw new MigrationError("P3018", `迁移 ${m.name} 执行失败（Prisma P3018）：${message}`, m.name);
      }
      await driver.query(
        `UPDATE "_prisma_migrations" SET applied_steps_count = applied_steps_count + 1 WHERE id = $1`,
        [id],
      );
      await driver.query(`UPDATE "_prisma_migrations" SET finished_at = now() WHERE id = $1`, [id]);
      applied.push(m.name);
    }
    return { applied, warnings };
  });
}

/** Names of migrations on disk that the database has not finished applying. */
export async function pendingMigrations(driver: SqlDriver, migrations: Migration[]): Promise<string[]> {
  if (!(await tableExists(driver, "_prisma_migrations"))) return migrations.map((m) => m.name);
  const rows = await readRows(driver);
  const done = new Set(
    rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null).map((r) => r.migration_name),
  );
  return migrations.filter((m) => !done.has(m.name)).map((m) => m.name);
}

/** `prisma migrate resolve --rolled-back NAME`: marks a failed attempt so the next start retries it. */
export async function markRolledBack(driver: SqlDriver, name: string): Promise<boolean> {
  const rows = await driver.query<{ id: string }>(
    `UPDATE "_prisma_migrations" SET rolled_back_at = now()
      WHERE migration_name = $1 AND finished_at IS NULL AND rolled_back_at IS NULL RETURNING id`,
    [name],
  );
  return rows.length > 0;
}
