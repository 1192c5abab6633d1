import { describe, expect, it } from "vitest";
import { parseReportInput } from "../../src/domain/tasks/report-input.ts";

describe("what follows the task code in 进度", () => {
  it.each([
    ["60%", { kind: "percent", percent: 60 }, ""],
    ["６０％ 初稿已成", { kind: "percent", percent: 60 }, "初稿已成"],
    ["60 说明", { kind: "percent", percent: 60 }, "说明"],
    ["60%，已开两场", { kind: "percent", percent: 60 }, "已开两场"],
    ["百分之六十五", { kind: "percent", percent: 65 }, ""],
    ["百分之百 全部完成", { kind: "percent", percent: 100 }, "全部完成"],
    ["+1 第二场已召开", { kind: "count", delta: 1 }, "第二场已召开"],
    ["＋2", { kind: "count", delta: 2 }, ""],
    ["加1", { kind: "count", delta: 1 }, ""],
    ["加两场 城东、城西", { kind: "count", delta: 2 }, "城东、城西"],
    ["-1 记重了", { kind: "count", delta: -1 }, "记重了"],
    ["减一 记重了", { kind: "count", delta: -1 }, "记重了"],
    ["完成", { kind: "complete" }, ""],
    ["已完成：材料已归档", { kind: "complete" }, "材料已归档"],
    ["+1 完成 超额一场", { kind: "complete", delta: 1 }, "超额一场"],
  ])("%s", (text, change, note) => {
    expect(parseReportInput(text)).toEqual({ ok: true, change, note });
  });

  it.each(["完成了两场", "加强宣传", "差不多了", "", "-1 完成"])("refuses %s", (text) => {
    expect(parseReportInput(text)).toEqual({ ok: false });
  });
});
