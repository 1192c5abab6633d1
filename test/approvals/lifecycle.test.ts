import { describe, expect, it } from "vitest";
import { draftRow, GROUP, recipients, sentTo, useApprovalBot, voteCount, WEIBO } from "./support.ts";

const t = useApprovalBot();

describe("a draft's life after submission", () => {
  it("an edit makes version 2: earlier approvals stop counting, the chain restarts, approvers see the changes", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(WEIBO).replies();
    await chat.group(GROUP).as("李四").says("同意").replies();
    await chat
      .dm("赵六")
      .says("同意 #1")
      .expectReply(/已有 1\/2 人同意/);
    await chat.announcements();

    await chat
      .group(GROUP)
      .as("张三")
      .says("修改 #1 标题：垃圾分类宣传周启动 本周起，全市开展垃圾分类宣传。\n活动持续一周。")
      .expectReply("已修改 #1 为第2版，之前的审批作废，已从第1级「科室负责人」重新审批。");
    expect(await draftRow(chat, 1)).toMatchObject({
      version: 2,
      stage: 0,
      status: "pending",
      title: "垃圾分类宣传周启动",
    });
    const told = await chat.announcements();
    expect(told.map((a) => a.to)).toEqual([GROUP, "dm:李四", "dm:王五"]);
    expect(sentTo(told, GROUP)).toContain(
      "已修改为第2版，之前的审批作废，从第1级「科室负责人」重新审批。\n送审人：张三，第2版\n改动：\n  标题：《垃圾分类宣传周》→《垃圾分类宣传周启动》\n  － 删去：欢迎市民参加。\n  ＋ 新增：活动持续一周。",
    );
    expect(sentTo(told, "dm:王五")).toMatch(/^#1 请你审批：微博《垃圾分类宣传周启动》（第2版）[\s\S]*改动：/);

    // 赵六's approval was for version 1, at stage 2: now the draft is back at stage 1.
    await chat
      .dm("赵六")
      .says("同意 #1")
      .expectReply(/你在第2级，轮到你时会通知你/);
    await chat
      .group(GROUP)
      .as("王五")
      .says("同意")
      .expectReply(/第1级「科室负责人」已通过/);
    await chat
      .dm("赵六")
      .says("同意 #1")
      .expectReply(/（第2级「分管领导」，已有 1\/2 人同意）/);
    expect((await draftRow(chat, 1)).status).toBe("pending");
    expect(await voteCount(chat, 1)).toBe(4);
  });

  it("only the submitter edits, and only until the draft is published or withdrawn", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(WEIBO).replies();
    await chat.group(GROUP).as("李四").says("修改 #1 新的正文").expectReply("只有送审人 张三 能修改 #1。");
    await chat
      .group(GROUP)
      .as("张三")
      .says("修改 #1 标题：垃圾分类宣传周")
      .expectReply("内容和第1版一样，没有修改。");
    // Without a number the submitter's only open draft is meant.
    await chat
      .group(GROUP)
      .as("张三")
      .says("修改 新的正文")
      .expectReply(/^已修改 #1 为第2版/);
    await chat.group(GROUP).as("张三").says("撤回 #1").replies();
    await chat
      .group(GROUP)
      .as("张三")
      .says("修改 #1 再改")
      .expectReply("#1 已撤回，不能再修改了；需要的话请重新送审。");
  });

  it("an approved draft that is edited needs a new sign-off", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says("送审 网站 标题：开放日 本周六开放日。").replies();
    await chat.group(GROUP).as("李四").says("同意").replies();
    await chat.group(GROUP).as("王五").says("同意").replies();
    expect((await draftRow(chat, 1)).status).toBe("approved");
    await chat
      .group(GROUP)
      .as("张三")
      .says("修改 #1 本周日开放日。")
      .expectReply(/^已修改 #1 为第2版/);
    expect((await draftRow(chat, 1)).status).toBe("pending");
    await chat
      .group(GROUP)
      .as("张三")
      .says("已发布 #1 https://example.gov.cn/a")
      .expectReply(/还没有审批通过，不能登记为已发布/);
  });

  it("withdraw stops everything and tells those still to answer", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(WEIBO).replies();
    await chat.announcements();
    await chat.group(GROUP).as("孙八").says("撤回 #1").expectReply("只有送审人 张三 或管理员能撤回 #1。");
    await chat.group(GROUP).as("张三").says("撤回 #1").expectReply("已撤回 #1。");
    expect(await chat.announcements()).toEqual([
      { to: GROUP, text: "@李四 @王五 #1 微博《垃圾分类宣传周》 已由张三撤回，不用再审批了。" },
    ]);
    await chat
      .group(GROUP)
      .as("李四")
      .says("同意 #1")
      .expectReply("#1 现在已撤回，不用再审批了，这次回复不计票。");
    expect(await voteCount(chat, 1)).toBe(0);
    // No reminder and no expiry afterwards.
    await chat.advance(30 * 3_600_000);
    expect(await recipients(chat)).toEqual([]);
    expect((await draftRow(chat, 1)).status).toBe("withdrawn");
  });

  it("已发布 is refused before approval and closes the draft with its address after", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says("送审 网站 标题：开放日 本周六开放日。").replies();
    await chat
      .group(GROUP)
      .as("张三")
      .says("已发布 #1 https://example.gov.cn/open-day")
      .expectReply("#1 现在审批中，还没有审批通过，不能登记为已发布。");
    await chat.group(GROUP).as("李四").says("同意").replies();
    await chat.group(GROUP).as("王五").says("同意").replies();
    await chat.announcements();
    await chat
      .group(GROUP)
      .as("张三")
      .says("已发布 #1")
      .expectReply(/^请附上发布后的网址。/);
    await chat
      .group(GROUP)
      .as("孙八")
      .says("已发布 #1 https://example.gov.cn/x")
      .expectReply(/只有送审人 张三 或管理员/);
    await chat
      .group(GROUP)
      .as("张三")
      .says("已发布 #1 https://example.gov.cn/open-day")
      .expectReply("已登记 #1 已发布：https://example.gov.cn/open-day");
    expect(await draftRow(chat, 1)).toMatchObject({
      status: "published",
      publishedUrl: "https://example.gov.cn/open-day",
    });
    expect(await chat.announcements()).toEqual([
      { to: GROUP, text: "#1 网站《开放日》 已发布：https://example.gov.cn/open-day" },
    ]);
    await chat.group(GROUP).as("张三").says("撤回 #1").expectReply("#1 已发布，不能撤回。");
  });

  it("审批 #N shows where the draft stands and its whole trail", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(WEIBO).replies();
    chat.clock.advance(30 * 60_000);
    await chat.group(GROUP).as("李四").says("驳回 标题要更醒目").replies();
    chat.clock.advance(30 * 60_000);
    await chat.group(GROUP).as("张三").says("修改 #1 标题：垃圾分类，从我做起").replies();
    const trail = await chat
      .group(GROUP)
      .as("孙八")
      .says("审批 #1")
      .expectReply(/^#1 微博《垃圾分类，从我做起》：审批中（第2版）/);
    expect(trail.split("\n").slice(1)).toEqual([
      "现在：第1级「科室负责人」，已有 0/1 人同意，还在等 李四、王五；截止 2026年11月27日（周五）11:00",
      "送审人：张三",
      "记录：",
      "11月26日（周四）10:00 张三（送审人）送审 第1版",
      "11月26日（周四）10:30 李四（第1级审批人「科室负责人」）驳回 第1版：“驳回 标题要更醒目”",
      "11月26日（周四）11:00 张三（送审人）修改 第2版",
    ]);
    await chat
      .group(GROUP)
      .as("孙八")
      .says("审批 #7")
      .expectReply(/^没有 #7 这份稿件/);
  });

  it("待审 lists what waits for me, across groups", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(WEIBO).replies();
    await chat.group("办公室群").as("孙八").says("送审 网站 标题：开放日 本周六开放日。").replies();
    const list = await chat
      .dm("李四")
      .says("待审")
      .expectReply(/^等你审批的稿件（2 份）：/);
    expect(list).toContain("#1 微博《垃圾分类宣传周》");
    expect(list).toContain("#2 网站《开放日》");
    await chat.dm("孙八").says("待审").expectReply("现在没有等你审批的稿件。");
  });

  it("the publish time is the deadline", async () => {
    const { chat } = t;
    await chat
      .group(GROUP)
      .as("张三")
      .says("送审 微博 发布时间：今天下午3点 标题：限时通知 今晚停水。")
      .expectReply(/截止 2026年11月26日（周四）15:00。$/);
    expect((await draftRow(chat, 1)).publishAt?.toISOString()).toBe("2026-11-26T07:00:00.000Z");
    await chat
      .group(GROUP)
      .as("张三")
      .says("送审 微博 发布时间：今天上午8点 正文")
      .expectReply(/已经过了/);
    await chat
      .group(GROUP)
      .as("张三")
      .says("送审 微博 发布时间：下周八 正文")
      .expectReply(/^发布时间「下周八」没看懂/);
  });
});
