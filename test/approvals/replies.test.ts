import { describe, expect, it } from "vitest";
import { draftRow, GROUP, OTHER_GROUP, sentTo, useApprovalBot, voteCount, WEIBO } from "./support.ts";

const t = useApprovalBot();

const SECOND = "送审 微博 标题：开放日 本周六开放日，欢迎参加。";

describe("how approvers answer", () => {
  it("refuses a rejection without a reason, with a hint, and counts nothing", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(WEIBO).replies();
    for (const text of ["驳回", "驳回 #1", "不同意", "退回修改 #1"]) {
      await chat
        .group(GROUP)
        .as("李四")
        .says(text)
        .expectReply(/^驳回要写理由，方便送审人修改，例如「驳回 #12 标题有错别字」。这次没有计票。$/);
    }
    expect(await voteCount(chat, 1)).toBe(0);
  });

  it("rejects with the reason, told to the submitter in the group", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(WEIBO).replies();
    await chat.announcements();
    await chat
      .group(GROUP)
      .as("王五")
      .says("驳回 #1 第二段的数字要核实")
      .expectReply("已记录：你驳回了 #1，理由已转告送审人 张三。");
    expect((await draftRow(chat, 1)).status).toBe("rejected");
    const [told] = await chat.announcements();
    expect(told?.to).toBe(GROUP);
    expect(told?.text).toBe(
      "@张三 #1 微博《垃圾分类宣传周》 被王五驳回（第1版）。\n理由：第二段的数字要核实\n修改后发「修改 #1 新正文」重新送审，或「撤回 #1」。",
    );
    const vote = await chat.db.prisma.vote.findFirstOrThrow();
    expect(vote).toMatchObject({ decision: "reject", reason: "第二段的数字要核实" });
  });

  it("takes every synonym, glued or spaced, with or without punctuation", async () => {
    const { chat } = t;
    for (const [text, decision] of [
      ["不同意 数据不对", "reject"],
      ["退回修改：标题太长", "reject"],
      ["驳回，错别字", "reject"],
      ["同意#1", "approve"],
      ["通过。", "approve"],
      ["批准！", "approve"],
      ["＠汇报 同意", "approve"],
    ] as const) {
      await chat.db.prisma.$executeRawUnsafe("TRUNCATE drafts, votes RESTART IDENTITY CASCADE");
      await chat.group(GROUP).as("张三").says(WEIBO).replies();
      await chat
        .group(GROUP)
        .as("李四")
        .says(text)
        .expectReply(/^已记录/);
      expect((await chat.db.prisma.vote.findFirstOrThrow()).decision, text).toBe(decision);
    }
  });

  it("does not take questions, look-alikes and chatter for decisions", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(WEIBO).replies();
    for (const text of [
      "同意吗？",
      "同意?",
      "通过了吗",
      "批准了没",
      "不同意见",
      "我有不同意见",
      "大家看看这篇稿子",
    ]) {
      const replies = await chat.group(GROUP).as("李四").says(text).replies();
      expect(replies.join(""), text).not.toMatch(/已记录/);
    }
    await chat
      .group(GROUP)
      .as("李四")
      .says("同意吗？")
      .expectReply(
        "「同意吗？」不算审批意见，没有计票。要同意，请回复「同意」开头的一句话，例如「同意 #12」。",
      );
    // Chatter is not mistaken for another command either (我 is 我是谁's alias, but not glued to a sentence).
    const chatter = await chat
      .group(GROUP)
      .as("李四")
      .says("我有不同意见")
      .expectReply(/^没听懂「我有不同意见」/);
    expect(chatter).not.toContain("用法");
    expect(await voteCount(chat)).toBe(0);
    expect(await draftRow(chat, 1)).toMatchObject({ status: "pending", stage: 0 });
  });

  it("a bare answer goes to the one draft waiting for that person in that chat", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(WEIBO).replies();
    // In another group nothing waits for 李四: the draft belongs to 宣传科工作群.
    await chat
      .group(OTHER_GROUP)
      .as("李四")
      .says("同意")
      .expectReply(/^现在没有等你审批的稿件。/);
    await chat
      .group(GROUP)
      .as("李四")
      .says("同意")
      .expectReply(/^已记录：你同意了 #1/);
  });

  it("a bare answer with two drafts waiting asks which, and counts nothing", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(WEIBO).replies();
    await chat.group(GROUP).as("张三").says(SECOND).replies();
    await chat
      .group(GROUP)
      .as("李四")
      .says("同意")
      .expectReply(
        "有 2 份稿件在等你审批，请说明是哪一份：\n  #1 微博《垃圾分类宣传周》\n  #2 微博《开放日》\n例如「同意 #1」，或引用那条消息回复。这次没有计票。",
      );
    await chat
      .dm("李四")
      .says("驳回 写得太长")
      .expectReply(/^有 2 份稿件在等你审批/);
    expect(await voteCount(chat)).toBe(0);
    await chat
      .group(GROUP)
      .as("李四")
      .says("同意 #2")
      .expectReply(/^已记录：你同意了 #2/);
    // Now only #1 waits for 李四, so a bare answer is enough again, in the group or one-to-one.
    await chat
      .dm("李四")
      .says("同意")
      .expectReply(/^已记录：你同意了 #1/);
  });

  it("a WeCom quote-reply finds the draft in the quoted text", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(WEIBO).replies();
    const first = await chat.announcements();
    await chat.group(GROUP).as("张三").says(SECOND).replies();
    const second = await chat.announcements();
    // WeCom's AI bot callback carries quote.text.content: the quoted message's text as the member saw it.
    await chat
      .group(GROUP)
      .as("王五")
      .says("同意", { quote: { text: sentTo(second, GROUP) } })
      .expectReply(/^已记录：你同意了 #2/);
    // Quoting the one-to-one draft works the same; a rejection takes its reason from the reply.
    await chat
      .dm("李四")
      .says("驳回 标题要改", { quote: { text: sentTo(first, "dm:李四") } })
      .expectReply(/^已记录：你驳回了 #1/);
    expect(
      await chat.db.prisma.vote.findMany({ orderBy: { id: "asc" }, select: { draftId: true, reason: true } }),
    ).toEqual([
      { draftId: 2, reason: null },
      { draftId: 1, reason: "标题要改" },
    ]);
  });

  it("a DingTalk quote-reply works from the markdown title the client shows", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(WEIBO).replies();
    await chat.group(GROUP).as("张三").says(SECOND).replies();
    // DingTalk shows a quoted markdown message by its title (cut to 20 characters), after the sender.
    for (const [text, id] of [
      ["汇报助手：[#2 待审批：开放日]", 2],
      ["#1 待审批：垃圾分类宣传周", 1],
    ] as const) {
      await chat
        .group(GROUP)
        .as("李四")
        .says("同意", { quote: { text } })
        .expectReply(new RegExp(`^已记录：你同意了 #${id}`));
    }
  });

  it("a quote without a draft number falls back to the bare rule; a number named wins over the quote", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(WEIBO).replies();
    await chat.group(GROUP).as("张三").says(SECOND).replies();
    await chat
      .group(GROUP)
      .as("李四")
      .says("同意", { quote: { text: "周六见" } })
      .expectReply(/^有 2 份稿件在等你审批/);
    await chat
      .group(GROUP)
      .as("李四")
      .says("同意 #1", { quote: { text: "#2 待审批：开放日" } })
      .expectReply(/^已记录：你同意了 #1/);
  });
});
