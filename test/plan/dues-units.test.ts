import { describe, expect, it } from "vitest";
import { extractDue } from "../../src/domain/plan/dues.ts";
import { matchUnit, matchUnits } from "../../src/domain/plan/unit-match.ts";
import { extractUnits } from "../../src/domain/plan/units.ts";

describe("due dates", () => {
  it("reads deadlines as dates in the plan's year", () => {
    expect(extractDue("9月底前完成。", 2021)).toBe("2021-09-30");
    expect(extractDue("6月底前完成推荐。", 2021)).toBe("2021-06-30");
    expect(extractDue("3月底前报宣传科备案。", 2021)).toBe("2021-03-31");
    expect(extractDue("10月底前完成。", 2021)).toBe("2021-10-31");
    expect(extractDue("二月底前完成。", 2024)).toBe("2024-02-29");
    expect(extractDue("二月底前完成。", 2021)).toBe("2021-02-28");
    expect(extractDue("年底前形成学习汇编。", 2021)).toBe("2021-12-31");
    expect(extractDue("全年召开四次新闻发布会。", 2022)).toBe("2022-12-31");
    expect(extractDue("5月20日前报送。", 2021)).toBe("2021-05-20");
    expect(extractDue("第三季度前完成。", 2021)).toBe("2021-09-30");
    expect(extractDue("上半年完成。", 2021)).toBe("2021-06-30");
  });

  it("takes the last deadline an item names, and null when it names none", () => {
    expect(extractDue("6月底前完成推荐，年底前评选表彰。", 2021)).toBe("2021-12-31");
    expect(extractDue("上半年和下半年各开展一次督查。", 2021)).toBe("2021-12-31");
    expect(extractDue("建立舆情日报制度，2小时内报告。", 2021)).toBeNull();
    expect(extractDue("每季度一次。", 2021)).toBeNull();
  });
});

describe("units named in an item", () => {
  it("reads lead units (牵头, 负责, 由…组织) and support units (配合, 参加, 选派…参加)", () => {
    expect(extractUnits("由办公室牵头，各科室配合，年底前完成。")).toEqual({
      lead: ["办公室"],
      support: ["各科室"],
    });
    expect(extractUnits("由宣传科负责组织，各分局选派骨干参加。")).toEqual({
      lead: ["宣传科"],
      support: ["各分局"],
    });
    expect(extractUnits("宣传科负责拟定发布方案，分管领导审核后实施。")).toEqual({
      lead: ["宣传科"],
      support: [],
    });
    expect(extractUnits("由环卫处组织，执法大队和园林处参加。")).toEqual({
      lead: ["环卫处"],
      support: ["执法大队", "园林处"],
    });
    expect(extractUnits("宣传科牵头，会同市政设施管理处开展。")).toEqual({
      lead: ["宣传科"],
      support: ["市政设施管理处"],
    });
  });

  it("makes units that open a clause its lead", () => {
    expect(extractUnits("环卫处、园林处、市政设施管理处结合实际各组织一次比武。").lead).toEqual([
      "环卫处",
      "园林处",
      "市政设施管理处",
    ]);
    expect(extractUnits("各单位主要负责同志为第一责任人。")).toEqual({ lead: ["各单位"], support: [] });
    expect(extractUnits("市城市管理局办公室负责编印。").lead).toEqual(["市城市管理局办公室"]);
  });

  it("does not read people, places or phrases as units", () => {
    expect(extractUnits("所有稿件须经科室负责人和分管领导两级审核后方可发布。")).toEqual({
      lead: [],
      support: [],
    });
    expect(extractUnits("对工作不力的单位予以通报。")).toEqual({ lead: [], support: [] });
    expect(extractUnits("邀请市民代表和媒体记者走进环卫处、园林处一线。")).toEqual({ lead: [], support: [] });
  });
});

describe("matching units to the directory", () => {
  const units = [
    { id: 1, name: "市城市管理局办公室", aliases: ["办公室", "局办"] },
    { id: 2, name: "市城市管理局宣传科", aliases: ["宣传科"] },
    { id: 3, name: "市城市管理局环境卫生管理处", aliases: ["环卫处"] },
    { id: 4, name: "市城市管理局城东分局", aliases: ["城东分局"] },
    { id: 5, name: "市城市管理局城西分局", aliases: ["城西分局"] },
    { id: 6, name: "市城市管理局园林处", aliases: [] },
  ];
  const ids = (name: string) => matchUnit(name, units).map((u) => u.id);

  it("by full name, alias, the end of a full name, or every unit a collective name covers", () => {
    expect(ids("宣传科")).toEqual([2]);
    expect(ids("市城市管理局环境卫生管理处")).toEqual([3]);
    expect(ids("园林处")).toEqual([6]);
    expect(ids("各分局")).toEqual([4, 5]);
    expect(ids("各科室")).toEqual([1, 2]);
    expect(ids("局属各单位")).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ids("执法大队")).toEqual([]);
    expect(ids("分局")).toEqual([]);
  });

  it("keeps the names it cannot match, and never makes a unit both lead and support", () => {
    expect(matchUnits({ lead: ["宣传科", "执法大队"], support: ["各科室"] }, units)).toEqual({
      lead: [2],
      support: [1],
      unmatched: ["执法大队"],
    });
  });
});
