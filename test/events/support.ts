import { afterAll, beforeAll, beforeEach } from "vitest";
import type { DomainSettings } from "../../src/bot/command.ts";
import { startTestBot, type TestBot } from "../support/chat.ts";

/** 2026-11-26 10:00 Thursday in Shanghai. */
export const NOW = "2026-11-26T02:00:00Z";

export const DIRECTORY = `
units:
  - { name: 市城市管理局宣传科, aliases: [宣传科] }
  - { name: 市城市管理局环境卫生管理处, aliases: [环卫处] }
  - { name: 市城市管理局城东分局, aliases: [城东分局] }
people:
  - { name: 张三, unit: 宣传科, roles: [member] }
  - { name: 李四, unit: 环卫处, roles: [member] }
  - { name: 王五, unit: 宣传科, roles: [member] }
  - { name: 管理员, unit: 宣传科, roles: [admin] }
  - { name: 王局长, roles: [leader] }
groups:
  - { name: 宣传科工作群, platform: local, chat_id: "group:宣传科工作群", unit: 宣传科 }
  - { name: 环卫处工作群, platform: local, chat_id: "group:环卫处工作群", unit: 环卫处 }
  - { name: 城东分局群, platform: local, chat_id: "group:城东分局群", unit: 城东分局 }
`;

/**
 * One bot and database per test file (PGlite takes seconds to open); every test starts from the
 * directory alone, at NOW, with nothing announced yet.
 */
export function useEventChat(settings?: Partial<DomainSettings>): { readonly chat: TestBot } {
  let bot: TestBot | undefined;
  beforeAll(async () => {
    bot = await startTestBot({ directory: DIRECTORY, now: NOW, settings });
  });
  afterAll(async () => {
    await bot?.close();
  });
  beforeEach(async () => {
    if (!bot) return;
    await bot.db.prisma.$executeRawUnsafe(
      "TRUNCATE events, event_signups, scheduled_jobs, outbox_messages, progress_reports, task_units, tasks, plans RESTART IDENTITY CASCADE",
    );
    bot.clock.set(NOW);
  });
  return {
    get chat() {
      if (!bot) throw new Error("test bot not started yet");
      return bot;
    },
  };
}

/** A plan with one task, owned by 环卫处 (lead) and 城东分局 (support); counted when `target` is given. */
export async function seedTask(chat: TestBot, opts: { code: string; target?: number }): Promise<number> {
  const db = chat.db.prisma;
  const at = new Date(NOW);
  const plan = await db.plan.create({
    data: { year: 2026, title: "2026年宣传工作要点", sourceSha: "x", importedAt: at, updatedAt: at },
  });
  const task = await db.task.create({
    data: {
      planId: plan.id,
      code: opts.code,
      sectionNo: Number(opts.code.split(".")[0]),
      sectionTitle: "宣传活动",
      title: "开展垃圾分类进社区宣讲",
      body: "全年开展垃圾分类宣讲4场",
      targets: opts.target ? [{ kind: "场", count: opts.target, text: `${opts.target}场` }] : [],
      targetKind: opts.target ? "场" : null,
      targetCount: opts.target ?? null,
      createdAt: at,
      updatedAt: at,
    },
  });
  const unit = (alias: string) => db.unit.findFirstOrThrow({ where: { aliases: { has: alias } } });
  await db.taskUnit.createMany({
    data: [
      { taskId: task.id, unitId: (await unit("环卫处")).id, role: "lead" },
      { taskId: task.id, unitId: (await unit("城东分局")).id, role: "support" },
    ],
  });
  return task.id;
}
