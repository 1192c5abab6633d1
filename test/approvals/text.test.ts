import { describe, expect, it } from "vitest";
import { isDecisionWord, splitTarget } from "../../commands/approval-common.ts";
import { DEFAULT_SETTINGS } from "../../src/bot/command.ts";
import { compose, defaultTitle } from "../../src/domain/approvals/compose.ts";
import { describeChanges } from "../../src/domain/approvals/content.ts";
import { stageJobs } from "../../src/domain/approvals/jobs.ts";
import { quoteTarget } from "../../src/domain/approvals/target.ts";

describe("reading a submission", () => {
  it("takes the publish time, the title and a body over several lines", () => {
    expect(compose("发布时间：明天上午10点 标题：垃圾分类宣传周 本周起，全市开展宣传。\n欢迎参加。")).toEqual(
      {
        when: "明天上午10点",
        title: "垃圾分类宣传周",
        body: "本周起，全市开展宣传。\n欢迎参加。",
      },
    );
    expect(compose("发布时间：12月3日 14:00\n标题：启动仪式\n正文：今天上午，\n活动时间：下午")).toEqual({
      when: "12月3日 14:00",
      title: "启动仪式",
      body: "今天上午，\n活动时间：下午",
    });
  });

  it("lets a title with spaces be bracketed or followed by 正文：", () => {
    expect(compose("标题：《2026 年 宣传周》 本周起").title).toBe("2026 年 宣传周");
    expect(compose("标题：2026 年 宣传周 正文：本周起")).toEqual({
      when: null,
      title: "2026 年 宣传周",
      body: "本周起",
    });
  });

  it("reads labels only at the head: the body keeps its own 时间： and 标题：", () => {
    expect(compose("今天开会。\n标题：不是标题")).toEqual({
      when: null,
      title: null,
      body: "今天开会。\n标题：不是标题",
    });
    expect(compose("发布时间：明天 上午10点 本周起……").when).toBe("明天 上午10点");
  });

  it("titles an untitled draft by its first line", () => {
    expect(defaultTitle("\n本周起，全市开展垃圾分类宣传周活动，欢迎市民参加。\n第二行")).toBe(
      "本周起，全市开展垃圾分类宣传周活动，欢迎…",
    );
  });
});

describe("reading a reply", () => {
  it("counts only the exact first word, glued to #N or punctuation", () => {
    const names = ["同意", "通过", "批准"];
    for (const w of ["同意", "同意#12", "同意＃１２", "通过。", "批准！", "同意，"])
      expect(isDecisionWord(w, names), w).toBe(true);
    for (const w of ["同意吗？", "同意?", "同意？", "通过了吗", "同意吧", "同意#", "我同意"])
      expect(isDecisionWord(w, names), w).toBe(false);
    expect(isDecisionWord("不同意见", ["驳回", "不同意", "退回修改"])).toBe(false);
    expect(isDecisionWord("退回修改：标题", ["驳回", "不同意", "退回修改"])).toBe(true);
    expect(isDecisionWord("驳回#12：标题", ["驳回"])).toBe(true);
    expect(isDecisionWord("同意#12吗", ["同意"])).toBe(false);
  });

  it("splits a named draft from the reason", () => {
    expect(splitTarget("#12 标题有误")).toEqual({ id: 12, text: "标题有误" });
    expect(splitTarget("：标题有误")).toEqual({ id: undefined, text: "标题有误" });
    expect(splitTarget("＃３，标题")).toEqual({ id: 3, text: "标题" });
    expect(splitTarget("3 处错别字")).toEqual({ id: undefined, text: "3 处错别字" });
    expect(splitTarget(undefined)).toEqual({ id: undefined, text: "" });
  });

  it("finds the draft in a quote however the platform shows it", () => {
    expect(quoteTarget("@李四 @王五 #12 待审批：微博《宣传周》\n…正文 #3号线#")).toEqual({
      kind: "draft",
      id: 12,
    });
    expect(quoteTarget("**#12 待审批**")).toEqual({ kind: "draft", id: 12 });
    // WeCom markdown keeps mentions in the content as <@userid>.
    expect(quoteTarget("<@lisi> <@wangwu> #12 待审批：微博《#3号线#》")).toEqual({ kind: "draft", id: 12 });
    expect(quoteTarget("汇报助手：[#7 待审批：开放日]")).toEqual({ kind: "draft", id: 7 });
    expect(quoteTarget("以上 #5 的修改意见")).toEqual({ kind: "draft", id: 5 });
    expect(quoteTarget("比较 #5 和 #6")).toEqual({ kind: "several", ids: [5, 6] });
    expect(quoteTarget("周六见")).toEqual({ kind: "none" });
    expect(quoteTarget(undefined)).toEqual({ kind: "none" });
  });
});

describe("what changed between versions", () => {
  it("names a new title and the lines removed and added", () => {
    expect(
      describeChanges(
        { title: "宣传周", body: "第一段\n第二段\n第三段" },
        { title: "宣传周启动", body: "第一段\n第三段\n第四段" },
      ),
    ).toEqual(["标题：《宣传周》→《宣传周启动》", "－ 删去：第二段", "＋ 新增：第四段"]);
    expect(describeChanges({ title: "a", body: "x\n\ny" }, { title: "a", body: "x\ny " })).toEqual([
      "只改了空格或空行",
    ]);
  });
});

describe("reminder jobs", () => {
  it("plans reminders after the start and before the deadline, one per instant, then the admins", () => {
    const start = new Date("2026-11-26T02:00:00Z");
    const d = { id: 12, version: 2, stage: 1, deadline: new Date("2026-11-27T02:00:00Z") };
    const jobs = stageJobs(d, start, { ...DEFAULT_SETTINGS, approvalRemindAfter: [7_200_000, 82_800_000] });
    expect(jobs.map((j) => [j.kind, j.key, j.runAt.toISOString()])).toEqual([
      ["approval.remind", "approval:12:v2:s1:remind:a7200000", "2026-11-26T04:00:00.000Z"],
      ["approval.remind", "approval:12:v2:s1:remind:a82800000", "2026-11-27T01:00:00.000Z"],
      ["approval.escalate", "approval:12:v2:s1:escalate", "2026-11-27T01:00:00.000Z"],
    ]);
    // A stage that starts 30 minutes before its deadline gets no reminder at all.
    expect(stageJobs(d, new Date("2026-11-27T01:30:00Z"), DEFAULT_SETTINGS)).toEqual([]);
  });
});
