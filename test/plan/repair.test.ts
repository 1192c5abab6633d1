import { describe, expect, it } from "vitest";
import { isPageNumber, normalizeLine, repairText } from "../../src/domain/plan/repair.ts";

describe("repairing text extracted from a PDF", () => {
  it("joins a word split across a page break with blank lines in between", () => {
    expect(repairText("1. 弘扬城管精\n\n神，做好宣传。")).toEqual(["1. 弘扬城管精神，做好宣传。"]);
    expect(repairText("各分局选派骨干参\n\n加。")).toEqual(["各分局选派骨干参加。"]);
  });

  it("drops the character a converter repeated after the break", () => {
    expect(repairText("为城市环境建设\n\n设,营造良好氛围。")).toEqual(["为城市环境建设，营造良好氛围。"]);
    // Characters really written twice are kept.
    expect(repairText("1. 及时发布。做到天\n\n天更新，按时报送。")).toEqual([
      "1. 及时发布。做到天天更新，按时报送。",
    ]);
  });

  it("drops page numbers on their own line, and joins the sentence they interrupted", () => {
    expect(isPageNumber("— 2 —")).toBe(true);
    expect(isPageNumber("- 12 -")).toBe(true);
    expect(isPageNumber("第 3 页")).toBe(true);
    expect(isPageNumber("3月底前完成。")).toBe(false);
    expect(repairText("3. 加强管理。每周更新，所有稿件\n\n— 2 —\n\n须经审核。")).toEqual([
      "3. 加强管理。每周更新，所有稿件须经审核。",
    ]);
  });

  it("takes the spaces out of dates and numbers", () => {
    expect(normalizeLine("2021 年 2 月 25 日")).toBe("2021年2月25日");
    expect(normalizeLine("全年编印 12 期《滨江城管》简报")).toBe("全年编印12期《滨江城管》简报");
    expect(normalizeLine("宣 传 科")).toBe("宣传科");
    // Latin words keep the spaces around them.
    expect(normalizeLine("使用 WeCom 和 DingTalk app")).toBe("使用 WeCom 和 DingTalk app");
  });

  it("writes half-width punctuation next to Chinese the Chinese way, and full-width digits as digits", () => {
    expect(normalizeLine("由办公室牵头,各科室配合;年底前完成.")).toBe(
      "由办公室牵头，各科室配合；年底前完成。",
    );
    expect(normalizeLine("(一)举办活动")).toBe("（一）举办活动");
    expect(normalizeLine("１２期，９月底前")).toBe("12期，9月底前");
    expect(normalizeLine("２．规范新闻发布。")).toBe("2.规范新闻发布。");
    expect(normalizeLine("时间:10:30")).toBe("时间：10:30");
    expect(repairText('组织"城管开放日"活动。')).toEqual(["组织“城管开放日”活动。"]);
  });

  it("reads CRLF and CR line ends like LF", () => {
    expect(repairText("一、学习\r\n\r\n1. 落实制度。每月一次\r\n\r\n集中学习。\r\n")).toEqual([
      "一、学习",
      "1. 落实制度。每月一次集中学习。",
    ]);
  });

  it("keeps titles, signatures, dates and headings on their own lines", () => {
    const text =
      "关于印发《工作要点》的通知\n\n各分局、局属各单位：\n\n滨江市城市管理局\n\n2021 年 2 月 25 日\n\n一、加强学习，提升素质\n\n1. 落实制度。";
    expect(repairText(text)).toEqual([
      "关于印发《工作要点》的通知",
      "各分局、局属各单位：",
      "滨江市城市管理局",
      "2021年2月25日",
      "一、加强学习，提升素质",
      "1. 落实制度。",
    ]);
  });
});
