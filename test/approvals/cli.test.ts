import { describe, expect, it } from "vitest";
import { runApproval } from "../../src/cli/approval.ts";
import { GROUP, runCli, useApprovalBot, WEIBO } from "./support.ts";

const t = useApprovalBot();

const approval = (...argv: string[]) => runCli(runApproval, t.chat, argv);

describe("huibao approval show", () => {
  it("prints the draft and every vote as JSON", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(WEIBO).replies();
    chat.clock.advance(60_000);
    await chat.group(GROUP).as("李四").says("驳回 标题再短一点").replies();
    chat.clock.advance(60_000);
    await chat.group(GROUP).as("张三").says("修改 #1 标题：宣传周").replies();
    chat.clock.advance(60_000);
    await chat.group(GROUP).as("王五").says("同意 #1 可以").replies();

    const r = await approval("show", "1", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out.join("\n"))).toEqual({
      id: 1,
      channel: "微博",
      status: "pending",
      version: 2,
      stage: 2,
      votes: [
        {
          person: "李四",
          decision: "reject",
          version: 1,
          reason: "标题再短一点",
          at: "2026-11-26T02:01:00.000Z",
        },
        { person: "王五", decision: "approve", version: 2, reason: "可以", at: "2026-11-26T02:03:00.000Z" },
      ],
    });
  });

  it("prints the trail without --json, and says when there is no such draft", async () => {
    const { chat } = t;
    await chat.group(GROUP).as("张三").says(WEIBO).replies();
    const r = await approval("show", "#1");
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe("#1 微博《垃圾分类宣传周》：审批中（第1版）");
    expect(r.out).toContain("11月26日（周四）10:00 张三（送审人）送审 第1版");
    expect(await approval("show", "9", "--json")).toEqual({ code: 1, out: [], err: ["没有 #9 这份稿件。"] });
    expect((await approval("show")).code).toBe(2);
    expect((await approval("list")).code).toBe(2);
  });
});
