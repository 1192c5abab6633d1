import { describe, expect, it } from "vitest";
import { LocalChat, renderPlain } from "../../src/bot/local-chat.ts";
import { taskState } from "../support/tasks.ts";
import { useTaskChat } from "./fixture.ts";

const t = useTaskChat();
const admin = () => t.chat.dm("管理员");

describe("admins change owners and due dates", () => {
  it("replaces the lead and support units, which changes who may report", async () => {
    await t.chat
      .group("环卫处工作群")
      .as("王五")
      .says("进度 2.2 +1")
      .expectReply(/只有 宣传科、各分局/);
    await admin()
      .says("任务 2.2 负责 环卫处 配合 宣传科、城东分局")
      .expectReply("已修改 2.2：负责 环卫处，配合 宣传科、城东分局。");
    await t.chat.group("环卫处工作群").as("王五").says("进度 2.2 +1").expectReply(/1\/4/);
    await t.chat.dm("赵六").says("进度 2.2 +1").expectReply(/2\/4/);
    const view = await t.chat
      .dm("张三")
      .says("任务 2.2")
      .expectReply(/负责：环卫处；配合：宣传科、城东分局/);
    expect(view).toContain("· 3月10日 09:00 管理员 修改 负责：环卫处；配合：宣传科、城东分局");
    await admin().says("任务 2.2 配合 无").expectReply("已修改 2.2：配合 无。");
    await t.chat
      .dm("赵六")
      .says("进度 2.2 +1")
      .expectReply("只有 环卫处 的同事或管理员可以汇报 2.2 的进度。");
  });

  it("sets the due date from Chinese, in the configured zone", async () => {
    await admin().says("任务 1.1 截止 5月20日").expectReply("已修改 1.1：截止 5月20日。");
    expect(await taskState(t.chat.db.prisma, "1.1")).toMatchObject({ due: "2021-05-20" });
    await admin().says("任务 1.1 截止 明天").expectReply("已修改 1.1：截止 3月11日。");
    await admin().says("任务 1.1 截止 无").expectReply("已修改 1.1：不设截止日期。");
    expect(await taskState(t.chat.db.prisma, "1.1")).toMatchObject({ due: null });
  });

  it("explains bad input and changes nothing", async () => {
    await admin()
      .says("任务 1.1 截止 2月30日")
      .expectReply(/^截止日期「2月30日」看不懂：/);
    await admin()
      .says("任务 1.1 负责 财务科 截止 5月1日")
      .expectReply("没有叫「财务科」的单位。发「单位」查看单位简称。");
    await admin()
      .says("任务 1.1 改成很重要")
      .expectReply(/^看不懂「改成很重要」。管理员可以这样改：/);
    expect(await taskState(t.chat.db.prisma, "1.1")).toMatchObject({ due: "2021-06-30" });
  });

  it("refuses members", async () => {
    await t.chat
      .dm("张三")
      .says("任务 1.1 截止 5月20日")
      .expectReply("只有管理员可以修改任务。查看任务发「任务 1.1」。");
    expect(await taskState(t.chat.db.prisma, "1.1")).toMatchObject({ due: "2021-06-30" });
  });
});

describe("新增任务", () => {
  it("adds a task to the newest plan that can be reported on at once", async () => {
    await admin()
      .says("新增任务 2.5 开展网络安全宣传周 截止 9月30日 负责 宣传科 目标 2")
      .expectReply("已新增 2.5 开展网络安全宣传周，负责 宣传科。发「任务 2.5」查看。");
    await t.chat
      .dm("张三")
      .says("进度 2.5 +1 第一次活动")
      .expectReply("2.5 开展网络安全宣传周：1/2 ▓▓▓▓▓░░░░░（+1，张三）");
    const list = await t.chat
      .dm("张三")
      .says("任务")
      .expectReply(/共 3 项/);
    expect(list).toContain("2.5 开展网络安全宣传周 ▓▓▓▓▓░░░░░ 1/2 截止 9月30日");
  });

  it("is added once when the message is delivered twice, and a taken code is refused", async () => {
    const local = new LocalChat(t.chat.bot, t.chat.clock, ["汇报"]);
    const message = local.toIncoming({ speaker: "管理员", text: "新增任务 1.9 整理宣传档案" });
    const first = (await t.chat.bot.handle(message)).map(renderPlain);
    expect((await t.chat.bot.handle(message)).map(renderPlain)).toEqual(first);
    expect(await t.chat.db.prisma.task.count({ where: { code: "1.9" } })).toBe(1);
    await admin()
      .says("新增任务 1.9 另一项")
      .expectReply("1.9 已经有了。发「任务 1.9」查看，换一个编号再加。");
  });

  it("is for admins only", async () => {
    await t.chat
      .dm("张三")
      .says("新增任务 2.6 标题")
      .expectReply(/需要管理员权限/);
  });
});
