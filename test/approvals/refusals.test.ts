import { describe, expect, it } from "vitest";
import { renderPlain } from "../../src/bot/local-chat.ts";
import { draftRow, GROUP, useApprovalBot, voteCount } from "./support.ts";

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

  it("asks for a draft number when the submitter has no open draft to mean", async () => {
    const { chat } = t;
    await chat
      .group(GROUP)
      .as("张三")
      .says("撤回")
      .expectReply(/^请写上稿件编号，例如「撤回 #12」。$/);
  });
});
