import { afterAll, beforeAll, beforeEach } from "vitest";
import type { DomainSettings } from "../../src/bot/command.ts";
import type { ApprovalDeps } from "../../src/cli/approval.ts";
import { startTestBot, type TestBot } from "../support/chat.ts";

/** 10:00 in Shanghai on Thursday 26 November 2026. */
export const START = "2026-11-26T02:00:00Z";
export const GROUP = "宣传科工作群";
export const OTHER_GROUP = "办公室群";

/**
 * 张三 writes, 宣传科's leaders 李四 and 王五 sign first (any of them), then two of 赵六, 钱七 and 管理员.
 * 网站 needs all of 李四, 王五 (and 张三, who never signs his own drafts); 简报 needs two of 李四 and
 * 张三, so a draft 张三 submits there could never pass.
 */
export const DIRECTORY = `
units:
  - { name: 宣传科, aliases: [] }
  - { name: 办公室, aliases: [] }
people:
  - { name: 张三, unit: 宣传科, roles: [member] }
  - { name: 李四, unit: 宣传科, roles: [leader] }
  - { name: 王五, unit: 宣传科, roles: [leader] }
  - { name: 赵六, unit: 办公室, roles: [leader] }
  - { name: 钱七, unit: 办公室, roles: [leader] }
  - { name: 孙八, unit: 办公室, roles: [member] }
  - { name: 管理员, unit: 办公室, roles: [admin] }
groups:
  - { name: ${GROUP}, platform: local, chat_id: "group:${GROUP}", unit: 宣传科 }
  - { name: ${OTHER_GROUP}, platform: local, chat_id: "group:${OTHER_GROUP}", unit: 办公室 }
channels:
  - name: 微博
    aliases: [weibo]
    deadline_hours: 24
    stages:
      - name: 科室负责人
        mode: any
        approvers: [{ role: leader, unit: 宣传科 }]
      - name: 分管领导
        mode: k
        k: 2
        approvers: [{ person: 赵六 }, { person: 钱七 }, { person: 管理员 }]
  - name: 网站
    deadline_hours: 48
    stages:
      - { name: 科室, mode: all, approvers: [{ person: 李四 }, { person: 王五 }, { person: 张三 }] }
  - name: 简报
    stages:
      - { name: 科室, mode: k, k: 2, approvers: [{ person: 李四 }, { person: 张三 }] }
`;

export const TABLES = "drafts, draft_versions, votes, audit_records, scheduled_jobs, outbox_messages";

/**
 * One bot (one PGlite) per test file; every test starts from no drafts, no jobs, no queued messages,
 * draft numbers from 1, and the clock at START.
 */
export function useApprovalBot(settings: Partial<DomainSettings> = {}): { readonly chat: TestBot } {
  let bot: TestBot | undefined;
  beforeAll(async () => {
    bot = await startTestBot({ directory: DIRECTORY, now: START, settings });
  });
  afterAll(async () => {
    await bot?.close();
  });
  beforeEach(async () => {
    if (!bot) return;
    await bot.db.prisma.$executeRawUnsafe(`TRUNCATE ${TABLES} RESTART IDENTITY CASCADE`);
    bot.clock.set(START);
  });
  return {
    get chat() {
      if (!bot) throw new Error("bot not started yet");
      return bot;
    },
  };
}

export const WEIBO = "送审 微博 标题：垃圾分类宣传周 本周起，全市开展垃圾分类宣传。\n欢迎市民参加。";

export async function draftRow(chat: TestBot, id: number) {
  return chat.db.prisma.draft.findUniqueOrThrow({ where: { id } });
}

export async function voteCount(chat: TestBot, id?: number): Promise<number> {
  return chat.db.prisma.vote.count({ where: id === undefined ? {} : { draftId: id } });
}

/** Who got something since the last look, in order: group names and `dm:姓名`. */
export async function recipients(chat: TestBot): Promise<string[]> {
  return (await chat.announcements()).map((a) => a.to);
}

/** The one announcement (or one-to-one message) that went to `to` since the last look. */
export function sentTo(list: { to: string; text: string }[], to: string): string {
  const found = list.filter((a) => a.to === to);
  if (found.length !== 1) throw new Error(`expected one message to ${to}, got ${JSON.stringify(list)}`);
  return found[0]?.text ?? "";
}

/** Runs a `huibao …` subcommand (approval, audit) against the test database, keeping what it printed. */
export async function runCli(
  run: (argv: string[], deps: ApprovalDeps) => Promise<number>,
  chat: TestBot,
  argv: string[],
): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, {
    db: chat.db.prisma,
    timezone: "Asia/Shanghai",
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out, err };
}
