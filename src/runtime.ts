import { createRegistry } from "../commands/index.ts";
import { type Bot, createBot } from "./bot/bot.ts";
import type { Config } from "./config.ts";
import { type Database, openDatabase } from "./db/database.ts";
import { type Clock, systemClock } from "./lib/clock.ts";
import type { Logger } from "./lib/logger.ts";

/** What every way of running huibao shares: an open, migrated database and the bot. */
export interface Runtime {
  config: Config;
  db: Database;
  bot: Bot;
  clock: Clock;
  logger: Logger;
  close(): Promise<void>;
}

export async function startRuntime(
  config: Config,
  logger: Logger,
  clock: Clock = systemClock,
): Promise<Runtime> {
  const db = await openDatabase(config.databaseUrl);
  try {
    const { applied, warnings } = await db.migrate();
    for (const w of warnings) logger.warn(w);
    if (applied.length > 0) logger.info({ applied }, "migrations applied");
  } catch (err) {
    await db.close();
    throw err;
  }
  const bot = createBot({
    registry: createRegistry(),
    services: { db: db.prisma, clock, timezone: config.timezone, settings: config.settings },
    logger,
    locale: config.locale,
    botNames: config.botNames,
  });
  return { config, db, bot, clock, logger, close: () => db.close() };
}
