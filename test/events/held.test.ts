import { describe, expect, it } from "vitest";
import { seedTask, useEventChat } from "./support.ts";

const ctx = useEventChat();

async function lectureFor(task: string) {
  await ctx.chat
    .group("宣传科工作群")
    .as("张三")
    .says(`新建讲座 主题：垃圾分类进社区 时间：12月10日下午2点 地点：阳光社区 任务：${task}`)
    .expectReply(/已新建讲座 #1/);
}

describe("活动 5 已举办", () => {
  it("records the event and counts one toward its task, in the task's history", async () => {
    const taskId = await seedTask(ctx.chat, { code: "3.1", target: 4 });
    await lectureFor("3.1");
    ctx.chat.clock.set("2026-12-10T08:00:00Z");
    await ctx.chat
      .group("宣传科工作群")
      .as("张三")
      .says("活动 1 已举办")
      .expectReply("已记录：讲座 #1“垃圾分类进社区”已举办。\n任务 3.1 计 1 场，现在 1/4（25%）。");
    const reports = await ctx.chat.db.prisma.progressReport.findMany({ where: { taskId } });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      eventId: 1,
      kind: "count",
      countBefore: 0,
      countAfter: 1,
      note: "讲座“垃圾分类进社区”已举办（#1）",
    });
    expect(await ctx.chat.db.prisma.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({
      count: 1,
      percent: 25,
    });
    const task = await ctx.chat.group("宣传科工作群").as("张三").says("任务 3.1").expectReply(/3\.1/);
    expect(task).toContain("垃圾分类进社区");
    await ctx.chat
      .group("宣传科工作群")
      .as("李四")
      .says("讲座 1")
      .expectReply(/（已举办，2026年12月10日（周四）16:00记录）/);
  });

  it("refuses a second 已举办 and a re-delivered one, and counts once", async () => {
    const taskId = await seedTask(ctx.chat, { code: "3.1", target: 4 });
    await lectureFor("3.1");
    ctx.chat.clock.set("2026-12-10T08:00:00Z");
    const message = ctx.chat.incoming("张三", "活动 1 已举办", "宣传科工作群");
    await ctx.chat.bot.handle(message);
    const again = await ctx.chat.bot.handle(message);
    expect(again.map((m) => m.text)).toEqual([
      "#1 已经记为已举办了（2026年12月10日（周四）16:00记录），不会重复计数。",
    ]);
    await ctx.chat
      .group("宣传科工作群")
      .as("管理员")
      .says("讲座 1 已举办")
      .expectReply(/#1 已经记为已举办了.*不会重复计数/);
    expect((await ctx.chat.db.prisma.task.findUniqueOrThrow({ where: { id: taskId } })).count).toBe(1);
    expect(await ctx.chat.db.prisma.progressReport.count()).toBe(1);
  });

  it("is for the creator or an admin, after the start, and not for a cancelled event", async () => {
    await seedTask(ctx.chat, { code: "3.1", target: 4 });
    await lectureFor("3.1");
    const me = ctx.chat.group("宣传科工作群").as("张三");
    await me
      .says("活动 1 已举办")
      .expectReply(/#1 定在 2026年12月10日（周四）14:00，还没到时间。提前办了的话，先发“改期 1 时间：…”。/);
    ctx.chat.clock.set("2026-12-10T08:00:00Z");
    await ctx.chat
      .group("环卫处工作群")
      .as("李四")
      .says("活动 1 已举办")
      .expectReply("只有讲座的创建人或管理员可以记录 #1 已举办。");
    await ctx.chat
      .group("宣传科工作群")
      .as("管理员")
      .says("活动 1 已举办")
      .expectReply(/已记录/);
    await me.says("新建活动 主题：慰问 时间：12月20日下午3点").expectReply(/#2/);
    await me.says("取消活动 2 下雨").expectReply(/已取消活动 #2/);
    ctx.chat.clock.set("2026-12-21T08:00:00Z");
    await me.says("活动 2 已举办").expectReply("#2 已经取消了，不能记为已举办。");
  });

  it("records an event of a task without a counted target without changing the task", async () => {
    const taskId = await seedTask(ctx.chat, { code: "3.1" });
    await lectureFor("3.1");
    ctx.chat.clock.set("2026-12-10T08:00:00Z");
    await ctx.chat
      .group("宣传科工作群")
      .as("张三")
      .says("活动 1 已举办")
      .expectReply("已记录：讲座 #1“垃圾分类进社区”已举办。");
    expect(await ctx.chat.db.prisma.progressReport.count({ where: { taskId } })).toBe(0);
    expect((await ctx.chat.db.prisma.event.findUniqueOrThrow({ where: { id: 1 } })).status).toBe("held");
  });
});
