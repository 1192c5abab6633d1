import { describe, expect, it } from "vitest";
import { useEventChat } from "./support.ts";

const ctx = useEventChat();

async function plan() {
  const g = ctx.chat.group("宣传科工作群").as("张三");
  await g
    .says("新建讲座 主题：垃圾分类知识 时间：12月10日下午2点 地点：三楼会议室 主讲：李秀英")
    .expectReply(/#1/);
  await g
    .says("新建发布会 主题：年度成果 时间：12月5日上午10点 地点：新闻中心 发言人：王建国")
    .expectReply(/#2/);
  await g.says("新建活动 主题：慰问环卫工人 时间：12月20日下午3点").expectReply(/#3/);
  await ctx.chat.announcements();
}

describe("活动 / 讲座 / 发布会, 报名 / 取消报名", () => {
  it("lists upcoming events soonest first; 讲座 and 发布会 list their own kind", async () => {
    await plan();
    const all = await ctx.chat
      .group("环卫处工作群")
      .as("李四")
      .says("活动")
      .expectReply(/近期的活动（3 场）/);
    expect(all.indexOf("#2 发布会 年度成果")).toBeLessThan(all.indexOf("#1 讲座 垃圾分类知识"));
    expect(all.indexOf("#1 讲座 垃圾分类知识")).toBeLessThan(all.indexOf("#3 活动 慰问环卫工人"));
    expect(all).toContain("12月5日（周六）10:00 · 新闻中心");
    const lectures = await ctx.chat
      .group("环卫处工作群")
      .as("李四")
      .says("讲座")
      .expectReply(/近期的讲座（1 场）/);
    expect(lectures).toContain("#1 垃圾分类知识");
    expect(lectures).not.toContain("年度成果");
    await ctx.chat
      .group("环卫处工作群")
      .as("李四")
      .says("发布会")
      .expectReply(/近期的发布会（1 场）：\n#2 年度成果/);
  });

  it("says so when nothing is planned", async () => {
    await ctx.chat
      .group("环卫处工作群")
      .as("李四")
      .says("讲座")
      .expectReply(/近期没有安排讲座/);
  });

  it("signs up once however often one asks, shows the names, and withdraws", async () => {
    await plan();
    const li = ctx.chat.group("环卫处工作群").as("李四");
    await li
      .says("报名 1")
      .expectReply(
        "报名成功：讲座 #1“垃圾分类知识”，2026年12月10日（周四）14:00，三楼会议室。现在共 1 人报名。",
      );
    await li.says("报名 1").expectReply(/你已经报过名了：讲座 #1.*共 1 人报名/);
    await ctx.chat
      .group("宣传科工作群")
      .as("王五")
      .says("报名１")
      .expectReply(/现在共 2 人报名/);
    const detail = await li.says("活动 1").expectReply(/#1 讲座：垃圾分类知识（待举办）/);
    expect(detail).toContain("时间：2026年12月10日（周四）14:00");
    expect(detail).toContain("创建人：张三");
    expect(detail).toContain("已报名 2 人：李四、王五");
    expect(detail).toContain("回复“报名 1”报名");
    await li.says("取消报名 1").expectReply("已取消报名：讲座 #1“垃圾分类知识”。现在共 1 人报名。");
    await li.says("取消报名 1").expectReply("你没有报名讲座 #1“垃圾分类知识”，不用取消。");
    await li.says("活动 1").expectReply(/已报名 1 人：王五/);
    expect(await ctx.chat.db.prisma.eventSignup.count()).toBe(1);
  });

  it("refuses unknown numbers, past and cancelled events, and strangers", async () => {
    await plan();
    const li = ctx.chat.group("环卫处工作群").as("李四");
    await li.says("报名 9").expectReply("没有找到编号 9 的活动。发“活动”看看近期的安排。");
    await li.says("活动 9").expectReply(/没有找到编号 9 的活动/);
    await li.says("活动 1 好的").expectReply("“活动 1”后面只能跟“已举办”。看详情发“活动 1”。");
    await li.says("活动 已举办").expectReply(/请写上编号/);
    await ctx.chat
      .group("宣传科工作群")
      .as("张三")
      .says("取消活动 3")
      .expectReply(/已取消活动 #3/);
    await li.says("报名 3").expectReply("#3 已经取消了。不能再报名。");
    await ctx.chat
      .group("环卫处工作群")
      .as("路人甲")
      .says("报名 1")
      .expectReply(/你还没有登记到通讯录/);
    ctx.chat.clock.set("2026-12-10T06:30:00Z");
    await li.says("报名 1").expectReply("#1 已经开始或结束了。不能再报名。");
  });

  it("lists events that began but are not recorded as held, with a nudge", async () => {
    await plan();
    ctx.chat.clock.set("2026-12-06T02:00:00Z");
    const reply = await ctx.chat
      .group("宣传科工作群")
      .as("张三")
      .says("活动")
      .expectReply(/近期的活动（2 场）/);
    expect(reply).toMatch(/已开始、还没记录举办的：\n#2 发布会 年度成果/);
    expect(reply).toContain("办完请发“活动 编号 已举办”");
  });
});
