import { afterAll, beforeAll, expect, it } from "vitest";
import { createRegistry } from "../../commands/index.ts";
import { type Bot, createBot } from "../../src/bot/bot.ts";
import { DEFAULT_SETTINGS } from "../../src/bot/command.ts";
import { LocalChat, renderPlain } from "../../src/bot/local-chat.ts";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { verifyAuditChain } from "../../src/domain/audit/verify.ts";
import { parseDirectoryFile } from "../../src/domain/directory/file.ts";
import { importDirectory } from "../../src/domain/directory/sync.ts";
import { jobHandlers } from "../../src/jobs/job-handlers.ts";
import { Outbox } from "../../src/jobs/outbox.ts";
import { Scheduler } from "../../src/jobs/scheduler.ts";
import { FakeClock } from "../../src/lib/clock.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { createNoticeRouter } from "../../src/platforms/notices.ts";
import type { IncomingMessage } from "../../src/platforms/types.ts";
import { describePostgres, type FreshDatabase, freshPostgresDatabase } from "../support/postgres.ts";
import { DIRECTORY, GROUP, START } from "./support.ts";

/**
 * PGlite runs one transaction at a time; on a real server with a connection pool the votes really
 * race. The draft row lock and the audit advisory lock must make them take turns.
 */
describePostgres("approvals on PostgreSQL", () => {
  let fresh: FreshDatabase;
  let database: Database;
  let bot: Bot;
  let local: LocalChat;
  let clock: FakeClock;
  let scheduler: Scheduler;
  beforeAll(async () => {
    fresh = await freshPostgresDatabase();
    database = await openDatabase(fresh.url);
    await database.migrate();
    const parsed = parseDirectoryFile(DIRECTORY);
    if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
    await importDirectory(database.prisma, parsed.file);
    clock = new FakeClock(START);
    const logger = createLogger("silent");
    scheduler = new Scheduler({
      db: database.prisma,
      clock,
      outbox: new Outbox(database.prisma, clock, {
        leaseMs: 60_000,
        maxAttempts: 3,
        ratePerMinute: () => 1e9,
      }),
      router: createNoticeRouter({}, logger),
      handlers: jobHandlers,
      timezone: "Asia/Shanghai",
      settings: DEFAULT_SETTINGS,
      logger,
      batchSize: 4,
    });
    bot = createBot({
      registry: createRegistry(),
      services: { db: database.prisma, clock, timezone: "Asia/Shanghai", settings: DEFAULT_SETTINGS },
      logger: createLogger("silent"),
      locale: "zh",
      botNames: [],
    });
    local = new LocalChat(bot, clock, []);
  });
  afterAll(async () => {
    await database?.close();
    await fresh?.drop();
  });

  const say = (speaker: string, text: string, messageId?: string): IncomingMessage => ({
    ...local.toIncoming({ speaker, text, group: { name: GROUP } }),
    ...(messageId ? { messageId } : {}),
  });
  const replies = async (m: IncomingMessage) => (await bot.handle(m)).filter((o) => !o.to).map(renderPlain);

  it("counts approvers answering at the same moment once each, and approves each draft once", async () => {
    const db = database.prisma;
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) {
      const [reply] = await replies(say("张三", `送审 网站 标题：通知${i} 正文${i}`));
      ids.push(Number(/#(\d+)/.exec(reply ?? "")?.[1]));
    }
    const answers = ids.flatMap((id) => ["李四", "王五"].map((p) => say(p, `同意 #${id}`)));
    const texts = (await Promise.all(answers.map(replies))).flat();
    expect(texts.filter((r) => r.startsWith("已记录"))).toHaveLength(12);
    expect(texts.filter((r) => r.includes("审批全部通过"))).toHaveLength(6);
    for (const id of ids) {
      expect(await db.vote.count({ where: { draftId: id } })).toBe(2);
      expect((await db.draft.findUniqueOrThrow({ where: { id } })).status).toBe("approved");
      expect(await db.auditRecord.count({ where: { draftId: id, action: "approved" } })).toBe(1);
    }
    // Twelve votes from many connections appended to one chain without forking it.
    expect(await verifyAuditChain(db)).toEqual({ ok: true, checked: 6 + 12 + 6 });
  });

  it("counts one vote for a message delivered five times at once", async () => {
    const db = database.prisma;
    const [reply] = await replies(say("张三", "送审 微博 标题：并发 正文"));
    const id = Number(/#(\d+)/.exec(reply ?? "")?.[1]);
    const same = say("李四", `同意 #${id}`, "wecom-dup-1");
    const texts = (await Promise.all([1, 2, 3, 4, 5].map(() => replies(same)))).flat();
    // The inbox never hands one message to two workers; this is the row lock at work. Each handling
    // after the first finds the vote and gives the same answer (its first answer may never have left).
    expect(texts).toHaveLength(5);
    expect(new Set(texts).size).toBe(1);
    expect(texts[0]).toMatch(/^已记录：你同意了 #\d+，第1级「科室负责人」已通过/);
    expect(await db.vote.count({ where: { draftId: id } })).toBe(1);
    expect((await db.draft.findUniqueOrThrow({ where: { id } })).stage).toBe(1);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it("runs reminder batches while approvers answer, without deadlocks or lost votes", async () => {
    const db = database.prisma;
    const ids: number[] = [];
    for (let i = 0; i < 8; i++) {
      const [reply] = await replies(say("张三", `送审 网站 标题：提醒${i} 正文${i}`));
      ids.push(Number(/#(\d+)/.exec(reply ?? "")?.[1]));
    }
    clock.advance(2 * 3_600_000);
    // Batches of four reminders lock their drafts while votes on the same drafts come in.
    const votes = ids.flatMap((id) => ["李四", "王五"].map((p) => say(p, `同意 #${id}`)));
    const [texts] = await Promise.all([
      Promise.all(votes.map(replies)).then((r) => r.flat()),
      scheduler.runDue(),
      scheduler.runDue(),
    ]);
    expect(texts.filter((r) => r.startsWith("已记录"))).toHaveLength(16);
    for (const id of ids)
      expect((await db.draft.findUniqueOrThrow({ where: { id } })).status).toBe("approved");
    const troubled = await db.scheduledJob.findMany({
      where: { OR: [{ status: "failed" }, { lastError: { not: null } }] },
    });
    expect(troubled.map((j) => [j.key, j.status, j.lastError])).toEqual([]);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });
});
