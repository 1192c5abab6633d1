import { describe, expect, it } from "vitest";
import { renderPlain } from "../../src/bot/local-chat.ts";
import { draftRow, GROUP, recipients, useApprovalBot, voteCount } from "./support.ts";

const t = useApprovalBot();
const SITE = "送审 网站 标题：开放日 本周六开放日。";

describe("answers that change nothing, said plainly", () => {
  it("does not count a second vote by the same approver", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(SITE).replies();
    await chat.group(GROUP).as("李四").says("同意").replies();
    await chat
      .group(GROUP)
      .as("李四")
      .says("同意 #1 再看一遍也同意")
      .expectReply("你已经同意过 #1（第1版），不能重复投票。");
    expect(await voteCount(chat, 1)).toBe(1);
  });

  it("answers a withdrawal delivered twice once, and a later one with why not", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(SITE).replies();
    const withdraw = chat.incoming("张三", "撤回 #1", GROUP, { messageId: "wecom-withdraw-1" });
    expect((await chat.bot.handle(withdraw)).filter((m) => !m.to).map(renderPlain)).toEqual(["已撤回 #1。"]);
    expect((await chat.bot.handle(withdraw)).map(renderPlain)).toEqual(["#1 已经撤回了。"]);
    await chat
      .group(GROUP)
      .as("张三")
      .says("撤回 #1")
      .expectReply(/^#1 .*撤回.*，不能撤回。$/);
    expect((await draftRow(chat, 1)).status).toBe("withdrawn");
  });

  it("refuses a submission without a body and an edit without new text, saying how", async () => {
    const { chat } = t;
    await chat
      .group(GROUP)
      .as("张三")
      .says("送审 微博 标题：宣传周")
      .expectReply(/^正文是空的。\n用法：/);
    expect(await chat.db.prisma.draft.count()).toBe(0);
    await chat.group(GROUP).as("张三").says(SITE).replies();
    await chat
      .group(GROUP)
      .as("张三")
      .says("修改 #1")
      .expectReply(/^缺少新正文。\n用法：修改/);
    expect((await draftRow(chat, 1)).version).toBe(1);
  });

  it("refuses a submission no one but the submitter could approve, before anyone is asked", async () => {
    const { chat } = t;
    // 简报 needs two of 李四 and 张三; with 李四 out of the directory nobody is left to approve 张三's draft.
    await chat.db.prisma.person.updateMany({ where: { name: "李四" }, data: { placed: false } });
    try {
      expect(await chat.group(GROUP).as("张三").says("送审 简报 第十期简报").replies()).toEqual([
        "「简报」的审批规则凑不够人，这份稿件批不下来，所以没有送审：\n  第1级「科室」要 2 人同意，除你以外没有别的审批人\n送审人不能审批自己的稿件。请联系管理员调整通讯录里 channels: 的审批人。",
      ]);
    } finally {
      await chat.db.prisma.person.updateMany({ where: { name: "李四" }, data: { placed: true } });
    }
    expect(await chat.db.prisma.draft.count()).toBe(0);
    expect(await recipients(chat)).toEqual([]);
  });

  it("tells someone the directory does not know that they cannot submit or approve yet", async () => {
    const { chat } = t;
    const refusal =
      "你还没有登记到通讯录，还不能送审、审批或查看稿件。已记下你的账号（路人甲），请管理员把你加入单位。";
    expect(await chat.group(GROUP).as("路人甲").says(SITE).replies()).toEqual([refusal]);
    expect(await chat.group(GROUP).as("路人甲").says("同意 #1").replies()).toEqual([refusal]);
    expect(await chat.group(GROUP).as("路人甲").says("待审").replies()).toEqual([refusal]);
    expect(await chat.db.prisma.draft.count()).toBe(0);
  });

  it("asks for a draft number when the submitter has no open draft to mean", async () => {
    const { chat } = t;
    await chat
      .group(GROUP)
      .as("张三")
      .says("撤回")
      .expectReply(/^请写上稿件编号，例如「撤回 #12」。$/);
  });
});
