import { describe, expect, it } from "vitest";
import { parseDirectoryFile } from "../../src/domain/directory/file.ts";
import { EXAMPLE, parse } from "./db.ts";

function errorsOf(text: string): string[] {
  const r = parseDirectoryFile(text);
  if (r.ok) throw new Error("expected the file to be rejected");
  return r.errors;
}

describe("parseDirectoryFile", () => {
  it("reads the documented example", () => {
    const file = parse(EXAMPLE);
    expect(file.units.map((u) => u.name)).toContain("市城市管理局宣传科");
    expect(file.units).toHaveLength(6);
    expect(file.people).toHaveLength(11);
    expect(file.groups.map((g) => g.platform).sort()).toEqual(["dingtalk", "local", "wecom", "wecom"]);
    expect(file.unplaced).toEqual([
      { name: "小刘", unit: null, wecom: "liuxiaoming", dingtalk: null, mobile: null },
    ]);
    // 陈静 has no roles in the file: an ordinary member.
    expect(file.people.find((p) => p.name === "陈静")?.roles).toEqual(["member"]);
  });

  it("keeps ids and phone numbers exactly as written, even unquoted", () => {
    const file = parse(`people:
  - name: 张三
    dingtalk: 0123456789
    mobile: 13800000000
    wecom: 007
`);
    expect(file.people[0]).toMatchObject({ dingtalk: "0123456789", mobile: "13800000000", wecom: "007" });
  });

  it("reads roles written as a single word, an empty list, or in any order", () => {
    const file = parse(`people:
  - name: 甲
    roles: admin
  - name: 乙
    roles: []
  - name: 丙
    roles: [member, approver, approver]
`);
    expect(file.people.map((p) => p.roles)).toEqual([["admin"], [], ["approver", "member"]]);
  });

  it("reports every error at once, each with its line and field", () => {
    const text = [
      "units:",
      "  - name: 市城市管理局宣传科",
      "    aliases: [宣传科]",
      "  - name: 市城市管理局办公室",
      "    aliases: [宣传科]", // 5: alias taken
      "people:",
      "  - name: 张三",
      "    unit: 宣传科",
      "    roles: [admin, boss]", // 9: unknown role
      "    wecom: zhangsan",
      "  - name: 李四",
      "    unit: 宣传股", // 12: unknown unit
      "    rolse: [member]", // 13: misspelt field
      "    wecom: zhangsan", // 14: duplicate id
      "  - unit: 宣传科", // 15: no name
      "groups:",
      "  - name: 工作群",
      "    platform: qq", // 18: unknown platform
      "    chat_id: g1",
    ].join("\n");
    expect(errorsOf(text)).toEqual([
      '第 5 行 units[1].aliases[0]：别名 "宣传科" 已被 units[0] 使用',
      '第 9 行 people[0].roles[1]：未知角色 "boss"（可选：admin、leader、approver、member）',
      '第 12 行 people[1].unit：未知单位 "宣传股"（units 里没有这个名称或别名）',
      "第 13 行 people[1].rolse：未知字段（可用：name、unit、roles、wecom、dingtalk、mobile）",
      '第 14 行 people[1].wecom：企业微信 userid "zhangsan" 重复（已在 people[0] 出现）',
      "第 15 行 people[2].name：必填",
      '第 18 行 groups[0].platform：未知平台 "qq"（可选：wecom、dingtalk、local）',
    ]);
  });

  it("reports duplicate unit names, person names, DingTalk ids and group chat ids", () => {
    const text = `units:
  - name: 办公室
  - name: 办公室
people:
  - name: 张三
    dingtalk: "001"
  - name: 张三
unplaced:
  - name: 小王
    dingtalk: "001"
groups:
  - name: 一群
    platform: wecom
    chat_id: c1
  - name: 二群
    platform: wecom
    chat_id: c1
  - name: 同 id 但在钉钉上
    platform: dingtalk
    chat_id: c1
`;
    expect(errorsOf(text)).toEqual([
      '第 3 行 units[1].name：单位名称 "办公室" 重复（已在 units[0] 出现）',
      '第 7 行 people[1].name：姓名 "张三" 重复（已在 people[0] 出现；同名的人请写成“张伟（环卫处）”之类加以区分）',
      '第 10 行 unplaced[0].dingtalk：钉钉 staffId "001" 重复（已在 people[0] 出现）',
      '第 17 行 groups[1].chat_id：群 "c1"（wecom）重复（已在 groups[0] 出现）',
    ]);
  });

  it("lets unplaced people share a nickname when their accounts tell them apart", () => {
    const file = parse(`unplaced:
  - name: 小王
    wecom: wang1
  - name: 小王
    dingtalk: "0999"
`);
    expect(file.unplaced).toHaveLength(2);
  });

  it("names missing required fields at the line of their entry", () => {
    expect(errorsOf("groups:\n  - name: 工作群\n    unit:\n")).toEqual([
      "第 2 行 groups[0].platform：必填（可选：wecom、dingtalk、local）",
      "第 2 行 groups[0].chat_id：必填",
    ]);
  });

  it("flags webhook settings on a platform that does not use them", () => {
    expect(
      errorsOf(`groups:
  - name: 本地群
    platform: local
    chat_id: group:本地群
    webhook_key: abc
  - name: 企业微信群
    platform: wecom
    chat_id: wr1
    webhook_secret: SEC123
`),
    ).toEqual([
      "第 5 行 groups[0].webhook_key：本地群（platform: local）不需要 webhook_key",
      "第 9 行 groups[1].webhook_secret：只有钉钉群（platform: dingtalk）用得到 webhook_secret",
    ]);
  });

  it("gives the line of YAML syntax errors", () => {
    // A misaligned field is found on its own line.
    const errors = errorsOf("units:\n  - name: 办公室\n   aliases: [办公室]\npeople: []\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^第 3 行：YAML 语法错误：请检查这一行和上一行的缩进/);
    expect(errorsOf("people:\n  - name: 张三\n    name: 李四\n")[0]).toMatch(
      /^第 3 行：YAML 语法错误：同一个条目里有重复的字段/,
    );
  });

  it("rejects an empty file, a list at the top and unknown sections", () => {
    expect(errorsOf("")).toEqual(["第 1 行：文件是空的（应包含 units:、people:、groups: 几个部分）"]);
    expect(errorsOf("- 张三\n")[0]).toMatch(/^第 1 行：顶层应为/);
    expect(errorsOf("units: []\nperson:\n  - name: 张三\n")).toEqual([
      "第 2 行 person：未知部分（可用：units、people、groups、unplaced）",
    ]);
    expect(errorsOf("people: 张三\n")).toEqual(["第 1 行 people：应为列表（每一项以“- ”开头）"]);
  });

  it("does not report people of a broken unit as referring to an unknown unit", () => {
    expect(
      errorsOf("units:\n  - name: 宣传科\n    alias: 宣传\npeople:\n  - name: 张三\n    unit: 宣传科\n"),
    ).toEqual(["第 3 行 units[0].alias：未知字段（可用：name、aliases）"]);
  });
});
