import { type Database, openDatabase } from "../../src/db/database.ts";

/** One migrated in-memory PGlite per test file (it takes seconds to start); tables emptied per test. */
export async function openQueueDb(url = "pglite:memory://"): Promise<Database> {
  const db = await openDatabase(url);
  await db.migrate();
  return db;
}

export async function emptyQueues(db: Database): Promise<void> {
  await db.prisma.$executeRawUnsafe("TRUNCATE inbox_messages, outbox_messages RESTART IDENTITY");
}
