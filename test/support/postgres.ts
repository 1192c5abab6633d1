import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isMainThread } from "node:worker_threads";
import pg from "pg";
import { describe, it } from "vitest";

/**
 * Tests against a real PostgreSQL server named by TEST_DATABASE_URL. Each test file gets throwaway
 * databases on that server, so parallel workers and reruns never see each other's tables.
 */

export const HOW_TO_RUN = "TEST_DATABASE_URL=postgresql://root@127.0.0.1:5432/test npm test";

const inCI = (() => {
  const ci = process.env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== "" && ci !== "false" && ci !== "0";
})();

export interface PostgresAvailability {
  /** The server to test against, or undefined when the PostgreSQL tests cannot run. */
  url: string | undefined;
  /** Why the tests cannot run; set whenever url is not. */
  reason: string | undefined;
  /** CI must test PostgreSQL: a missing URL there is a failure, not a skip. */
  required: boolean;
}

export function postgresAvailable(): PostgresAvailability {
  const url = process.env.TEST_DATABASE_URL?.trim() || undefined;
  return {
    url,
    reason: url ? undefined : `TEST_DATABASE_URL is not set; run them with: ${HOW_TO_RUN}`,
    required: inCI,
  };
}

let noticeShown = false;

/** Prints the skip notice once per vitest run, although every test file runs in its own worker. */
function noticeSkipped(reason: string): void {
  if (noticeShown) return;
  noticeShown = true;
  // Workers are forks (parent = vitest) or threads (same process as vitest): key on that process.
  const runner = isMainThread ? process.ppid : process.pid;
  const dir = join(tmpdir(), "huibao-pg-skip-notice");
  try {
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)) if (!alive(Number(name))) rmSync(join(dir, name), { force: true });
    writeFileSync(join(dir, String(runner)), "", { flag: "wx" });
  } catch {
    return; // another test file of this run already said it
  }
  process.stderr.write(`[huibao] PostgreSQL tests skipped: ${reason}\n`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * `describe` for tests that need PostgreSQL. Without TEST_DATABASE_URL they are skipped locally
 * (with one notice on stderr) and fail under CI, where a silent skip would hide a broken setup.
 */
export function describePostgres(name: string, fn: () => void): void {
  const { url, reason, required } = postgresAvailable();
  if (url) {
    describe(name, fn);
  } else if (required) {
    describe(name, () => {
      it("needs TEST_DATABASE_URL under CI", () => {
        throw new Error(`CI=true but the PostgreSQL tests cannot run: ${reason}`);
      });
    });
  } else {
    noticeSkipped(reason ?? "");
    describe.skip(name, fn);
  }
}

export interface FreshDatabase {
  name: string;
  url: string;
  /** Ends every connection to the database and drops it. */
  drop(): Promise<void>;
}

async function withAdmin<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database `huibao_t_…` on the server of TEST_DATABASE_URL. */
export async function freshPostgresDatabase(): Promise<FreshDatabase> {
  const { url: serverUrl, reason } = postgresAvailable();
  if (!serverUrl) throw new Error(`freshPostgresDatabase: ${reason}`);
  const name = `huibao_t_${process.pid}_${randomBytes(6).toString("hex")}`;
  await withAdmin(serverUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await withAdmin(serverUrl, async (c) => {
        await c.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
          [name],
        );
        // DROP waits a few seconds for terminated backends to go away.
        await c.query(`DROP DATABASE IF EXISTS "${name}"`);
      });
    },
  };
}

export interface CuttableLogin {
  /** The database's URL under a login role of its own. */
  url: string;
  /** Ends this role's connections and refuses new ones: to its user, the database is gone. */
  cut(): Promise<void>;
  /** Drops the role (after cutting it). */
  drop(): Promise<void>;
}

/**
 * A login role of its own for one replica, so a test can cut that replica off the database (a network
 * split, a firewall) while the others keep theirs: closing a Prisma client is no such test, since
 * Prisma simply reconnects on the next query.
 */
export async function cuttableLogin(fresh: FreshDatabase): Promise<CuttableLogin> {
  const { url: serverUrl } = postgresAvailable();
  if (!serverUrl) throw new Error("cuttableLogin: no PostgreSQL");
  const role = `huibao_r_${randomBytes(6).toString("hex")}`;
  await withAdmin(serverUrl, (c) => c.query(`CREATE ROLE "${role}" LOGIN SUPERUSER`));
  const url = new URL(fresh.url);
  url.username = role;
  url.password = "";
  const cut = () =>
    withAdmin(serverUrl, async (c) => {
      await c.query(`ALTER ROLE "${role}" NOLOGIN`);
      await c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", [role]);
    });
  return {
    url: url.toString(),
    cut,
    async drop() {
      await cut();
      await withAdmin(serverUrl, (c) => c.query(`DROP ROLE IF EXISTS "${role}"`));
    },
  };
}
