import { createRegistry } from "../commands/index.ts";
import { type Bot, createBot } from "./bot/bot.ts";
import { type Config, ConfigError } from "./config.ts";
import { type Database, openDatabase } from "./db/database.ts";
import { type Clock, systemClock } from "./lib/clock.ts";
import { wallClock } from "./lib/dates-zh/zone.ts";
import { readHolidayFile } from "./lib/holiday-file.ts";
import type { Logger } from "./lib/logger.ts";
import { calendarGapWarning, extendWorkdayCalendar } from "./lib/workdays.ts";

/** What every way of running huibao shares: an open, migrated database and the bot. */
export interface Runtime {
  config: Config;
  db: Database;
  bot: Bot;
  clock: Clock;
  logger: Logger;
  /** What the administrator should fix soon (the holiday calendar running out), for the start-up banner. */
  warnings: string[];
  close(): Promise<void>;
}

/** Reads HOLIDAYS_FILE into the working-day calendar; returns the undo (for close). */
export function loadHolidayFile(path: string | undefined): () => void {
  if (path === undefined) return () => {};
  const read = readHolidayFile(path);
  if (!read.ok) {
    const where = read.lines.length > 0 ? `，没有使用：${read.lines.join("；")}` : "";
    throw new ConfigError("HOLIDAYS_FILE", `${read.summary}${where}`);
  }
  return extendWorkdayCalendar(read.overrides);
}

export async function startRuntime(
  config: Config,
  logger: Logger,
  clock: Clock = systemClock,
): Promise<Runtime> {
  // Before the database: a broken holiday file stops the start with its line numbers, nothing opened.
  const restoreCalendar = loadHolidayFile(config.holidaysFile);
  const today = wallClock(clock.now(), config.timezone).day.format("YYYY-MM-DD");
  const warnings = [calendarGapWarning(today)].filter((w): w is string => w !== undefined);
  let db: Database;
  try {
    db = await openDatabase(config.databaseUrl);
  } catch (err) {
    restoreCalendar();
    throw err;
  }
  try {
    const { applied, warnings } = await db.migrate();
    for (const w of warnings) logger.warn(w);
    if (applied.length > 0) logger.info({ applied }, "migrations applied");
  } catch (err) {
    await db.close();
    restoreCalendar();
    throw err;
  }
  const bot = createBot({
    registry: createRegistry(),
    services: { db: db.prisma, clock, timezone: config.timezone, settings: config.settings },
    logger,
    locale: config.locale,
    botNames: config.botNames,
  });
  return {
    config,
    db,
    bot,
    clock,
    logger,
    warnings,
    close: async () => {
      try {
        await db.close();
      } finally {
        restoreCalendar();
      }
    },
  };
}
