import { describe, expect, it } from "vitest";
import { extractTargets } from "../../src/domain/plan/targets.ts";
import { readNumeral } from "../../src/lib/chinese-numerals.ts";

const counts = (text: string, title = "") => extractTargets(text, title).map((t) => [t.kind, t.count]);

describe("numerals", () => {
  it("reads Chinese and Arabic numerals", () => {
    expect(readNumeral("两")).toBe(2);
    expect(readNumeral("十")).toBe(10);
    expect(readNumeral("十二")).toBe(12);
    expect(readNumeral("二十四")).toBe(24);
    expect(readNumeral("一百零五")).toBe(105);
    expect(readNumeral("二〇二一")).toBe(2021);
    expect(readNumeral("12")).toBe(12);
    expect(readNumeral("十十")).toBeNull();
    expect(readNumeral("一二十")).toBeNull();
    expect(readNumeral("期")).toBeNull();
  });
});

describe("targets", () => {
  it("reads a numeral and its measure word with what is counted", () => {
    expect(extractTargets("邀请专家学者举办两期城市管理专题讲座，由宣传科负责。")).toEqual([
      { kind: "lecture", count: 2, text: "两期城市管理专题讲座" },
    ]);
    expect(counts("全年编印12期《滨江城管》简报。")).toEqual([["publication", 12]]);
    expect(counts("举办三次新闻写作与舆情应对培训。")).toEqual([["training", 3]]);
    expect(counts("召开十二场新闻发布会。")).toEqual([["press_conference", 12]]);
    expect(counts("组织二十名骨干参加比赛。")).toEqual([["event", 20]]);
    expect(counts("开展两轮专项检查。")).toEqual([["inspection", 2]]);
    expect(counts("举办4期次道德讲堂。")).toEqual([["lecture", 4]]);
    expect(counts("上党课两次。")).toEqual([["lecture", 2]]);
  });

  it("names the kind by the head of the phrase, and by the clause when the object says nothing", () => {
    expect(counts("年底前评选表彰10名“身边的好城管”。")).toEqual([["event", 10]]);
    expect(counts("全年召开新闻发布会4次。")).toEqual([["press_conference", 4]]);
    expect(counts("组织一次技能培训讲座。")).toEqual([["lecture", 1]]);
    expect(counts("发放一千份宣传资料。")).toEqual([["other", 1000]]);
  });

  it("multiplies distributive forms", () => {
    expect(counts("上半年、下半年各一期讲座。")).toEqual([["lecture", 2]]);
    expect(counts("上半年和下半年分别组织核查。")).toEqual([["inspection", 2]]);
    expect(counts("上半年和下半年各开展一次宣传工作督查。")).toEqual([["inspection", 2]]);
    expect(counts("环卫处、园林处、市政设施管理处结合实际各组织一次岗位技能比武。")).toEqual([["event", 3]]);
    expect(counts("每季度一次新闻发布会。")).toEqual([["press_conference", 4]]);
    expect(counts("每月一期简报。")).toEqual([["publication", 12]]);
    expect(counts("坚持每月一次集中学习。")).toEqual([["other", 12]]);
    expect(counts("每季度至少开展一次督查。")).toEqual([["inspection", 4]]);
    expect(counts("每半年召开两次座谈会。")).toEqual([["other", 4]]);
  });

  it("a distributive phrase with no object of its own takes its kind from the sentence", () => {
    expect(counts("组织专项督查，每季度一次。")).toEqual([["inspection", 4]]);
    expect(counts("编印工作简报，每月一期。")).toEqual([["publication", 12]]);
  });

  it("does not count a number twice when the sentence restates it", () => {
    expect(counts("全年召开四次新闻发布会，每季度一次，重大事项随时发布。")).toEqual([
      ["press_conference", 4],
    ]);
    expect(counts("全年编印12期简报，每月一期。")).toEqual([["publication", 12]]);
    expect(counts("举办两期专题讲座，上半年、下半年各一期。")).toEqual([["lecture", 2]]);
  });

  it("counts a single compilation or bulletin that is promised without a number", () => {
    expect(extractTargets("年底前形成学习汇编。")).toEqual([
      { kind: "publication", count: 1, text: "学习汇编" },
    ]);
    expect(counts("评选表彰10名先进，编印事迹汇编。")).toEqual([
      ["event", 10],
      ["publication", 1],
    ]);
  });

  it("finds no target in routine duties, durations, ordinals or per-unit quotas", () => {
    expect(counts("政务微博每周更新不少于5条，两级审核后发布。")).toEqual([]);
    expect(counts("发现负面舆情2小时内报告，24小时内回应。")).toEqual([]);
    expect(counts("建立舆情日报制度，每天报送。")).toEqual([]);
    expect(counts("各单位主要负责同志为第一责任人，确定一名信息员。")).toEqual([]);
    expect(counts("两个月内完成整改。")).toEqual([]);
    expect(counts("各分局选派骨干参加。")).toEqual([]);
  });

  it("falls back on the item title for the kind", () => {
    expect(counts("全年两次，由宣传科负责。", "举办专题讲座")).toEqual([["lecture", 2]]);
  });
});

describe("targets in wordings of other plans", () => {
  it("reads minimums, and skips quotas per unit inside a sentence", () => {
    expect(extractTargets("在市级以上媒体刊发稿件100篇以上，政务新媒体每日更新。")).toEqual([
      { kind: "other", count: 100, text: "在市级以上媒体刊发稿件100篇以上" },
    ]);
    expect(counts("深入基层开展宣讲不少于20场次，9月底前完成。")).toEqual([["lecture", 20]]);
    expect(counts("上半年、下半年各举办一期通讯员培训班，宣传科负责，各单位选派1至2名通讯员参加。")).toEqual([
      ["training", 2],
    ]);
  });
});
