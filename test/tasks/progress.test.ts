import { describe, expect, it } from "vitest";
import { LocalChat, renderPlain } from "../../src/bot/local-chat.ts";
import { taskState } from "../support/tasks.ts";
import { useTaskChat } from "./fixture.ts";

const t = useTaskChat();
const group = (name = "宣传科工作群") => t.chat.group(name);
const state = (code: string) => taskState(t.chat.db.prisma, code);

describe("reporting a percent", () => {
  it("confirms the new state in one line and keeps it on the task", async () => {
    await group()
      .as("张三")
      .says("进度 1.1 60% 已学习三章")
      .expectReply("1.1 加强理论学习：60% ▓▓▓▓▓▓░░░░（原 0%，张三）");
    expect(await state("1.1")).toMatchObject({ percent: 60, complete: false });
  });

  it("reads full-width digits, the Chinese percent and 百分之…", async () => {
    await group().as("张三").says("进度 1.1 ６０％").expectReply(/：60%/);
    await group().as("张三").says("进度 1.1 百分之七十五 过半了").expectReply(/：75%/);
    await group().as("张三").says("进度１．１ 80％，快完成了").expectReply(/：80%/);
    expect(await state("1.1")).toMatchObject({ percent: 80 });
  });

  it("refuses more than 100% and completes with 完成", async () => {
    const refusal = await group()
      .as("张三")
      .says("进度 1.1 120%")
      .expectReply(/0 到 100/);
    expect(refusal).toContain("进度 1.1 完成");
    await group()
      .as("张三")
      .says("进度 1.1 完成 全部学完")
      .expectReply("1.1 加强理论学习：100% ▓▓▓▓▓▓▓▓▓▓ ✅（完成，张三）");
    expect(await state("1.1")).toMatchObject({ percent: 100, complete: true });
    await group().as("张三").says("进度 1.1 完成").expectReply("1.1 已经完成了（100% ✅）。");
  });

  it("refuses going backwards without a reason and accepts it with one", async () => {
    await group().as("张三").says("进度 1.1 60%").expectReply(/60%/);
    await group()
      .as("张三")
      .says("进度 1.1 40%")
      .expectReply("1.1 现在是 60%，改成「40%」是往回调，请写明原因，如「进度 1.1 40% 原因」。");
    expect(await state("1.1")).toMatchObject({ percent: 60 });
    await group()
      .as("张三")
      .says("进度 1.1 40% 第三章要重学")
      .expectReply(/：40% ▓▓▓▓░░░░░░（原 60%，张三）/);
    expect(await state("1.1")).toMatchObject({ percent: 40 });
  });

  it("hints at percent when +1 is used on a task without a counted target", async () => {
    await group()
      .as("张三")
      .says("进度 1.1 +1")
      .expectReply("1.1 没有计数目标，请用百分比汇报，如「进度 1.1 60% 说明」。");
  });

  it("explains how to report when the rest is not understood", async () => {
    await group()
      .as("张三")
      .says("进度 1.1 差不多了")
      .expectReply(/看不懂「差不多了」。这样汇报：「进度 1.1 60% 说明」/);
    await group()
      .as("张三")
      .says("进度 1.1")
      .expectReply(/1.1 要汇报什么？/);
    await group()
      .as("张三")
      .says("进度 9.9 50%")
      .expectReply("2021年宣传工作要点里没有任务 9.9。发「任务」查看任务编号。");
  });
});

describe("reporting a counted target", () => {
  it("counts +1, ＋1 and 加一场 toward the target", async () => {
    await group()
      .as("张三")
      .says("进度 2.2 +1 第一场已召开")
      .expectReply("2.2 规范新闻发布：1/4 ▓▓░░░░░░░░（+1，张三）");
    await group()
      .as("李四")
      .says("进度 2.2 ＋1 第二场已召开")
      .expectReply("2.2 规范新闻发布：2/4 ▓▓▓▓▓░░░░░（+1，李四）");
    await group().as("李四").says("进度 2.2 加一场").expectReply(/3\/4/);
    expect(await state("2.2")).toMatchObject({ count: 3, percent: 75, complete: false });
  });

  it("refuses a count past the target unless it says 完成", async () => {
    await group().as("张三").says("进度 2.2 +3").expectReply(/3\/4/);
    const refusal = await group()
      .as("张三")
      .says("进度 2.2 +2 第四、五场")
      .expectReply(/会超过目标/);
    expect(refusal).toContain("2.2 的目标是 4，现在 3/4");
    expect(refusal).toContain("进度 2.2 +2 完成 说明");
    expect(await state("2.2")).toMatchObject({ count: 3 });
    await group()
      .as("张三")
      .says("进度 2.2 +2 完成 加开一场")
      .expectReply(/5\/4 ▓▓▓▓▓▓▓▓▓▓ ✅/);
    expect(await state("2.2")).toMatchObject({ count: 5, percent: 100, complete: true });
  });

  it("fills the target with 完成", async () => {
    await group().as("张三").says("进度 2.2 +1").expectReply(/1\/4/);
    await group()
      .as("张三")
      .says("进度 2.2 完成")
      .expectReply("2.2 规范新闻发布：4/4 ▓▓▓▓▓▓▓▓▓▓ ✅（完成，张三）");
    expect(await state("2.2")).toMatchObject({ count: 4, complete: true });
  });

  it("refuses a percent on a counted task with a hint to count", async () => {
    await group()
      .as("张三")
      .says("进度 2.2 50%")
      .expectReply(
        "2.2 按次数计（现在 0/4），不用百分比。完成一次发「进度 2.2 +1 说明」，全部做完发「进度 2.2 完成」。",
      );
  });

  it("takes -1 only with a reason", async () => {
    await group().as("张三").says("进度 2.2 +2").expectReply(/2\/4/);
    await group()
      .as("张三")
      .says("进度 2.2 -1")
      .expectReply(/往回调，请写明原因/);
    await group()
      .as("张三")
      .says("进度 2.2 -1 第二场记重了")
      .expectReply("2.2 规范新闻发布：1/4 ▓▓░░░░░░░░（-1，张三）");
    expect(await state("2.2")).toMatchObject({ count: 1 });
  });
});

describe("who may report", () => {
  it("refuses someone of another unit, naming who can", async () => {
    await group("环卫处工作群")
      .as("王五")
      .says("进度 2.2 +1")
      .expectReply("只有 宣传科、各分局 的同事或管理员可以汇报 2.2 的进度。");
    expect(await state("2.2")).toMatchObject({ count: 0 });
  });

  it("lets a supporting unit and an admin of another unit report", async () => {
    await group("环卫处工作群")
      .as("王五")
      .says("进度 1.1 30%")
      .expectReply("1.1 加强理论学习：30% ▓▓▓░░░░░░░（原 0%，王五）");
    await t.chat
      .dm("管理员")
      .says("进度 2.2 +1")
      .expectReply(/1\/4 .*（\+1，管理员）/);
  });

  it("refuses people without the member role", async () => {
    await group()
      .as("只读")
      .says("进度 1.1 30%")
      .expectReply(/需要单位成员权限/);
  });
});

describe("a re-delivered message", () => {
  it("reports once and gets the same confirmation", async () => {
    const local = new LocalChat(t.chat.bot, t.chat.clock, ["汇报"]);
    const message = local.toIncoming({
      speaker: "张三",
      group: { name: "宣传科工作群" },
      text: "进度 2.2 +1 第一场",
    });
    const first = (await t.chat.bot.handle(message)).map(renderPlain);
    t.chat.clock.advance(5_000);
    const second = (await t.chat.bot.handle(message)).map(renderPlain);
    expect(first).toEqual(["2.2 规范新闻发布：1/4 ▓▓░░░░░░░░（+1，张三）"]);
    expect(second).toEqual(first);
    expect(await state("2.2")).toMatchObject({ count: 1 });
    expect(await t.chat.db.prisma.progressReport.count()).toBe(1);
  });

  it("still reads the same after someone else reported in between", async () => {
    const local = new LocalChat(t.chat.bot, t.chat.clock, ["汇报"]);
    const message = local.toIncoming({
      speaker: "张三",
      group: { name: "宣传科工作群" },
      text: "进度 2.2 +1",
    });
    const first = (await t.chat.bot.handle(message)).map(renderPlain);
    await group().as("李四").says("进度 2.2 +1").expectReply(/2\/4/);
    expect((await t.chat.bot.handle(message)).map(renderPlain)).toEqual(first);
    expect(await state("2.2")).toMatchObject({ count: 2 });
  });

  it("counts two different reports sent at the same moment", async () => {
    const replies = await Promise.all([
      group().as("张三").says("进度 2.2 +1").replies(),
      group().as("李四").says("进度 2.2 +1").replies(),
    ]);
    expect(replies.flat().join("\n")).toMatch(/2\/4/);
    expect(await state("2.2")).toMatchObject({ count: 2 });
  });
});

describe("撤销", () => {
  it("takes back my last report within 10 minutes and marks it in the history", async () => {
    await group().as("张三").says("进度 2.2 +1").expectReply(/1\/4/);
    await group().as("张三").says("进度 2.2 +1").expectReply(/2\/4/);
    t.chat.clock.advance(9 * 60_000);
    await group()
      .as("张三")
      .says("撤销")
      .expectReply("已撤销 3月10日 09:00 对 2.2 的汇报（+1）。2.2 现在 1/4 ▓▓░░░░░░░░");
    expect(await state("2.2")).toMatchObject({ count: 1 });
    const view = await group()
      .as("张三")
      .says("任务 2.2")
      .expectReply(/进度记录（2 条）/);
    expect(view).toContain("· 3月10日 09:00 张三 +1 → 2（已撤销）");
    expect(view).toContain("现状：▓▓░░░░░░░░ 1/4");
  });

  it("refuses after 10 minutes and changes nothing", async () => {
    await group().as("张三").says("进度 1.1 50%").expectReply(/50%/);
    t.chat.clock.advance(10 * 60_000 + 1_000);
    const refusal = await group()
      .as("张三")
      .says("undo")
      .expectReply(/只能撤销 10 分钟内的汇报/);
    expect(refusal).toContain("3月10日 09:00 对 1.1 的汇报（原 0%）");
    expect(await state("1.1")).toMatchObject({ percent: 50 });
  });

  it("restores completion state and keeps others' counts", async () => {
    await group().as("李四").says("进度 2.2 +3").expectReply(/3\/4/);
    await group()
      .as("张三")
      .says("进度 2.2 +1")
      .expectReply(/4\/4 .*✅/);
    await group().as("李四").says("进度 1.1 10%").expectReply(/10%/);
    await group()
      .as("张三")
      .says("撤销")
      .expectReply(/2.2 现在 3\/4/);
    expect(await state("2.2")).toMatchObject({ count: 3, complete: false });
  });

  it("does not undo a percent someone else has reported over since", async () => {
    await group().as("张三").says("进度 1.1 50%").expectReply(/50%/);
    await group().as("李四").says("进度 1.1 70%").expectReply(/70%/);
    await group()
      .as("张三")
      .says("撤销")
      .expectReply(/李四 在你之后也汇报了 1.1/);
    expect(await state("1.1")).toMatchObject({ percent: 70 });
  });

  it("undoes only once when 撤销 is delivered twice", async () => {
    await group().as("张三").says("进度 2.2 +1").expectReply(/1\/4/);
    await group().as("张三").says("进度 2.2 +1").expectReply(/2\/4/);
    const local = new LocalChat(t.chat.bot, t.chat.clock, ["汇报"]);
    const message = local.toIncoming({ speaker: "张三", group: { name: "宣传科工作群" }, text: "撤销" });
    const first = (await t.chat.bot.handle(message)).map(renderPlain);
    expect((await t.chat.bot.handle(message)).map(renderPlain)).toEqual(first);
    expect(await state("2.2")).toMatchObject({ count: 1 });
  });

  it("says so when there is nothing to undo", async () => {
    await group().as("李四").says("撤销").expectReply("你没有可以撤销的汇报。");
  });
});
