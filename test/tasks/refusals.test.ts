import { describe, expect, it } from "vitest";
import { taskState } from "../support/tasks.ts";
import { useTaskChat } from "./fixture.ts";

// The fixture's plan: 宣传科 leads 2.2 and 1.1 (环卫处 supports 1.1), 环卫处 leads 3.1; one page each.
const t = useTaskChat();
const group = (name = "宣传科工作群") => t.chat.group(name);

describe("任务: refusals say what to send instead", () => {
  it("names the last page when the page asked for is past it, for all tasks and for a unit", async () => {
    expect(await group().as("张三").says("任务 全部 3").replies()).toEqual([
      "没有第 3 页，只有 1 页。发「任务 全部 1」看最后一页。",
    ]);
    expect(await group().as("张三").says("任务 环卫处 2").replies()).toEqual([
      "没有第 2 页，只有 1 页。发「任务 环卫处 1」看最后一页。",
    ]);
  });

  it("says when a name is neither a unit nor a task, and points to 单位", async () => {
    expect(await group().as("张三").says("任务 财务科").replies()).toEqual([
      "没有叫「财务科」的单位或任务。发「单位」查看单位简称，任务编号写成「2.2」这样。",
    ]);
  });
});

describe("撤销 after someone else reported on the same task", () => {
  it("names who reported since, and leaves their percent in place", async () => {
    await group().as("张三").says("进度 1.1 50%").expectReply(/50%/);
    t.chat.clock.advance(2 * 60_000);
    await group("环卫处工作群").as("王五").says("进度 1.1 70%").expectReply(/70%/);
    expect(await group().as("张三").says("撤销").replies()).toEqual([
      "王五 在你之后也汇报了 1.1，你 3月10日 09:00 的那条汇报（原 0%）不能再撤销了。请直接汇报正确的进度并写明原因。",
    ]);
    expect(await taskState(t.chat.db.prisma, "1.1")).toMatchObject({ percent: 70 });
  });
});

describe("考核 with a year it cannot read", () => {
  it("says the year is not a year and how to write it", async () => {
    const admin = group("环卫处工作群").as("管理员");
    expect(await admin.says("考核 上半年 明年").replies()).toEqual([
      "「明年」不是年份。请这样写：「考核 上半年」或「考核 下半年 2021」。",
    ]);
    expect(await admin.says("考核 下半年 21").replies()).toEqual([
      "「21」不是年份。请这样写：「考核 上半年」或「考核 下半年 2021」。",
    ]);
  });
});

describe("我的任务 without a unit", () => {
  const reply = "通讯录里你还没有所属单位，没有可列的任务。发「任务 全部」看全部任务。";

  it("tells someone the directory does not know yet to look at all tasks", async () => {
    expect(await t.chat.dm("路人甲").says("我的任务").replies()).toEqual([reply]);
  });

  it("tells a placed person whose directory entry has no unit the same", async () => {
    await t.chat.db.prisma.person.create({ data: { name: "孙七", roles: ["member"], placed: true } });
    expect(await group().as("孙七").says("我的任务").replies()).toEqual([reply]);
  });
});
