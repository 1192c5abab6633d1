import { describe, expect, it } from "vitest";
import { decodePlanBytes } from "../../src/domain/plan/decode.ts";
import { parsePlan } from "../../src/domain/plan/structure.ts";
import { EXPECTED, SAMPLE } from "./db.ts";

const PAREN_PLAN = `滨江市城市管理局2022年宣传工作要点

一、做好新闻发布

（一）规范新闻发布。全年召开四次新闻发布会，每季度一次，由宣传科负责。

（二）办好简报。每月一期，由办公室负责编印。

二、强化督查

（一）开展督查。上半年和下半年分别组织核查，环卫处配合。
`;

describe("parsing the sample plan", () => {
  it("gives the structure written by hand from reading the document", () => {
    expect(parsePlan(SAMPLE)).toEqual(EXPECTED);
  });

  it("gives the same structure from a copy with more PDF damage: CRLF, page breaks, half-width commas", () => {
    const damaged = SAMPLE.replace("城市精细化管理", "城市精细化管\n\n— 1 —\n\n理")
      .replace("由办公室牵头，各科室配合", "由办公室牵头,各科室配合")
      .replace("年底前评选表彰", "年底前评选表\n\n表彰")
      .replace("新闻写作与舆情应对培训", "新闻写作与舆情应\n\n— 2 —\n\n对培训")
      .replace("举办三次", "举办 三 次")
      .replace("（一）", "(一)")
      .replace(/\n/g, "\r\n");
    expect(parsePlan(damaged)).toEqual(EXPECTED);
  });

  it("has no line breaks inside titles or bodies", () => {
    for (const s of parsePlan(SAMPLE).sections)
      for (const item of s.items) expect(`${item.title}${item.body}`).not.toMatch(/\n/);
  });
});

describe("parsing other plans", () => {
  it("reads items numbered （一）（二） and a plan without a notice", () => {
    const plan = parsePlan(PAREN_PLAN);
    expect(plan).toMatchObject({
      title: "滨江市城市管理局2022年宣传工作要点",
      year: 2022,
      issuer: "滨江市城市管理局",
    });
    expect(plan.issuedOn).toBeNull();
    expect(plan.sections.map((s) => s.items.map((i) => [i.code, i.title]))).toEqual([
      [
        ["1.1", "规范新闻发布"],
        ["1.2", "办好简报"],
      ],
      [["2.1", "开展督查"]],
    ]);
    const [first, second] = plan.sections;
    expect(first?.items[0]).toMatchObject({
      targets: [{ kind: "press_conference", count: 4 }],
      due: "2022-12-31",
      units: { lead: ["宣传科"], support: [] },
    });
    expect(first?.items[1]?.targets).toEqual([{ kind: "publication", count: 12, text: "每月一期" }]);
    expect(second?.items[0]).toMatchObject({
      targets: [{ kind: "inspection", count: 2, text: "上半年和下半年分别组织核查" }],
      due: "2022-12-31",
      units: { lead: [], support: ["环卫处"] },
    });
  });

  it("reads CRLF line endings like LF", () => {
    expect(parsePlan(PAREN_PLAN.replace(/\n/g, "\r\n"))).toEqual(parsePlan(PAREN_PLAN));
  });

  it("takes the year from --year over the document, and puts the dues in it", () => {
    const plan = parsePlan(SAMPLE, { year: 2022 });
    expect(plan.year).toBe(2022);
    expect(plan.sections[0]?.items[2]?.due).toBe("2022-09-30");
    expect(plan.issuedOn).toBe("2021-02-25");
  });

  it("keeps points numbered the other way inside their item", () => {
    const plan = parsePlan(
      "2021年工作要点\n\n一、学习\n\n（一）落实制度。要求如下：\n\n1. 每月一次集中学习；\n\n2. 年底前形成汇编。\n",
    );
    expect(plan.sections[0]?.items).toHaveLength(1);
    expect(plan.sections[0]?.items[0]).toMatchObject({
      code: "1.1",
      body: "要求如下：\n1. 每月一次集中学习；\n2. 年底前形成汇编。",
      due: "2021-12-31",
    });
  });

  it("stops at the signature and date that close a plan", () => {
    const plan = parsePlan(
      "滨江市城管局2021年工作要点\n\n一、学习\n\n1. 落实制度。每月一次集中学习。\n\n滨江市城管局\n\n2021年3月1日\n",
    );
    expect(plan).toMatchObject({ issuer: "滨江市城管局", issuedOn: "2021-03-01" });
    expect(plan.sections[0]?.items[0]?.body).toBe("每月一次集中学习。");
  });
});

describe("text that is not a plan", () => {
  it("says so in one Chinese sentence", () => {
    expect(() => parsePlan("   \n\n  ")).toThrow("文件是空的");
    expect(() => parsePlan("会议纪要\n\n今天开会讨论了宣传工作。")).toThrow(/没有“一、二、三……”这样的章节/);
    expect(() => parsePlan("2021年工作要点\n\n一、学习\n\n坚持学习。")).toThrow(
      /没有“1. 2.”或“（一）（二）”/,
    );
    expect(() => parsePlan("工作要点\n\n一、学习\n\n1. 落实制度。每月学习。")).toThrow(/--year/);
    expect(() => parsePlan("2021年工作要点\n\n一、学习\n\n1. 甲。\n\n1. 乙。")).toThrow(
      /第一部分的第 1 项编号出现了两次/,
    );
  });
});

describe("reading the file's bytes", () => {
  const utf8 = (s: string) => new TextEncoder().encode(s);

  it("accepts UTF-8, with or without a byte order mark", () => {
    expect(decodePlanBytes(utf8("一、学习"))).toBe("一、学习");
    expect(decodePlanBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8("一、学习")]))).toBe("一、学习");
  });

  it("refuses GBK, UTF-16, mojibake, binary and empty files with what to do", () => {
    // "工作要点\n一、" saved as GBK.
    const gbk = Buffer.from("b9a4d7f7d2aab5e30ad2bba1a2", "hex");
    expect(() => decodePlanBytes(gbk)).toThrow("文件不是 UTF-8 编码（可能是 GBK），请另存为 UTF-8 后再导入");
    expect(() => decodePlanBytes(new Uint8Array([0xff, 0xfe, 0x00, 0x4e]))).toThrow("UTF-16");
    expect(() => decodePlanBytes(utf8("工作要点\uFFFD\uFFFD"))).toThrow("乱码");
    expect(() => decodePlanBytes(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff]))).toThrow(
      "不是文本文件",
    );
    expect(() => decodePlanBytes(utf8("%PDF\u0000\u0001"))).toThrow("不是文本文件");
    expect(() => decodePlanBytes(new Uint8Array())).toThrow("文件是空的");
    expect(() => decodePlanBytes(utf8(" \n\r\n"))).toThrow("文件是空的");
  });
});

describe("layouts seen in other plans", () => {
  it("reads a title printed on two lines, item headings on their own line, and 一. sections", () => {
    const plan = parsePlan(
      "滨江市城市管理局2023年\n\n宣传工作要点\n\n一.加强学习\n\n（一）加强理论学习\n\n坚持每月一次集中学习，由办公室牵头。\n\n（二）开展专题讲座\n\n全年举办两期讲座。\n",
    );
    expect(plan).toMatchObject({ title: "滨江市城市管理局2023年宣传工作要点", year: 2023 });
    expect(plan.sections[0]?.items).toMatchObject([
      {
        code: "1.1",
        title: "加强理论学习",
        body: "坚持每月一次集中学习，由办公室牵头。",
        targets: [{ count: 12 }],
      },
      {
        code: "1.2",
        title: "开展专题讲座",
        body: "全年举办两期讲座。",
        targets: [{ kind: "lecture", count: 2 }],
      },
    ]);
  });
});
