import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR, openDatabase } from "../../src/db/database.ts";
import { openPGlite, pgliteDriver, postgresDriver, type SqlDriver } from "../../src/db/driver.ts";
import {
  loadMigrations,
  MigrationError,
  markRolledBack,
  migrate,
  pendingMigrations,
} from "../../src/db/migrate.ts";
import { describePostgres, freshPostgresDatabase } from "../support/postgres.ts";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

const A = "20260101000000_units";
const B = "20260102000000_people";
const C = "20260103000000_mobile";
// Non-ASCII (and CRLF below) on purpose: the checksum is over the file's bytes, not its text.
const SQL_A = '-- 单位表\nCREATE TABLE "t_units" (id SERIAL PRIMARY KEY, name TEXT NOT NULL);\n';
const SQL_B =
  'CREATE TABLE "t_people" (id SERIAL PRIMARY KEY, unit_id INTEGER REFERENCES "t_units"(id));\n' +
  "INSERT INTO \"t_units\" (name) VALUES ('宣传科');\n";
const SQL_B_BROKEN = 'CREATE TABLE "t_people" (id SERIAL PRIMARY KEY);\nSELECT * FROM "no_such_table";\n';
const SQL_C = 'ALTER TABLE "t_people" ADD COLUMN "mobile" TEXT;\n';

const tempRoots: string[] = [];
afterAll(() => {
  for (const dir of tempRoots) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "huibao-migrate-"));
  tempRoots.push(dir);
  return dir;
}

function writeMigration(dir: string, name: string, sql: string): void {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, "migration.sql"), sql);
}

function migrationsDir(migrations: Record<string, string>): string {
  const dir = tempDir();
  writeFileSync(join(dir, "migration_lock.toml"), 'provider = "postgresql"\n');
  for (const [name, sql] of Object.entries(migrations)) writeMigration(dir, name, sql);
  return dir;
}

const crlf = (sql: string) => sql.replace(/\n/g, "\r\n");
const fileSha256 = (dir: string, name: string) =>
  createHash("sha256")
    .update(readFileSync(join(dir, name, "migration.sql")))
    .digest("hex");

interface HistoryRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

const history = (d: SqlDriver) =>
  d.query<HistoryRow>(`SELECT * FROM "_prisma_migrations" ORDER BY started_at, migration_name`);

async function tableExists(d: SqlDriver, table: string): Promise<boolean> {
  const rows = await d.query<{ t: string | null }>("SELECT to_regclass($1)::text AS t", [table]);
  return rows[0]?.t != null;
}

async function rejection(p: Promise<unknown>): Promise<MigrationError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MigrationError);
  return err as MigrationError;
}

interface Fixture {
  /** DATABASE_URL for openDatabase (PGlite: a separate in-memory instance). */
  url: string;
  /** A connection to the fixture's database; PostgreSQL gives a new session each time. */
  connect(): Promise<SqlDriver>;
  drop(): Promise<void>;
}

/** The same cases on both databases: the runner must behave identically on PGlite and PostgreSQL. */
function migrationCases(fresh: () => Promise<Fixture>) {
  let fixture: Fixture;
  const drivers: SqlDriver[] = [];
  const connect = async () => {
    const d = await fixture.connect();
    drivers.push(d);
    return d;
  };
  beforeEach(async () => {
    fixture = await fresh();
  });
  afterEach(async () => {
    for (const d of drivers.splice(0)) await d.close();
    await fixture.drop();
  });

  it("applies every migration to a fresh database and records it as Prisma does", async () => {
    const dir = migrationsDir({ [A]: SQL_A, [B]: crlf(SQL_B) });
    const d = await connect();

    expect(await migrate(d, loadMigrations(dir))).toEqual({ applied: [A, B], warnings: [] });

    const rows = await history(d);
    expect(rows.map((r) => r.migration_name)).toEqual([A, B]);
    for (const row of rows) {
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.checksum).toBe(fileSha256(dir, row.migration_name));
      expect(row.applied_steps_count).toBe(1);
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at?.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    }
    expect(await d.query(`SELECT name FROM "t_units"`)).toEqual([{ name: "宣传科" }]);
    // Prisma's CLI reads this table too, so its shape must be Prisma's.
    const columns = await d.query(
      `SELECT column_name, data_type, character_maximum_length AS len, is_nullable
         FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => Object.values(c).join(" "))).toEqual([
      "id character varying 36 NO",
      "checksum character varying 64 NO",
      "finished_at timestamp with time zone  YES",
      "migration_name character varying 255 NO",
      "logs text  YES",
      "rolled_back_at timestamp with time zone  YES",
      "started_at timestamp with time zone  NO",
      "applied_steps_count integer  NO",
    ]);
  });

  it("applies nothing when run again", async () => {
    const dir = migrationsDir({ [A]: SQL_A, [B]: SQL_B });
    const d = await connect();
    await migrate(d, loadMigrations(dir));
    const before = await history(d);

    expect(await migrate(d, loadMigrations(dir))).toEqual({ applied: [], warnings: [] });
    expect(await history(d)).toEqual(before);
    expect(await d.query(`SELECT count(*)::int AS n FROM "t_units"`)).toEqual([{ n: 1 }]);
  });

  it("applies a migration added later, and only that one", async () => {
    const dir = migrationsDir({ [A]: SQL_A, [B]: SQL_B });
    const d = await connect();
    await migrate(d, loadMigrations(dir));
    writeMigration(dir, C, SQL_C);

    expect(await pendingMigrations(d, loadMigrations(dir))).toEqual([C]);
    expect(await migrate(d, loadMigrations(dir))).toEqual({ applied: [C], warnings: [] });
    const rows = await history(d);
    expect(rows.map((r) => r.migration_name)).toEqual([A, B, C]);
    expect(rows[2]?.checksum).toBe(fileSha256(dir, C));
    expect(await d.query(`SELECT mobile FROM "t_people"`)).toEqual([]);
  });

  async function failOnB(d: SqlDriver): Promise<{ dir: string; err: MigrationError }> {
    const dir = migrationsDir({ [A]: SQL_A, [B]: SQL_B_BROKEN, [C]: SQL_C });
    const err = await rejection(migrate(d, loadMigrations(dir)));
    return { dir, err };
  }

  it("stops at a failing migration with P3018 and leaves its row unfinished with logs", async () => {
    const d = await connect();
    const { err } = await failOnB(d);

    expect(err.code).toBe("P3018");
    expect(err.migration).toBe(B);
    expect(err.message).toContain(B);
    expect(err.message).toContain("no_such_table");
    const rows = await history(d);
    expect(rows.map((r) => [r.migration_name, r.finished_at === null])).toEqual([
      [A, false],
      [B, true],
    ]);
    expect(rows[1]?.logs).toContain("no_such_table");
    expect(rows[1]?.rolled_back_at).toBeNull();
    expect(rows[1]?.applied_steps_count).toBe(0);
    // The script ran as one implicit transaction, so its first statement left nothing behind.
    expect(await tableExists(d, "t_people")).toBe(false);
  });

  it("reports a failure inside the script's own BEGIN/COMMIT as P3018 and frees the session", async () => {
    const dir = migrationsDir({ [A]: `BEGIN;\n${SQL_A}SELECT * FROM "no_such_table";\nCOMMIT;\n` });
    const d = await connect();

    const err = await rejection(migrate(d, loadMigrations(dir)));
    expect([err.code, err.migration]).toEqual(["P3018", A]);
    expect((await history(d))[0]?.logs).toContain("no_such_table");
    expect(await tableExists(d, "t_units")).toBe(false);
    // This database only: pg_locks shows the whole server, where other test files hold their own.
    const locks = await d.query(
      `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database db ON db.oid = l.database
        WHERE l.locktype = 'advisory' AND db.datname = current_database()`,
    );
    expect(locks).toEqual([{ n: 0 }]);
  });

  it("refuses the next run with P3009 naming the failed migration and how to resolve it", async () => {
    const d = await connect();
    const { dir } = await failOnB(d);
    writeMigration(dir, B, SQL_B); // fixing the file alone is not enough: someone must look first

    const err = await rejection(migrate(d, loadMigrations(dir)));
    expect(err.code).toBe("P3009");
    expect(err.migration).toBe(B);
    expect(err.message).toContain(B);
    expect(err.message).toContain(`resolve --rolled-back ${B}`);
    expect((await history(d)).length).toBe(2);
  });

  it("retries a migration marked rolled back once its file is fixed", async () => {
    const d = await connect();
    const { dir } = await failOnB(d);

    expect(await markRolledBack(d, B)).toBe(true);
    expect(await markRolledBack(d, B)).toBe(false);
    writeMigration(dir, B, SQL_B);
    expect(await migrate(d, loadMigrations(dir))).toEqual({ applied: [B, C], warnings: [] });

    const rows = await history(d);
    expect(rows.map((r) => r.migration_name)).toEqual([A, B, B, C]);
    expect(rows[1]?.rolled_back_at).toBeInstanceOf(Date);
    expect(rows[1]?.finished_at).toBeNull();
    expect(rows[2]?.finished_at).toBeInstanceOf(Date);
    expect(rows[2]?.checksum).toBe(fileSha256(dir, B));
    expect(await pendingMigrations(d, loadMigrations(dir))).toEqual([]);
  });

  it("warns about an applied migration that was edited, but not about line endings", async () => {
    const dir = migrationsDir({ [A]: SQL_A, [B]: crlf(SQL_B) });
    const d = await connect();
    await migrate(d, loadMigrations(dir));

    writeMigration(dir, A, crlf(SQL_A));
    writeMigration(dir, B, SQL_B);
    expect(await migrate(d, loadMigrations(dir))).toEqual({ applied: [], warnings: [] });

    writeMigration(dir, A, SQL_A.replace("name TEXT", "title TEXT"));
    const { applied, warnings } = await migrate(d, loadMigrations(dir));
    expect(applied).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(A);
    expect(await d.query(`SELECT name FROM "t_units"`)).toEqual([{ name: "宣传科" }]);
  });

  it("refuses a non-empty database without migration history (P3005)", async () => {
    const dir = migrationsDir({ [A]: SQL_A });
    const d = await connect();
    await d.exec(`CREATE TABLE "legacy" (id INTEGER)`);

    const err = await rejection(migrate(d, loadMigrations(dir)));
    expect(err.code).toBe("P3005");
    expect(await tableExists(d, "_prisma_migrations")).toBe(false);
    expect(await tableExists(d, "t_units")).toBe(false);
  });

  it("checkReady() throws while migrations are pending and passes after migrate()", async () => {
    const dir = migrationsDir({ [A]: SQL_A });
    const db = await openDatabase(fixture.url, dir);
    try {
      await expect(db.checkReady()).rejects.toThrow(A);
      await db.migrate();
      await expect(db.checkReady()).resolves.toBeUndefined();
      writeMigration(dir, B, SQL_B);
      await expect(db.checkReady()).rejects.toThrow(B);
    } finally {
      await db.close();
    }
  });

  it("applies the real prisma/migrations, and the Prisma client writes and reads a unit", async () => {
    const db = await openDatabase(fixture.url);
    try {
      const names = loadMigrations(MIGRATIONS_DIR).map((m) => m.name);
      expect(names.length).toBeGreaterThan(0);
      expect(await db.migrate()).toEqual({ applied: names, warnings: [] });
      await db.checkReady();

      const created = await db.prisma.unit.create({ data: { name: "宣传科", aliases: ["宣传", "宣科"] } });
      const found = await db.prisma.unit.findUnique({ where: { name: "宣传科" } });
      expect(found).toEqual(created);
      expect(found?.aliases).toEqual(["宣传", "宣科"]);
    } finally {
      await db.close();
    }
  });
}

describe("migrations on PGlite", () => {
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = await openPGlite("memory://");
  });
  afterAll(async () => {
    await pglite?.close();
  });
  // One instance for all cases (a new one costs seconds); an empty public schema is a fresh database.
  migrationCases(async () => {
    await pglite.exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
    return { url: "pglite:memory://", connect: async () => pgliteDriver(pglite), drop: async () => {} };
  });
});

describePostgres("migrations on PostgreSQL", () => {
  migrationCases(async () => {
    const db = await freshPostgresDatabase();
    return { url: db.url, connect: () => postgresDriver(db.url), drop: db.drop };
  });

  it("serialises concurrent runs with Prisma's advisory lock: each migration applied once", async () => {
    const db = await freshPostgresDatabase();
    const d1 = await postgresDriver(db.url);
    const d2 = await postgresDriver(db.url);
    try {
      // The sleep keeps the first run busy long enough for the second to collide with it.
      const dir = migrationsDir({ [A]: `SELECT pg_sleep(0.5);\n${SQL_A}`, [B]: SQL_B });
      const [r1, r2] = await Promise.all([
        migrate(d1, loadMigrations(dir)),
        migrate(d2, loadMigrations(dir)),
      ]);

      expect([...r1.applied, ...r2.applied].sort()).toEqual([A, B]);
      const counts = await d1.query(
        `SELECT migration_name, count(*)::int AS n FROM "_prisma_migrations" GROUP BY 1 ORDER BY 1`,
      );
      expect(counts).toEqual([
        { migration_name: A, n: 1 },
        { migration_name: B, n: 1 },
      ]);
      expect(await d2.query(`SELECT count(*)::int AS n FROM "t_units"`)).toEqual([{ n: 1 }]);
    } finally {
      await d1.close();
      await d2.close();
      await db.drop();
    }
  });
});

describe("openDatabase on a PGlite directory", () => {
  it("creates the parent directory and keeps data across close and reopen", async () => {
    const dataDir = join(tempDir(), "sub", "dir");
    const first = await openDatabase(`pglite:${dataDir}`);
    try {
      expect(existsSync(join(dataDir, ".."))).toBe(true);
      await first.migrate();
      await first.prisma.unit.create({ data: { name: "环卫处", aliases: ["环卫"] } });
    } finally {
      await first.close();
    }

    const second = await openDatabase(`pglite:${dataDir}`);
    try {
      await second.checkReady();
      expect(await second.migrate()).toEqual({ applied: [], warnings: [] });
      const unit = await second.prisma.unit.findUnique({ where: { name: "环卫处" } });
      expect(unit?.aliases).toEqual(["环卫"]);
    } finally {
      await second.close();
    }
  });

  it("lets the process exit once close() returns", { timeout: 90_000 }, async () => {
    const dataDir = join(tempDir(), "data");
    const databaseTs = pathToFileURL(join(REPO_ROOT, "src/db/database.ts")).href;
    const script = `
      const { openDatabase } = await import(${JSON.stringify(databaseTs)});
      const db = await openDatabase(process.env.HUIBAO_TEST_URL);
      await db.migrate();
      await db.prisma.unit.create({ data: { name: "办公室", aliases: [] } });
      await db.close();
      process.stdout.write("closed\\n");`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: REPO_ROOT,
      env: { ...process.env, HUIBAO_TEST_URL: `pglite:${dataDir}` },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let closedAt: number | undefined;
    child.stderr.on("data", (b: Buffer) => {
      stderr += b.toString();
    });
    child.stdout.on("data", (b: Buffer) => {
      if (b.toString().includes("closed")) closedAt ??= Date.now();
    });
    // Opening and migrating is slow on a busy machine; what must be quick is exiting after close().
    const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const { code, signal } = await new Promise<{ code: number | null; signal: string | null }>((done) =>
      child.on("exit", (code, signal) => done({ code, signal })),
    );
    clearTimeout(guard);
    const exitedAt = Date.now();

    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: "" });
    expect(closedAt).toBeDefined();
    expect(exitedAt - (closedAt ?? 0)).toBeLessThan(5_000);
  });
});
