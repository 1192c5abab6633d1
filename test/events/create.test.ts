import { describe, expect, it } from "vitest";
import { seedTask, useEventChat } from "./support.ts";

const ctx = useEventChat();

describe("新建讲座 / 新建发布会 / 新建活动", () => {
  it("understands fields in any order and echoes the time in full, the number and how to sign up", async () => {
    const reply = await ctx.chat
      .group("宣传科工作群")
      .as("张三")
      .says("新建讲座 地点：三楼会议室 时间：12月10日下午2点 主讲：李秀英 主题：垃圾分类知识")
      .expectReply("已新建讲座 #1：垃圾分类知识");
    expect(reply).toContain("时间：2026年12月10日（周四）14:00");
    expect(reply).toContain("地点：三楼会议室");
    expect(reply).toContain("主讲：李秀英");
    expect(reply).toContain("通知：宣传科工作群");
    expect(reply).toContain("提醒：12月3日（周四）14:00、12月9日（周三）14:00、12月10日（周四）12:00");
    expect(reply).toContain("回复“报名 1”报名");
    const e = await ctx.chat.db.prisma.event.findUniqueOrThrow({ where: { id: 1 } });
    expect(e).toMatchObject({
      kind: "lecture",
      topic: "垃圾分类知识",
      place: "三楼会议室",
      speaker: "李秀英",
    });
    expect(e.startsAt.toISOString()).toBe("2026-12-10T06:00:00.000Z");
  });

  it("takes several lines, full-width and ASCII colons, and the name glued to the first field", async () => {
    await ctx.chat
      .group("宣传科工作群")
      .as("张三")
      .says("新建发布会主题:城市管理年度成果\n时间：12月5号 10:00\n地点: 新闻中心\n发言人：王建国")
      .expectReply(
        /已新建发布会 #1：城市管理年度成果\n时间：2026年12月5日（周六）10:00\n地点：新闻中心\n发言人：王建国/,
      );
  });

  it("takes unlabelled text before the fields as the topic", async () => {
    await ctx.chat
      .group("宣传科工作群")
      .as("张三")
      .says("新建活动 环卫工人慰问 时间：明天下午3点")
      .expectReply(/已新建活动 #1：环卫工人慰问\n时间：2026年11月27日（周五）15:00\n地点：待定/);
  });

  it("asks for a missing topic or time with an example", async () => {
    const g = ctx.chat.group("宣传科工作群").as("张三");
    await g.says("新建讲座 时间：明天下午3点").expectReply(/请写上讲座的主题，例如：\n新建讲座 主题：/);
    await g.says("新建讲座 主题：控烟").expectReply(/请写上讲座的时间/);
    await g.says("新建讲座").expectReply(/请写上讲座的主题和时间/);
    expect(await ctx.chat.db.prisma.event.count()).toBe(0);
  });

  it("says why a time is not understood, refuses a past time and a date without a clock time", async () => {
    const g = ctx.chat.group("宣传科工作群").as("张三");
    await g.says("新建讲座 主题：控烟 时间：2月30日下午3点").expectReply(/没看懂时间“2月30日下午3点”：.+/);
    await g
      .says("新建讲座 主题：控烟 时间：今天上午9点")
      .expectReply("2026年11月26日（周四）09:00 已经过去了，请写一个将来的时间。");
    await g.says("新建讲座 主题：控烟 时间：12月10日").expectReply(/没看懂时间“12月10日”/);
    expect(await ctx.chat.db.prisma.event.count()).toBe(0);
  });

  it("announces a new event that is more than a day away to the chosen groups, not back to this one", async () => {
    await ctx.chat
      .group("宣传科工作群")
      .as("张三")
      .says(
        "新建讲座 主题：垃圾分类知识 时间：12月10日下午2点 地点：三楼会议室 主讲：李秀英 群：宣传科 环卫处",
      )
      .expectReply(/通知：宣传科工作群、环卫处工作群/);
    const sent = await ctx.chat.announcements();
    expect(sent.map((a) => a.to)).toEqual(["环卫处工作群"]);
    expect(sent[0]?.text).toBe(
      "【讲座预告】垃圾分类知识（#1）\n时间：2026年12月10日（周四）14:00\n地点：三楼会议室\n主讲：李秀英\n回复“报名 1”报名",
    );
  });

  it("does not announce at once an event less than a day away; only the reminders still ahead are planned", async () => {
    const reply = await ctx.chat
      .group("宣传科工作群")
      .as("张三")
      .says("新建活动 主题：周例会 时间：明天上午9点 群：全部")
      .expectReply(/通知：宣传科工作群、环卫处工作群、城东分局群/);
    expect(reply).toContain("提醒：11月27日（周五）07:00");
    expect(await ctx.chat.announcements()).toEqual([]);
  });

  it("by default tells the groups of the task's lead and support units", async () => {
    await seedTask(ctx.chat, { code: "3.1", target: 4 });
    const reply = await ctx.chat
      .group("宣传科工作群")
      .as("张三")
      .says("新建讲座 主题：垃圾分类进社区 时间：12月10日下午2点 任务：3.1")
      .expectReply(/已新建讲座 #1/);
    expect(reply).toContain("任务：3.1 开展垃圾分类进社区宣讲");
    expect(reply).toContain("通知：环卫处工作群、城东分局群");
    expect((await ctx.chat.announcements()).map((a) => a.to)).toEqual(["环卫处工作群", "城东分局群"]);
  });

  it("refuses an unknown task, unknown groups, and a one-to-one chat without 群", async () => {
    const g = ctx.chat.group("宣传科工作群").as("张三");
    await g.says("新建讲座 主题：控烟 时间：12月10日下午2点 任务：3.1").expectReply(/还没有导入工作计划/);
    await seedTask(ctx.chat, { code: "3.1" });
    await g.says("新建讲座 主题：控烟 时间：12月10日下午2点 任务：9.9").expectReply(/里没有任务 9.9/);
    await g.says("新建讲座 主题：控烟 时间：12月10日下午2点 任务：九").expectReply(/任务编号“九”看不懂/);
    await g
      .says("新建讲座 主题：控烟 时间：12月10日下午2点 群：宣传科 火星群")
      .expectReply("不认识这些群或单位：火星群。“群：”后面可以写群名、单位名，或“全部”。");
    await ctx.chat
      .dm("张三")
      .says("新建讲座 主题：控烟 时间：12月10日下午2点")
      .expectReply(/请用“群：”写上要通知的群/);
    expect(await ctx.chat.db.prisma.event.count()).toBe(0);
  });

  it("lets any placed person create, but not someone the directory does not know", async () => {
    await ctx.chat
      .group("宣传科工作群")
      .as("王局长")
      .says("新建讲座 主题：控烟 时间：12月10日下午2点")
      .expectReply(/已新建讲座 #1/);
    await ctx.chat
      .group("宣传科工作群")
      .as("路人甲")
      .says("新建讲座 主题：控烟 时间：12月10日下午2点")
      .expectReply(/你还没有登记到通讯录/);
    expect(await ctx.chat.db.prisma.event.count()).toBe(1);
  });

  it("creates one event when the same message is delivered twice", async () => {
    const message = ctx.chat.incoming(
      "张三",
      "新建讲座 主题：控烟 时间：12月10日下午2点 群：环卫处",
      "宣传科工作群",
    );
    await ctx.chat.bot.handle(message);
    const again = await ctx.chat.bot.handle(message);
    expect(again.filter((m) => !m.to).map((m) => m.text)[0]).toMatch(/这场讲座已经建好了，不用重发：#1 控烟/);
    expect(again.filter((m) => m.to)).toEqual([]);
    expect(await ctx.chat.db.prisma.event.count()).toBe(1);
    expect(await ctx.chat.db.prisma.scheduledJob.count()).toBe(3);
  });

  it("lists the command and its rules in help", async () => {
    const reply = await ctx.chat
      .group("宣传科工作群")
      .as("张三")
      .says("帮助 新建讲座")
      .expectReply(/新建讲座/);
    expect(reply).toContain("改期、取消、记录已举办限创建人或管理员");
  });
});
