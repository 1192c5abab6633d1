import { describe, expect, it } from "vitest";
import { parseEventFields } from "../../src/domain/events/fields.ts";

describe("event fields", () => {
  it("reads labelled fields on one line, in any order, with full-width or ASCII colons", () => {
    expect(parseEventFields("时间：明天下午3点 主题:垃圾分类知识  地点：三楼会议室 主讲人: 李秀英")).toEqual({
      topic: "垃圾分类知识",
      when: "明天下午3点",
      place: "三楼会议室",
      speaker: "李秀英",
    });
  });

  it("reads fields on several lines and keeps colons and spaces inside a value", () => {
    const f = parseEventFields(
      "主题：城市管理 年度成果\n时间：12月5号 10:00\n发言人：王建国\n任务：3.1\n群：宣传科、环卫处",
    );
    expect(f).toEqual({
      topic: "城市管理 年度成果",
      when: "12月5号 10:00",
      speaker: "王建国",
      task: "3.1",
      groups: "宣传科、环卫处",
    });
  });

  it("accepts commas between fields and the other label words", () => {
    expect(parseEventFields("题目：控烟，时间：周五上午9点；地址：礼堂，通知：全部")).toEqual({
      topic: "控烟",
      when: "周五上午9点",
      place: "礼堂",
      groups: "全部",
    });
  });

  it("keeps text before the first label apart, and ignores a label word that is not followed by a colon", () => {
    expect(parseEventFields("新时间管理讲座 时间：明天下午3点")).toEqual({
      lead: "新时间管理讲座",
      when: "明天下午3点",
    });
  });

  it("gives nothing for empty text", () => {
    expect(parseEventFields("")).toEqual({});
  });
});
