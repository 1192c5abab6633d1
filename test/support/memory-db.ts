import { afterAll, beforeAll, beforeEach } from "vitest";
import { type Database, type Db, openDatabase } from "../../src/db/database.ts";

/**
 * One migrated in-memory PGlite per test file (it takes seconds to start), with `tables` emptied
 * before each test (TRUNCATE … CASCADE also empties the tables that point at them).
 */
export function useMemoryDb(tables: string): { readonly db: Db } {
  let database: Database | undefined;
  beforeAll(async () => {
    database = await openDatabase("pglite:memory://");
    await database.migrate();
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database?.prisma.$executeRawUnsafe(`TRUNCATE ${tables} RESTART IDENTITY CASCADE`);
  });
  return {
    get db() {
      if (!database) throw new Error("database not open yet");
      return database.prisma;
    },
  };
}
