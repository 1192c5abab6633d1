import { expect } from "vitest";
import { createRegistry } from "../../commands/index.ts";
import { type Bot, createBot } from "../../src/bot/bot.ts";
import type { CommandDefinition } from "../../src/bot/command.ts";
import { LocalChat, renderPlain } from "../../src/bot/local-chat.ts";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { parseDirectoryFile } from "../../src/domain/directory/file.ts";
import { importDirectory } from "../../src/domain/directory/sync.ts";
import { FakeClock } from "../../src/lib/clock.ts";
import { createLogger } from "../../src/lib/logger.ts";

/**
 * Conversations with the real bot for tests, read like a chat:
 *   await chat.group("宣传科工作群").as("张三").says("帮助").expectReply(/汇报助手/)
 */
export interface TestBotOptions {
  /** Directory YAML to import before the conversation starts. */
  directory?: string;
  /** Extra commands, for testing the core with commands that later issues add. */
  extraCommands?: CommandDefinition[];
  now?: string;
  locale?: "zh" | "en";
}

export interface Said {
  /** All replies, rendered as a person would read them. */
  replies(): Promise<string[]>;
  /** Exactly one reply, matching. Returns its text. */
  expectReply(match: RegExp | string): Promise<string>;
  expectNoReply(): Promise<void>;
}

export interface TestBot {
  db: Database;
  bot: Bot;
  clock: FakeClock;
  group(name: string): { as(person: string): { says(text: string): Said } };
  dm(person: string): { says(text: string): Said };
  close(): Promise<void>;
}

function said(pending: Promise<string[]>): Said {
  return {
    replies: () => pending,
    async expectReply(match) {
      const replies = await pending;
      expect(replies, `expected one reply, got ${JSON.stringify(replies)}`).toHaveLength(1);
      const text = replies[0] ?? "";
      if (typeof match === "string") expect(text).toContain(match);
      else expect(text).toMatch(match);
      return text;
    },
    async expectNoReply() {
      expect(await pending).toEqual([]);
    },
  };
}

export async function startTestBot(opts: TestBotOptions = {}): Promise<TestBot> {
  const db = await openDatabase("pglite:memory://");
  await db.migrate();
  if (opts.directory) {
    const parsed = parseDirectoryFile(opts.directory);
    if (!parsed.ok) throw new Error(`test directory is invalid: ${parsed.errors.join("; ")}`);
    await importDirectory(db.prisma, parsed.file, {});
  }
  const clock = new FakeClock(opts.now ?? "2026-11-26T02:00:00Z");
  const botNames = ["汇报", "汇报助手"];
  const bot = createBot({
    registry: createRegistry(opts.extraCommands),
    services: { db: db.prisma, clock, timezone: "Asia/Shanghai" },
    logger: createLogger("silent"),
    locale: opts.locale ?? "zh",
    botNames,
  });
  const chat = new LocalChat(bot, clock, botNames);
  const run = (speaker: string, text: string, group?: string) =>
    chat.say({ speaker, text, group: group ? { name: group } : undefined }).then((r) => r.map(renderPlain));
  return {
    db,
    bot,
    clock,
    group: (name) => ({ as: (person) => ({ says: (text) => said(run(person, text, name)) }) }),
    dm: (person) => ({ says: (text) => said(run(person, text)) }),
    close: () => db.close(),
  };
}
