import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, type DomainSettings } from "../../src/bot/command.ts";
import { ensureDigestScheduled } from "../../src/domain/reports/digest-job.ts";
import { DIGEST_JOB } from "../../src/domain/reports/digest-schedule.ts";
import { startTestBot, type TestBot } from "../support/chat.ts";
import { DIGEST_NOW, seedDigest } from "./digest-seed.ts";
import { DIRECTORY } from "./support.ts";

const TZ = "Asia/Shanghai";
let chat: TestBot;

beforeAll(async () => {
  chat = await startTestBot({ directory: DIRECTORY, now: DIGEST_NOW });
});
afterAll(async () => {
  await chat?.close();
});
beforeEach(async () => {
  await chat.db.prisma.$executeRawUnsafe(
    "TRUNCATE plans, tasks, task_units, progress_reports, events, event_signups, drafts, votes, scheduled_jobs, outbox_messages RESTART IDENTITY CASCADE",
  );
  chat.clock.set(DIGEST_NOW);
  await seedDigest(chat.db.prisma);
});

const ensure = (settings: Partial<DomainSettings> = {}) =>
  ensureDigestScheduled(chat.db.prisma, chat.clock, { ...DEFAULT_SETTINGS, ...settings }, TZ);

const pendingDigests = () =>
  chat.db.prisma.scheduledJob.findMany({
    where: { kind: DIGEST_JOB, status: "pending" },
    select: { key: true, runAt: true },
  });

describe("汇总", () => {
  it("gives the group's unit: progress bars, this week's reports, overdue, events and drafts", async () => {
    const text = await chat
      .group("宣传科工作群")
      .as("张三")
      .says("汇总")
      .expectReply(/^【每周汇总】宣传科/);
    expect(text).toBe(
      [
        "【每周汇总】宣传科 · 11月26日（周四）",
        "【任务进度】2026年宣传工作要点：共 4 项，已完成 1 项，逾期 1 项",
        "1.1 开展垃圾分类宣讲 ▓▓▓▓▓░░░░░ 2/4 截止 12月31日",
        "2.1 环卫工人风采展示（配合） ▓░░░░░░░░░ 10%",
        "【本周进展】近 7 天 1 条汇报",
        "· 11月24日 11:00 1.1 开展垃圾分类宣讲 +1（2/4） 张三：第二场已举办",
        "【逾期未完成】1 项",
        "· 1.2 更新宣传栏 ▓▓▓░░░░░░░ 30% 截止 10月31日，逾期 26 天",
        "【近期活动】未来 14 天 1 场",
        "· 12月3日（周四）14:00 讲座《垃圾分类知识》#1 三楼会议室，已报名 2 人",
        "【待审稿件】1 篇",
        "· #1 微博《冬季市容整治》 张三送审，在“科室负责人”，截止 11月27日 08:00",
        "发「任务」看全部任务，「逾期」看逾期详情，「汇总 全部」看全局。",
      ].join("\n"),
    );
  });

  it("shows another unit's events (by group or by task) and drafts only to that unit", async () => {
    const text = await chat
      .group("环卫处工作群")
      .as("李四")
      .says("汇总")
      .expectReply(/^【每周汇总】环卫处/);
    expect(text).toContain("2.2 垃圾分类督查通报 ▓▓░░░░░░░░ 20% 截止 12月15日");
    expect(text).toContain("· 11月25日 14:30 2.2 垃圾分类督查通报 0%→20% 李四：完成第一轮督查");
    expect(text).toContain("【逾期未完成】没有。");
    expect(text).toContain("· 12月1日（周二）10:00 发布会《垃圾分类成果发布》#3，已报名 0 人");
    expect(text).toContain("· #2 网站《环卫工人节专题》 李四送审");
    expect(text).not.toContain("垃圾分类知识");
    expect(text).not.toContain("冬季市容整治");
  });

  it("gives every unit with 全部, in a group without a unit, and names a unit on request", async () => {
    const all = await chat
      .group("宣传科工作群")
      .as("张三")
      .says("汇总 全部")
      .expectReply(/^【每周汇总】全部单位/);
    expect(all).toContain("【任务进度】2026年宣传工作要点：共 5 项，已完成 1 项，逾期 1 项");
    expect(all).toContain("宣传科 ▓▓▓░░░░░░░ 完成 1/3，逾期 1");
    expect(all).toContain("环卫处 ░░░░░░░░░░ 完成 0/2，逾期 0");
    expect(all).toContain("· 宣传科 1.2 更新宣传栏");
    expect(all).toContain("【近期活动】未来 14 天 2 场");
    expect(all).toContain("【待审稿件】2 篇");
    const leaders = await chat
      .group("领导群")
      .as("王局长")
      .says("汇总")
      .expectReply(/^【每周汇总】全部单位/);
    expect(leaders).toBe(all);
    await chat
      .dm("王局长")
      .says("汇总 环卫处")
      .expectReply(/^【每周汇总】环卫处/);
    await chat
      .group("领导群")
      .as("王局长")
      .says("汇总 城西")
      .expectReply(/没有叫「城西」的单位/);
  });

  it("says so when there is no plan and nothing else", async () => {
    await chat.db.prisma.$executeRawUnsafe(
      "TRUNCATE plans, tasks, task_units, progress_reports, events, event_signups, drafts, votes RESTART IDENTITY CASCADE",
    );
    const text = await chat
      .group("宣传科工作群")
      .as("张三")
      .says("汇总")
      .expectReply(/还没有导入工作计划/);
    expect(text).toContain("【本周进展】近 7 天没有新的进度汇报。");
    expect(text).toContain("【近期活动】未来 14 天没有安排。");
    expect(text).toContain("【待审稿件】没有。");
  });
});

describe("the weekly digest", () => {
  it("is planned once at start-up for the next Monday 09:00, however often start-up runs", async () => {
    const first = await ensure();
    expect(first).toEqual({ week: "2026-11-30", runAt: new Date("2026-11-30T01:00:00Z") });
    await ensure();
    await ensure();
    expect(await pendingDigests()).toEqual([
      { key: "digest:weekly:2026-11-30", runAt: new Date("2026-11-30T01:00:00Z") },
    ]);
  });

  it("posts on Monday 09:00 in Shanghai to every group, once, and plans the next week", async () => {
    await ensure();
    await chat.advanceTo("2026-11-30T00:59:00Z");
    expect(await chat.announcements()).toEqual([]);
    await chat.advanceTo("2026-11-30T01:00:00Z");
    const sent = await chat.announcements();
    expect(sent.map((a) => a.to)).toEqual(["宣传科工作群", "环卫处工作群", "领导群"]);
    expect(sent[0]?.text).toMatch(/^【每周汇总】宣传科 · 11月30日（周一）\n/);
    expect(sent[0]?.text).toContain("· 11月24日 11:00 1.1 开展垃圾分类宣讲 +1（2/4） 张三：第二场已举办");
    expect(sent[0]?.text).toContain("逾期 30 天");
    expect(sent[1]?.text).toMatch(/^【每周汇总】环卫处 · 11月30日（周一）\n/);
    expect(sent[2]?.text).toMatch(/^【每周汇总】全部单位 · 11月30日（周一）\n/);
    expect(await pendingDigests()).toEqual([
      { key: "digest:weekly:2026-12-07", runAt: new Date("2026-12-07T01:00:00Z") },
    ]);

    // A restart, and the scheduler looking again, change nothing: the week ran.
    await ensure();
    await chat.advanceTo("2026-11-30T03:00:00Z");
    expect(await chat.announcements()).toEqual([]);
    expect(await pendingDigests()).toHaveLength(1);

    await chat.advanceTo("2026-12-07T01:00:00Z");
    expect((await chat.announcements()).map((a) => a.text.split("\n")[0])).toEqual([
      "【每周汇总】宣传科 · 12月7日（周一）",
      "【每周汇总】环卫处 · 12月7日（周一）",
      "【每周汇总】全部单位 · 12月7日（周一）",
    ]);
    expect(await pendingDigests()).toEqual([
      { key: "digest:weekly:2026-12-14", runAt: new Date("2026-12-14T01:00:00Z") },
    ]);
  });

  it("waits for the next working day when Monday is a holiday (国庆 2026: Thursday 8 October)", async () => {
    chat.clock.set("2026-09-30T02:00:00Z");
    expect(await ensure()).toEqual({ week: "2026-10-05", runAt: new Date("2026-10-08T01:00:00Z") });
    await chat.advanceTo("2026-10-05T01:00:00Z");
    expect(await chat.announcements()).toEqual([]);
    await chat.advanceTo("2026-10-08T01:00:00Z");
    const sent = await chat.announcements();
    expect(sent.map((a) => a.text.split("\n")[0])).toEqual([
      "【每周汇总】宣传科 · 10月8日（周四）",
      "【每周汇总】环卫处 · 10月8日（周四）",
      "【每周汇总】全部单位 · 10月8日（周四）",
    ]);
    expect(await pendingDigests()).toEqual([
      { key: "digest:weekly:2026-10-12", runAt: new Date("2026-10-12T01:00:00Z") },
    ]);
  });

  it("skips a digest more than a day late (the server was down) but keeps the chain", async () => {
    await ensure();
    await chat.advanceTo("2026-12-01T02:00:00Z");
    expect(await chat.announcements()).toEqual([]);
    const job = await chat.db.prisma.scheduledJob.findUniqueOrThrow({
      where: { key: "digest:weekly:2026-11-30" },
    });
    expect(job.status).toBe("skipped");
    expect(await pendingDigests()).toEqual([
      { key: "digest:weekly:2026-12-07", runAt: new Date("2026-12-07T01:00:00Z") },
    ]);
  });

  it("sends nothing to a group with nothing to report", async () => {
    await chat.db.prisma.$executeRawUnsafe(
      "TRUNCATE plans, tasks, task_units, progress_reports, events, event_signups, drafts, votes RESTART IDENTITY CASCADE",
    );
    await ensure();
    await chat.advanceTo("2026-11-30T01:00:00Z");
    expect(await chat.announcements()).toEqual([]);
    expect(await pendingDigests()).toHaveLength(1);
  });

  it("follows a changed schedule, and DIGEST_SCHEDULE=off cancels it", async () => {
    await ensure();
    expect(await ensure({ digestSchedule: { weekday: 5, hour: 17, minute: 30 } })).toEqual({
      week: "2026-11-27",
      runAt: new Date("2026-11-27T09:30:00Z"),
    });
    expect(await pendingDigests()).toEqual([
      { key: "digest:weekly:2026-11-27", runAt: new Date("2026-11-27T09:30:00Z") },
    ]);
    expect(await ensure({ digestSchedule: null })).toBeNull();
    expect(await pendingDigests()).toEqual([]);
  });

  it("leaves a digest that is due (after downtime) to the scheduler", async () => {
    await ensure();
    chat.clock.set("2026-11-30T05:00:00Z");
    expect(await ensure()).toEqual({ week: "2026-11-30", runAt: new Date("2026-11-30T01:00:00Z") });
    await chat.advance(0);
    expect((await chat.announcements()).map((a) => a.to)).toEqual(["宣传科工作群", "环卫处工作群", "领导群"]);
  });
});
