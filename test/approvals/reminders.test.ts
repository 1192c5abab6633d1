import { describe, expect, it } from "vitest";
import { draftRow, GROUP, recipients, useApprovalBot, WEIBO } from "./support.ts";

// Default settings: reminders 2 h after a stage starts and 1 h before the deadline, then the admins.
const t = useApprovalBot();

/** Shanghai wall clock on 26/27 November 2026 → ISO instant. */
const at = (day: 26 | 27 | 28, hhmm: string) => `2026-11-${day}T${hhmm}:00+08:00`;

describe("reminders and expiry", () => {
  it("reminds the approvers, then tells the admin, then expires the draft at the deadline", async () => {
    const { chat } = t;
    await chat
      .group(GROUP)
      .as("张三")
      .says(WEIBO)
      .expectReply(/截止 2026年11月27日（周五）10:00/);
    await chat.announcements();

    await chat.advanceTo(at(26, "11:59"));
    expect(await recipients(chat)).toEqual([]);
    await chat.advanceTo(at(26, "12:00"));
    const first = await chat.announcements();
    expect(first.map((a) => a.to)).toEqual(["dm:李四", "dm:王五"]);
    expect(first[0]?.text).toBe(
      "提醒：#1 微博《垃圾分类宣传周》还在等你审批（第1级「科室负责人」，第1版）。\n审批截止：2026年11月27日（周五）10:00\n回复「同意 #1」或「驳回 #1 理由」，也可以直接引用本消息回复。",
    );

    await chat.advanceTo(at(27, "09:00"));
    const second = await chat.announcements();
    expect(second.map((a) => a.to)).toEqual(["dm:李四", "dm:王五", "dm:管理员"]);
    expect(second[2]?.text).toBe(
      "#1 微博《垃圾分类宣传周》提醒过后仍未审批完。\n第1级「科室负责人」还在等：李四、王五\n送审人：张三，审批截止：2026年11月27日（周五）10:00（到时未批完即过期，不会自动通过）",
    );

    await chat.advanceTo(at(27, "10:00"));
    expect(await chat.announcements()).toEqual([
      {
        to: GROUP,
        text: "@张三 #1 微博《垃圾分类宣传周》 审批已过期（截止 2026年11月27日（周五）10:00），没有获得批准，不能发布。\n还在等：第1级「科室负责人」 李四、王五\n如仍要发布，请「修改 #1 …」重新送审。",
      },
    ]);
    expect((await draftRow(chat, 1)).status).toBe("expired");
    await chat
      .group(GROUP)
      .as("李四")
      .says("同意 #1")
      .expectReply("#1 现在已过期，不用再审批了，这次回复不计票。");
    await chat
      .group(GROUP)
      .as("张三")
      .says("已发布 #1 https://weibo.com/x")
      .expectReply(/还没有审批通过/);
    const actions = await chat.db.prisma.auditRecord.findMany({
      orderBy: { id: "asc" },
      select: { action: true },
    });
    expect(actions.map((a) => a.action)).toEqual(["submit", "remind", "remind", "escalate", "expire"]);
    const trail = await chat
      .group(GROUP)
      .as("张三")
      .says("审批 #1")
      .expectReply(/^#1 微博《垃圾分类宣传周》：已过期（第1版）/);
    expect(trail.split("\n").slice(-4)).toEqual([
      "11月26日（周四）12:00 提醒审批人（第1级「科室负责人」：李四、王五）",
      "11月27日（周五）09:00 提醒审批人（第1级「科室负责人」：李四、王五）",
      "11月27日（周五）09:00 告知管理员（管理员；还在等 李四、王五）",
      "11月27日（周五）10:00 过期（审批截止时还在等 李四、王五）",
    ]);
  });

  it("does not remind someone who has answered", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says("送审 网站 标题：开放日 本周六开放日。").replies();
    await chat.group(GROUP).as("李四").says("同意").replies();
    await chat.announcements();
    await chat.advanceTo(at(26, "12:00"));
    expect(await recipients(chat)).toEqual(["dm:王五"]);
  });

  it("a passed stage's reminders never fire; the next stage gets its own", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(WEIBO).replies();
    await chat.advanceTo(at(26, "11:00"));
    await chat.group(GROUP).as("李四").says("同意").replies();
    await chat.announcements();
    await chat.advanceTo(at(26, "12:30"));
    expect(await recipients(chat)).toEqual([]);
    await chat.advanceTo(at(26, "13:00"));
    expect(await recipients(chat)).toEqual(["dm:赵六", "dm:钱七", "dm:管理员"]);
  });

  it("after an edit only the new version's reminders and deadline count", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(WEIBO).replies();
    await chat.advanceTo(at(26, "11:30"));
    await chat.group(GROUP).as("张三").says("修改 #1 新的正文").expectReply(/第2版/);
    await chat.announcements();
    await chat.advanceTo(at(26, "13:00"));
    expect(await recipients(chat)).toEqual([]);
    await chat.advanceTo(at(26, "13:30"));
    expect(await recipients(chat)).toEqual(["dm:李四", "dm:王五"]);
    // The first version's deadline passes without effect; the second's (24 h after the edit) expires it.
    await chat.advanceTo(at(27, "10:00"));
    await chat.announcements();
    expect((await draftRow(chat, 1)).status).toBe("pending");
    // 10:30: one hour before the new deadline, the approvers and then the admin; 11:30: expired.
    await chat.advanceTo(at(27, "11:30"));
    expect(await recipients(chat)).toEqual(["dm:李四", "dm:王五", "dm:管理员", GROUP]);
    expect(await draftRow(chat, 1)).toMatchObject({ status: "expired", version: 2 });
  });

  it("a decided draft gets no more reminders and never expires", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(WEIBO).replies();
    await chat.group(GROUP).as("王五").says("驳回 再想想").replies();
    await chat.announcements();
    await chat.advanceTo(at(28, "10:00"));
    expect(await recipients(chat)).toEqual([]);
    expect((await draftRow(chat, 1)).status).toBe("rejected");
  });
});
