import { expect } from "vitest";
import { createRegistry } from "../../commands/index.ts";
import { type Bot, createBot } from "../../src/bot/bot.ts";
import { type CommandDefinition, DEFAULT_SETTINGS, type DomainSettings } from "../../src/bot/command.ts";
import { LocalChat, renderPlain } from "../../src/bot/local-chat.ts";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { parseDirectoryFile } from "../../src/domain/directory/file.ts";
import { importDirectory } from "../../src/domain/directory/sync.ts";
import { jobHandlers } from "../../src/jobs/job-handlers.ts";
import { Outbox } from "../../src/jobs/outbox.ts";
import { Scheduler } from "../../src/jobs/scheduler.ts";
import { FakeClock } from "../../src/lib/clock.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { createNoticeRouter } from "../../src/platforms/notices.ts";
import type { IncomingMessage, QuotedMessage } from "../../src/platforms/types.ts";

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
  settings?: Partial<DomainSettings>;
}

/** Options of one utterance: a quote-reply, or a fixed platform message id (to deliver it twice). */
export interface SayOptions {
  quote?: QuotedMessage;
  messageId?: string;
}

/** A notice as its readers see it: where it went (group name, or `dm:姓名`) and the text. */
export interface Announcement {
  to: string;
  text: string;
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
  scheduler: Scheduler;
  group(name: string): { as(person: string): { says(text: string, opts?: SayOptions): Said } };
  dm(person: string): { says(text: string, opts?: SayOptions): Said };
  /** The IncomingMessage an utterance becomes (to deliver the very same message twice via bot.handle). */
  incoming(person: string, text: string, group?: string, opts?: SayOptions): IncomingMessage;
  /**
   * Notices queued since the last call (announcements, one-to-one messages), in order, as their
   * readers see them; they count as delivered afterwards.
   */
  announcements(): Promise<Announcement[]>;
  /** Moves the fake clock forward and runs every scheduled job that is due by then. */
  advance(ms: number): Promise<void>;
  /** Sets the fake clock (ISO time) and runs every scheduled job that is due by then. */
  advanceTo(iso: string): Promise<void>;
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
  const logger = createLogger("silent");
  const settings = { ...DEFAULT_SETTINGS, ...opts.settings };
  const timezone = "Asia/Shanghai";
  const bot = createBot({
    registry: createRegistry(opts.extraCommands),
    services: { db: db.prisma, clock, timezone, settings },
    logger,
    locale: opts.locale ?? "zh",
    botNames,
  });
  // The same notice router and scheduler as the server, on the local platform's doors.
  const router = createNoticeRouter({}, logger);
  const outbox = new Outbox(db.prisma, clock, {
    leaseMs: 60_000,
    maxAttempts: 3,
    ratePerMinute: () => Number.POSITIVE_INFINITY,
  });
  const scheduler = new Scheduler({
    db: db.prisma,
    clock,
    outbox,
    router,
    handlers: jobHandlers,
    timezone,
    settings,
    logger,
  });
  const chat = new LocalChat(bot, clock, botNames);
  const incoming = (speaker: string, text: string, group?: string, o: SayOptions = {}): IncomingMessage => {
    const m = chat.toIncoming({ speaker, text, group: group ? { name: group } : undefined });
    return {
      ...m,
      ...(o.quote ? { quote: o.quote } : {}),
      ...(o.messageId ? { messageId: o.messageId } : {}),
    };
  };
  const run = async (message: IncomingMessage) => {
    const out = await bot.handle(message);
    await outbox.enqueue(
      await router(
        db.prisma,
        out.filter((m) => m.to),
      ),
    );
    return out.filter((m) => !m.to).map(renderPlain);
  };
  const groupName = new Map<string, string>();
  const announcements = async (): Promise<Announcement[]> => {
    const rows = await db.prisma.outboxMessage.findMany({
      where: { status: "queued" },
      orderBy: { id: "asc" },
    });
    if (rows.length === 0) return [];
    await db.prisma.outboxMessage.updateMany({
      where: { id: { in: rows.map((r) => r.id) } },
      data: { status: "sent", sentAt: clock.now() },
    });
    const out: Announcement[] = [];
    for (const r of rows) {
      const chatId = String((r.target as { chatId?: unknown }).chatId ?? r.destination);
      let to = groupName.get(chatId);
      if (!to) {
        const g = await db.prisma.group.findFirst({ where: { chatId } });
        to = g?.name ?? chatId;
        groupName.set(chatId, to);
      }
      out.push({ to, text: bodyText(r.body) });
    }
    return out;
  };
  return {
    db,
    bot,
    clock,
    scheduler,
    incoming,
    group: (name) => ({
      as: (person) => ({ says: (text, o) => said(run(incoming(person, text, name, o))) }),
    }),
    dm: (person) => ({ says: (text, o) => said(run(incoming(person, text, undefined, o))) }),
    announcements,
    async advance(ms) {
      clock.advance(ms);
      await scheduler.runDue();
    },
    async advanceTo(iso) {
      clock.set(iso);
      await scheduler.runDue();
    },
    close: () => db.close(),
  };
}

/** The readable text of an outbox body, whichever door it was built for. */
function bodyText(body: unknown): string {
  const b = body as Record<string, Record<string, unknown> | unknown>;
  if (typeof b.text === "string") return b.text;
  for (const k of ["markdown", "text"]) {
    const inner = b[k] as Record<string, unknown> | undefined;
    if (inner && typeof inner.content === "string") return inner.content;
    if (inner && typeof inner.text === "string") return inner.text;
  }
  const param = b.msgParam;
  return typeof param === "string" ? param : JSON.stringify(body);
}
