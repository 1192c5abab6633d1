import { createRegistry } from "../commands/index.ts";
import { createBot } from "../src/bot/bot.ts";
import { DEFAULT_SETTINGS } from "../src/bot/command.ts";
import { LocalChat } from "../src/bot/local-chat.ts";
import { openDatabase } from "../src/db/database.ts";
import { systemClock } from "../src/lib/clock.ts";
import { createLogger } from "../src/lib/logger.ts";
import { summarize } from "./stats.ts";

/** The bot core alone: parse, identify the sender, run 帮助 / 我是谁, on an in-memory PGlite. */
export async function benchCommands(): Promise<void> {
  const db = await openDatabase("pglite:memory://");
  await db.migrate();
  const bot = createBot({
    registry: createRegistry(),
    services: { db: db.prisma, clock: systemClock, timezone: "Asia/Shanghai", settings: DEFAULT_SETTINGS },
    logger: createLogger("silent"),
    locale: "zh",
    botNames: ["汇报"],
  });
  const chat = new LocalChat(bot, systemClock, ["汇报"]);
  for (const text of ["帮助", "我是谁"]) {
    for (let i = 0; i < 50; i++) await chat.say({ speaker: `warm${i % 5}`, text });
    const durations: number[] = [];
    const started = performance.now();
    for (let i = 0; i < 1000; i++) {
      const t0 = performance.now();
      await chat.say({ speaker: `member${i % 20}`, group: { name: "基准群" }, text: `@汇报 ${text}` });
      durations.push(performance.now() - t0);
    }
    console.log(
      summarize(`bot.handle("${text}") sequential, PGlite`, durations, performance.now() - started),
    );
  }
  await db.close();
}
