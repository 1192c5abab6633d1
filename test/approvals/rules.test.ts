import { describe, expect, it } from "vitest";
import { draftRow, GROUP, recipients, sentTo, useApprovalBot, voteCount, WEIBO } from "./support.ts";

const t = useApprovalBot();

describe("approval rules", () => {
  it("any: one approver of the stage is enough, and the chain moves on", async () => {
    const { chat } = t;
    await chat
      .group(GROUP)
      .as("张三")
      .says(WEIBO)
      .expectReply(/^已送审 #1：微博《垃圾分类宣传周》第1版/);
    await chat.announcements();
    await chat
      .group(GROUP)
      .as("王五")
      .says("同意")
      .expectReply("第1级「科室负责人」已通过，转第2级「分管领导」审批");
    expect(await draftRow(chat, 1)).toMatchObject({ status: "pending", stage: 1 });
    // 李四 was the other "any" approver: the stage is done, his word no longer counts.
    await chat
      .group(GROUP)
      .as("李四")
      .says("同意 #1")
      .expectReply(/你不是 #1 这一级的审批人.*不计票/);
    expect(await voteCount(chat, 1)).toBe(1);
  });

  it("all: every approver of the stage must agree (the submitter left out)", async () => {
    const { chat } = t;
    await chat
      .group(GROUP)
      .as("张三")
      .says("送审 网站 标题：开放日 本周六开放日。")
      .expectReply(/等第1级「科室」审批（李四、王五）/);
    await chat
      .group(GROUP)
      .as("李四")
      .says("同意")
      .expectReply("已记录：你同意了 #1（第1级「科室」，已有 1/2 人同意）。");
    expect((await draftRow(chat, 1)).status).toBe("pending");
    await chat.announcements();
    await chat.group(GROUP).as("王五").says("通过").expectReply("已记录：你同意了 #1，审批全部通过。");
    expect((await draftRow(chat, 1)).status).toBe("approved");
    const [done] = await chat.announcements();
    expect(done).toEqual({
      to: GROUP,
      text: expect.stringMatching(/^@张三 #1 网站《开放日》 审批通过（第1版）/),
    });
  });

  it("k of n: two of the three second-stage approvers, the third is then too late", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(WEIBO).replies();
    await chat.group(GROUP).as("李四").says("批准").replies();
    await chat
      .dm("赵六")
      .says("同意 #1")
      .expectReply("已记录：你同意了 #1（第2级「分管领导」，已有 1/2 人同意）。");
    expect((await draftRow(chat, 1)).status).toBe("pending");
    await chat.dm("钱七").says("同意").expectReply("已记录：你同意了 #1，审批全部通过。");
    expect((await draftRow(chat, 1)).status).toBe("approved");
    await chat
      .dm("管理员")
      .says("同意 #1")
      .expectReply("#1 现在已通过，待发布，不用再审批了，这次回复不计票。");
    expect(await voteCount(chat, 1)).toBe(3);
  });

  it("two stages: the second stage hears of the draft only when the first has passed", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(WEIBO).replies();
    const first = await chat.announcements();
    expect(first.map((a) => a.to)).toEqual([GROUP, "dm:李四", "dm:王五"]);
    expect(sentTo(first, GROUP)).toMatch(/^@李四 @王五 #1 待审批：微博《垃圾分类宣传周》\n新稿件送审。/);
    expect(sentTo(first, "dm:李四")).toContain("正文：\n本周起，全市开展垃圾分类宣传。\n欢迎市民参加。");

    // A second-stage approver cannot sign before their turn.
    await chat
      .dm("赵六")
      .says("同意 #1")
      .expectReply(/#1 现在在第1级「科室负责人」审批，你在第2级，轮到你时会通知你。这次回复不计票。/);
    expect(await voteCount(chat, 1)).toBe(0);

    await chat.group(GROUP).as("李四").says("同意").replies();
    const second = await chat.announcements();
    expect(second.map((a) => a.to)).toEqual([GROUP, "dm:赵六", "dm:钱七", "dm:管理员"]);
    expect(sentTo(second, GROUP)).toMatch(
      /^@赵六 @钱七 @管理员 #1 待审批.*\n第1级「科室负责人」已通过（李四同意）。请第2级「分管领导」审批。/,
    );
    expect(sentTo(second, "dm:钱七")).toMatch(
      /^#1 请你审批：微博《垃圾分类宣传周》（第1版）\n.*\n审批：第2级「分管领导」，需其中 2 人同意/,
    );
  });

  it("the submitter never approves their own draft", async () => {
    const { chat } = t;
    // 李四 is one of 宣传科's leaders: for his own draft only 王五 is left in the first stage.
    await chat
      .group(GROUP)
      .as("李四")
      .says(WEIBO)
      .expectReply(/等第1级「科室负责人」审批（王五）/);
    await chat
      .group(GROUP)
      .as("李四")
      .says("同意 #1")
      .expectReply("#1 是你自己送审的，送审人不能审批自己的稿件，这次回复不计票。");
    expect(await voteCount(chat, 1)).toBe(0);
    await chat
      .group(GROUP)
      .as("王五")
      .says("同意")
      .expectReply(/第1级「科室负责人」已通过/);
  });

  it("refuses a submission whose rule cannot pass without the submitter, saying which stage", async () => {
    const { chat } = t;
    await chat
      .group(GROUP)
      .as("张三")
      .says("送审 简报 第十期简报")
      .expectReply(
        "「简报」的审批规则凑不够人，这份稿件批不下来，所以没有送审：\n  第1级「科室」要 2 人同意，除你以外只有 李四\n送审人不能审批自己的稿件。请联系管理员调整通讯录里 channels: 的审批人。",
      );
    expect(await chat.db.prisma.draft.count()).toBe(0);
    expect(await recipients(chat)).toEqual([]);
    // Someone outside the list may submit it: both approvers are there.
    await chat
      .group(GROUP)
      .as("王五")
      .says("送审 简报 第十期简报")
      .expectReply(/^已送审 #1/);
  });

  it("a non-approver's 同意 gets a polite note and counts for nothing", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(WEIBO).replies();
    await chat
      .group(GROUP)
      .as("孙八")
      .says("同意 #1")
      .expectReply(/你不是 #1 这一级的审批人（第1级「科室负责人」由 李四、王五 审批），这次回复不计票。/);
    await chat
      .group(GROUP)
      .as("孙八")
      .says("同意")
      .expectReply("这个群里待审批的稿件现在不需要你审批（#1），这次回复不计票。");
    expect(await voteCount(chat, 1)).toBe(0);
    expect(await draftRow(chat, 1)).toMatchObject({ status: "pending", stage: 0 });
  });

  it("asks for a channel it knows", async () => {
    const { chat } = t;
    await chat
      .group(GROUP)
      .as("张三")
      .says("送审 抖音 标题：x 正文")
      .expectReply(/没有「抖音」这个审批渠道。可以送审的渠道：微博、网站、简报。/);
    await chat
      .group(GROUP)
      .as("张三")
      .says("送审 WEIBO 标题：x 正文")
      .expectReply(/^已送审 #1：微博《x》/);
  });
});
