import { describe, expect, it } from "vitest";
import { renderPlain } from "../../src/bot/local-chat.ts";
import { verifyAuditChain } from "../../src/domain/audit/verify.ts";
import { draftRow, GROUP, useApprovalBot, voteCount, WEIBO } from "./support.ts";

const t = useApprovalBot();

async function actions(): Promise<string[]> {
  const rows = await t.chat.db.prisma.auditRecord.findMany({
    orderBy: { id: "asc" },
    select: { action: true },
  });
  return rows.map((r) => r.action);
}

describe("delivery: the same message twice, and answers at the same moment", () => {
  it("counts a platform message handled twice once, and answers it the same way", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says("送审 网站 标题：开放日 本周六开放日。").replies();
    // The inbox handles a message again only when the first answer was never queued (a crash).
    const message = chat.incoming("李四", "同意", GROUP, { messageId: "wecom-msg-0001" });
    const first = (await chat.bot.handle(message)).map(renderPlain);
    const again = (await chat.bot.handle(message)).map(renderPlain);
    expect(first).toEqual(["已记录：你同意了 #1（第1级「科室」，已有 1/2 人同意）。"]);
    expect(again).toEqual(first);
    expect(await voteCount(chat, 1)).toBe(1);
    expect(await actions()).toEqual(["submit", "approve"]);
  });

  it("sends the next stage its notices when the answer that passed a stage is handled again", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(WEIBO).replies();
    const passing = chat.incoming("李四", "同意", GROUP, { messageId: "wecom-msg-pass" });
    const shown = (messages: Awaited<ReturnType<typeof chat.bot.handle>>) =>
      messages.map((m) => `${m.to ? JSON.stringify(m.to) : "reply"}: ${renderPlain(m)}`);
    const first = shown(await chat.bot.handle(passing));
    expect(first.filter((m) => !m.startsWith("reply"))).toHaveLength(4); // the group and three approvers
    // The process died before these were queued: handling the message again must not lose them.
    expect(shown(await chat.bot.handle(passing))).toEqual(first);
    expect(await voteCount(chat, 1)).toBe(1);
    expect(await actions()).toEqual(["submit", "approve", "pass"]);

    // Once the draft has moved on, the old answer only confirms the vote: newer notices went out.
    await chat.dm("赵六").says("同意 #1").replies();
    await chat.dm("钱七").says("同意 #1").replies();
    expect((await draftRow(chat, 1)).status).toBe("approved");
    expect(shown(await chat.bot.handle(passing))).toEqual([
      "reply: 已记录：你同意了 #1（这条消息之前已经计过票）。",
    ]);
    expect(await voteCount(chat, 1)).toBe(3);
  });

  it("creates one draft and one new version from a submission or edit delivered twice", async () => {
    const { chat } = t;
    const submit = chat.incoming("张三", WEIBO, GROUP, { messageId: "dingtalk-msg-1" });
    await chat.bot.handle(submit);
    const again = (await chat.bot.handle(submit)).map(renderPlain);
    expect(again).toEqual(["这条消息已经送审过了：#1。"]);
    expect(await chat.db.prisma.draft.count()).toBe(1);

    const edit = chat.incoming("张三", "修改 #1 新正文", GROUP, { messageId: "dingtalk-msg-2" });
    await chat.bot.handle(edit);
    expect((await chat.bot.handle(edit)).map(renderPlain)).toEqual([
      "这条修改之前已经收到了：#1 现在是第2版。",
    ]);
    expect((await draftRow(chat, 1)).version).toBe(2);
    expect(await actions()).toEqual(["submit", "edit"]);
  });

  it("counts two approvers answering at the same moment, once each, and approves once", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says("送审 网站 标题：开放日 本周六开放日。").replies();
    const replies = await Promise.all(
      ["李四", "王五"].map(async (p) =>
        (await chat.bot.handle(chat.incoming(p, "同意", GROUP))).filter((m) => !m.to),
      ),
    );
    const texts = replies.flat().map(renderPlain).sort();
    expect(texts).toEqual([
      "已记录：你同意了 #1（第1级「科室」，已有 1/2 人同意）。",
      "已记录：你同意了 #1，审批全部通过。",
    ]);
    expect(await voteCount(chat, 1)).toBe(2);
    expect((await draftRow(chat, 1)).status).toBe("approved");
    expect(await actions()).toEqual(["submit", "approve", "approve", "approved"]);
    expect(await verifyAuditChain(chat.db.prisma)).toEqual({ ok: true, checked: 4 });
  });

  it("passes a k-of-n stage once when all three answer together; the last one is told it is done", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(WEIBO).replies();
    await chat.group(GROUP).as("李四").says("同意").replies();
    const replies = await Promise.all(
      ["赵六", "钱七", "管理员"].map(async (p) =>
        (await chat.bot.handle(chat.incoming(p, "同意 #1"))).filter((m) => !m.to),
      ),
    );
    const texts = replies.flat().map(renderPlain);
    expect(texts.filter((r) => r.includes("审批全部通过"))).toHaveLength(1);
    expect(texts.filter((r) => r.includes("不用再审批"))).toHaveLength(1);
    expect(await chat.db.prisma.vote.count({ where: { stage: 1 } })).toBe(2);
    expect((await actions()).filter((a) => a === "approved")).toHaveLength(1);
    expect((await verifyAuditChain(chat.db.prisma)).ok).toBe(true);
  });
});
