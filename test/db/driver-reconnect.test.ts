import pg from "pg";
import { expect, it } from "vitest";
import { postgresDriver } from "../../src/db/driver.ts";
import { describePostgres, freshPostgresDatabase } from "../support/postgres.ts";

describePostgres("the PostgreSQL migration/readiness driver", () => {
  it("answers again after its connection was killed (a PostgreSQL restart looks like this)", async () => {
    const fresh = await freshPostgresDatabase();
    const driver = await postgresDriver(fresh.url);
    const admin = new pg.Client({ connectionString: fresh.url });
    await admin.connect();
    try {
      const [{ pid }] = (await driver.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")) as [
        { pid: number },
      ];
      await admin.query("SELECT pg_terminate_backend($1)", [pid]);
      // The first query after the kill may fail (the connection is gone); the next one must work.
      await driver.query("SELECT 1").catch(() => undefined);
      const rows = await driver.query<{ ok: number }>("SELECT 1 AS ok");
      expect(rows).toEqual([{ ok: 1 }]);
      const [{ pid: again }] = (await driver.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")) as [
        { pid: number },
      ];
      expect(again).not.toBe(pid);
    } finally {
      await admin.end();
      await driver.close();
      await fresh.drop();
    }
  });
});
