import { afterAll, beforeAll, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { exportDirectory } from "../../src/domain/directory/export.ts";
import { identifySender } from "../../src/domain/directory/identify.ts";
import { importDirectory } from "../../src/domain/directory/sync.ts";
import { describePostgres, type FreshDatabase, freshPostgresDatabase } from "../support/postgres.ts";
import { EXAMPLE, parse } from "./db.ts";

/**
 * PGlite runs one transaction at a time, so races only show on a real server with a connection pool:
 * these tests are the ones that prove the unique-index retry and the advisory locks.
 */
describePostgres("directory on PostgreSQL", () => {
  let fresh: FreshDatabase;
  let database: Database;
  beforeAll(async () => {
    fresh = await freshPostgresDatabase();
    database = await openDatabase(fresh.url);
    await database.migrate();
  });
  afterAll(async () => {
    await database?.close();
    await fresh?.drop();
  });

  it("imports the same file from two admins at once without duplicates or errors", async () => {
    const db = database.prisma;
    const results = await Promise.all([
      importDirectory(db, parse(EXAMPLE)),
      importDirectory(db, parse(EXAMPLE)),
    ]);
    // One import created everything; the other, serialized behind it, found it all unchanged.
    expect(results.map((s) => s.units.created).sort()).toEqual([0, 6]);
    expect(await db.unit.count()).toBe(6);
    expect(await db.person.count()).toBe(12);
    const again = await importDirectory(db, parse(await exportDirectory(db)), { prune: true });
    expect(again.changes).toEqual([]);
  });

  it("records a newcomer once when their first messages arrive together", async () => {
    const db = database.prisma;
    for (const platform of ["wecom", "dingtalk", "local"] as const) {
      const userId = `race-${platform}`;
      const seen = await Promise.all(
        Array.from({ length: 10 }, () => identifySender(db, { platform, userId, nick: "新人" })),
      );
      expect(new Set(seen.map((p) => p.id)).size).toBe(1);
    }
    expect(await db.person.count({ where: { placed: false, name: { in: ["新人", "race-local"] } } })).toBe(3);
  });
});
