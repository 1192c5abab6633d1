import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/bot/command.ts";
import { jobHandlers } from "../../src/jobs/job-handlers.ts";
import { Outbox } from "../../src/jobs/outbox.ts";
import { Scheduler } from "../../src/jobs/scheduler.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { createNoticeRouter, type NoticeRouter } from "../../src/platforms/notices.ts";
import type { TestBot } from "../support/chat.ts";
import { useEventChat } from "./support.ts";

const ctx = useEventChat();

const LECTURE =
  "新建讲座 主题：垃圾分类知识 时间：12月10日下午2点 地点：三楼会议室 主讲：李秀英 群：宣传科 环卫处";
const FACTS = "时间：2026年12月10日（周四）14:00\n地点：三楼会议室\n主讲：李秀英";

async function lecture(text = LECTURE) {
  await ctx.chat
    .group("宣传科工作群")
    .as("张三")
    .says(text)
    .expectReply(/已新建讲座/);
  await ctx.chat.announcements();
}

const head = (text: string) => text.split("\n")[0];

async function jobStatuses() {
  const rows = await ctx.chat.db.prisma.scheduledJob.findMany({ orderBy: { id: "asc" } });
  return Object.fromEntries(rows.map((r) => [r.key, r.status]));
}

/** A second scheduler over the same database: another replica, or the process after a restart. */
function replica(chat: TestBot, opts: { router?: NoticeRouter; batchSize?: number } = {}) {
  const logger = createLogger("silent");
  return new Scheduler({
    db: chat.db.prisma,
    clock: chat.clock,
    outbox: new Outbox(chat.db.prisma, chat.clock, {
      leaseMs: 60_000,
      maxAttempts: 3,
      ratePerMinute: () => Number.POSITIVE_INFINITY,
    }),
    router: opts.router ?? createNoticeRouter({}, logger),
    handlers: jobHandlers,
    timezone: "Asia/Shanghai",
    settings: DEFAULT_SETTINGS,
    logger,
    batchSize: opts.batchSize,
  });
}

describe("event reminders", () => {
  it("go out 7 days, 1 day and 2 hours before, to the event's groups, saying how long until it starts", async () => {
    await lecture();
    await ctx.chat
      .group("环卫处工作群")
      .as("李四")
      .says("报名 1")
      .expectReply(/报名成功/);

    await ctx.chat.advanceTo("2026-12-03T05:59:59Z");
    expect(await ctx.chat.announcements()).toEqual([]);
    await ctx.chat.advanceTo("2026-12-03T06:00:00Z");
    const week = await ctx.chat.announcements();
    expect(week.map((a) => a.to)).toEqual(["宣传科工作群", "环卫处工作群"]);
    expect(week[0]?.text).toBe(
      `【讲座提醒】垃圾分类知识（#1）还有 7 天开始\n${FACTS}\n已报名 1 人，回复“报名 1”报名`,
    );

    await ctx.chat.advanceTo("2026-12-09T05:59:00Z");
    expect(await ctx.chat.announcements()).toEqual([]);
    await ctx.chat.advanceTo("2026-12-09T06:00:30Z");
    const day = await ctx.chat.announcements();
    expect(day.map((a) => a.to)).toEqual(["宣传科工作群", "环卫处工作群"]);
    expect(day[0]?.text).toMatch(/^【讲座提醒】垃圾分类知识（#1）还有 1 天开始\n/);

    await ctx.chat.advanceTo("2026-12-10T03:59:59Z");
    expect(await ctx.chat.announcements()).toEqual([]);
    await ctx.chat.advanceTo("2026-12-10T04:00:00Z");
    const soon = await ctx.chat.announcements();
    expect(soon).toHaveLength(2);
    expect(soon[1]?.text).toMatch(/^【讲座提醒】垃圾分类知识（#1）还有 2 小时开始\n/);

    await ctx.chat.advanceTo("2026-12-11T00:00:00Z");
    expect(await ctx.chat.announcements()).toEqual([]);
  });

  it("move a day-scale reminder that falls on a weekend to the previous working day", async () => {
    // Monday 2026-12-14 10:00: "one day before" is a Sunday.
    await ctx.chat
      .group("宣传科工作群")
      .as("张三")
      .says("新建发布会 主题：年度成果 时间：12月14日上午10点 地点：新闻中心")
      .expectReply(/提醒：12月7日（周一）10:00、12月11日（周五）10:00、12月14日（周一）08:00/);
    await ctx.chat.advanceTo("2026-12-07T02:00:00Z");
    expect((await ctx.chat.announcements()).map((a) => head(a.text))).toEqual([
      "【发布会提醒】年度成果（#1）还有 7 天开始",
    ]);
    await ctx.chat.advanceTo("2026-12-11T01:59:00Z");
    expect(await ctx.chat.announcements()).toEqual([]);
    await ctx.chat.advanceTo("2026-12-11T02:00:00Z");
    const friday = await ctx.chat.announcements();
    expect(friday.map((a) => a.to)).toEqual(["宣传科工作群"]);
    expect(friday[0]?.text).toMatch(/^【发布会提醒】年度成果（#1）还有 3 天开始\n/);
    await ctx.chat.advanceTo("2026-12-13T03:00:00Z");
    expect(await ctx.chat.announcements()).toEqual([]);
  });

  it("follow a reschedule: the old ones never fire, the new ones do, and everyone is told", async () => {
    await lecture();
    await ctx.chat
      .group("宣传科工作群")
      .as("王五")
      .says("报名 1")
      .expectReply(/报名成功/);
    const reply = await ctx.chat
      .group("宣传科工作群")
      .as("张三")
      .says("改期 1 时间：12月11日上午10点")
      .expectReply(/已改期：讲座 #1“垃圾分类知识”/);
    expect(reply).toContain("原定：2026年12月10日（周四）14:00\n改为：2026年12月11日（周五）10:00");
    expect(reply).toContain("提醒：12月4日（周五）10:00、12月10日（周四）10:00、12月11日（周五）08:00");
    expect(reply).toContain("已通知：环卫处工作群");
    const told = await ctx.chat.announcements();
    expect(told.map((a) => a.to)).toEqual(["环卫处工作群", "dm:王五"]);
    expect(told[0]?.text).toBe(
      "【讲座改期】垃圾分类知识（#1）\n原定：2026年12月10日（周四）14:00\n改为：2026年12月11日（周五）10:00\n地点：三楼会议室\n主讲：李秀英\n已报名的不用重新报名；还没报名的回复“报名 1”报名",
    );
    expect(told[1]?.text).toMatch(
      /改为：2026年12月11日（周五）10:00\n[\s\S]*你的报名仍然有效，不用重新报名。$/,
    );
    expect((await ctx.chat.db.prisma.event.findUniqueOrThrow({ where: { id: 1 } })).revision).toBe(2);

    await ctx.chat.advanceTo("2026-12-03T06:00:00Z"); // the old 7-day reminder
    expect(await ctx.chat.announcements()).toEqual([]);
    await ctx.chat.advanceTo("2026-12-04T02:00:00Z");
    const week = await ctx.chat.announcements();
    expect(week.map((a) => a.to)).toEqual(["宣传科工作群", "环卫处工作群"]);
    expect(week[0]?.text).toContain("还有 7 天开始\n时间：2026年12月11日（周五）10:00");
    await ctx.chat.advanceTo("2026-12-10T02:00:00Z");
    expect((await ctx.chat.announcements()).map((a) => head(a.text))).toEqual([
      "【讲座提醒】垃圾分类知识（#1）还有 1 天开始",
      "【讲座提醒】垃圾分类知识（#1）还有 1 天开始",
    ]);
    await ctx.chat.advanceTo("2026-12-10T06:00:00Z"); // the old 1-day one
    expect(await ctx.chat.announcements()).toEqual([]);
    await ctx.chat.advanceTo("2026-12-11T00:00:00Z");
    expect((await ctx.chat.announcements()).map((a) => a.text)).toEqual([
      expect.stringContaining("还有 2 小时开始"),
      expect.stringContaining("还有 2 小时开始"),
    ]);
    const statuses = await jobStatuses();
    expect(
      Object.entries(statuses)
        .filter(([k]) => k.startsWith("event:1:r1:"))
        .map(([, s]) => s),
    ).toEqual(["cancelled", "cancelled", "cancelled"]);
  });

  it("refuse a reschedule by someone else, to the same time, to the past, and to nonsense", async () => {
    await lecture();
    await ctx.chat
      .group("环卫处工作群")
      .as("李四")
      .says("改期 1 时间：12月11日上午10点")
      .expectReply("只有讲座的创建人或管理员可以改动 #1。");
    const me = ctx.chat.group("宣传科工作群").as("张三");
    await me.says("改期 1 时间：12月10日下午2点").expectReply("#1 本来就是这个时间，没有改动。");
    await me.says("改期 1 时间：今天上午9点").expectReply(/已经过去了/);
    await me.says("改期 1 时间：下周八").expectReply(/没看懂时间“下周八”/);
    await ctx.chat
      .group("宣传科工作群")
      .as("管理员")
      .says("改期 1 12月12日上午9点")
      .expectReply(/改为：2026年12月12日（周六）09:00/);
  });

  it("stop when the event is cancelled, and the cancellation is announced", async () => {
    await lecture();
    await ctx.chat
      .group("环卫处工作群")
      .as("李四")
      .says("报名 1")
      .expectReply(/报名成功/);
    await ctx.chat
      .group("环卫处工作群")
      .as("李四")
      .says("取消活动 1")
      .expectReply(/只有讲座的创建人或管理员/);
    await ctx.chat
      .group("宣传科工作群")
      .as("张三")
      .says("取消活动 1 场地冲突，另行通知")
      .expectReply(
        /已取消讲座 #1“垃圾分类知识”（场地冲突，另行通知），待发的提醒不再发送。\n已通知：环卫处工作群\n已单独告知报名的 1 人。/,
      );
    const told = await ctx.chat.announcements();
    expect(told.map((a) => a.to)).toEqual(["环卫处工作群", "dm:李四"]);
    expect(told[0]?.text).toBe(
      "【讲座取消】垃圾分类知识（#1）\n原定 2026年12月10日（周四）14:00在三楼会议室举行，现已取消。\n理由：场地冲突，另行通知",
    );
    await ctx.chat.group("宣传科工作群").as("张三").says("取消活动 1").expectReply("#1 已经取消了。");
    await ctx.chat.advanceTo("2026-12-11T00:00:00Z");
    expect(await ctx.chat.announcements()).toEqual([]);
    expect(Object.values(await jobStatuses())).toEqual(["cancelled", "cancelled", "cancelled"]);
    await ctx.chat
      .group("宣传科工作群")
      .as("张三")
      .says("活动 1")
      .expectReply(/（已取消，理由：场地冲突，另行通知）/);
  });

  it("after downtime go out late and say so; only the one nearest the start when several are due", async () => {
    await lecture();
    // Down from before the 7-day reminder until three hours after the 1-day one.
    await ctx.chat.advanceTo("2026-12-09T09:00:00Z");
    const late = await ctx.chat.announcements();
    expect(late.map((a) => a.to)).toEqual(["宣传科工作群", "环卫处工作群"]);
    expect(late[0]?.text).toBe(
      `【讲座提醒】垃圾分类知识（#1）还有 21 小时开始（提醒晚发了 3 小时）\n${FACTS}\n回复“报名 1”报名`,
    );
    expect(await jobStatuses()).toEqual({
      "event:1:r1:remind:604800000": "skipped",
      "event:1:r1:remind:86400000": "done",
      "event:1:r1:remind:7200000": "pending",
    });
  });

  it("of an event that has already started are skipped, not sent", async () => {
    await lecture();
    await ctx.chat.advanceTo("2026-12-10T06:30:00Z");
    expect(await ctx.chat.announcements()).toEqual([]);
    expect(Object.values(await jobStatuses())).toEqual(["skipped", "skipped", "skipped"]);
  });

  it("are not planned when their time is already past at creation", async () => {
    await ctx.chat
      .group("宣传科工作群")
      .as("张三")
      .says("新建讲座 主题：控烟 时间：今天下午3点")
      .expectReply(/提醒：11月26日（周四）13:00/);
    expect(Object.keys(await jobStatuses())).toEqual(["event:1:r1:remind:7200000"]);
    await ctx.chat
      .group("宣传科工作群")
      .as("张三")
      .says("新建讲座 主题：禁毒 时间：一小时后")
      .expectReply(/提醒：离开始太近，不再另发提醒/);
  });

  it("go out once when two schedulers run the same due batch", async () => {
    for (const topic of ["甲", "乙", "丙"])
      await lecture(`新建讲座 主题：${topic} 时间：12月10日下午2点 群：全部`);
    const other = replica(ctx.chat);
    ctx.chat.clock.set("2026-12-03T06:00:00Z");
    const [a, b] = await Promise.all([ctx.chat.scheduler.runDue(), other.runDue()]);
    expect(a + b).toBe(3);
    const sent = await ctx.chat.announcements();
    expect(sent).toHaveLength(9);
    expect(new Set(sent.map((s) => `${s.to} ${s.text.slice(0, 12)}`)).size).toBe(9);
  });

  it("go out once when the process dies in the middle of a due batch and starts again", async () => {
    for (const topic of ["甲", "乙", "丙", "丁"])
      await lecture(`新建讲座 主题：${topic} 时间：12月10日下午2点 群：环卫处`);
    ctx.chat.clock.set("2026-12-03T06:00:00Z");
    // The first process commits two reminders, claims the other two, and dies before committing them.
    expect(await replica(ctx.chat, { batchSize: 2 }).step()).toBe(2);
    await ctx.chat.db.prisma.$executeRaw`
      UPDATE scheduled_jobs SET locked_until = ${new Date("2026-12-03T06:01:00Z")}, attempts = attempts + 1
       WHERE status = 'pending' AND run_at <= ${ctx.chat.clock.now()}`;
    expect((await ctx.chat.announcements()).map((a) => head(a.text))).toEqual([
      "【讲座提醒】甲（#1）还有 7 天开始",
      "【讲座提醒】乙（#2）还有 7 天开始",
    ]);
    // The new process: the dead one's lease holds them until it runs out, then they go out once.
    expect(await ctx.chat.scheduler.runDue()).toBe(0);
    await ctx.chat.advanceTo("2026-12-03T06:01:00Z");
    expect((await ctx.chat.announcements()).map((a) => head(a.text))).toEqual([
      "【讲座提醒】丙（#3）还有 7 天开始",
      "【讲座提醒】丁（#4）还有 7 天开始",
    ]);
    await ctx.chat.advanceTo("2026-12-03T08:00:00Z");
    expect(await ctx.chat.announcements()).toEqual([]);
  });

  it("go out once when queueing them fails once and the batch is retried", async () => {
    for (const topic of ["甲", "乙"])
      await lecture(`新建讲座 主题：${topic} 时间：12月10日下午2点 群：环卫处`);
    const real = createNoticeRouter({}, createLogger("silent"));
    let calls = 0;
    const flaky: NoticeRouter = async (db, notices) => {
      calls += 1;
      if (calls === 1) throw new Error("connection reset");
      return real(db, notices);
    };
    ctx.chat.clock.set("2026-12-03T06:00:00Z");
    await replica(ctx.chat, { router: flaky }).runDue();
    expect(calls).toBe(3); // the batch failed; each reminder was retried on its own
    await ctx.chat.advanceTo("2026-12-03T07:00:00Z");
    expect((await ctx.chat.announcements()).map((a) => head(a.text))).toEqual([
      "【讲座提醒】甲（#1）还有 7 天开始",
      "【讲座提醒】乙（#2）还有 7 天开始",
    ]);
  });
});
