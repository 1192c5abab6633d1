import { describe, expect, it } from "vitest";
import { formatIso, parseWhen, type WhenOptions } from "../../src/lib/dates-zh/index.ts";

const SH = "Asia/Shanghai";
const NY = "America/New_York";

function when(text: string, now: string, timezone = SH, dateOnly?: WhenOptions["dateOnly"]): string {
  const r = parseWhen(text, { now: new Date(now), timezone, dateOnly });
  return r.ok ? `${formatIso(r.at, timezone)}${r.hasTime ? "" : " (date only)"}` : `ERROR ${r.reason}`;
}

const WED_9AM = "2021-03-10T09:00:00+08:00";

describe("a time without a date is the next such time", () => {
  it("today while it is still ahead, tomorrow once it has passed (or is now)", () => {
    expect(when("下午3点", WED_9AM)).toBe("2021-03-10T15:00:00+08:00");
    expect(when("9点01分", WED_9AM)).toBe("2021-03-10T09:01:00+08:00");
    expect(when("上午9点", WED_9AM)).toBe("2021-03-11T09:00:00+08:00");
    expect(when("8:59", WED_9AM)).toBe("2021-03-11T08:59:00+08:00");
  });

  it("a bare weekday is the next one: today if still ahead, otherwise a week later", () => {
    expect(when("周三下午两点", WED_9AM)).toBe("2021-03-10T14:00:00+08:00");
    expect(when("周三上午8点", WED_9AM)).toBe("2021-03-17T08:00:00+08:00");
    expect(when("星期一上午10点", WED_9AM)).toBe("2021-03-15T10:00:00+08:00");
    expect(when("礼拜天晚上7点", WED_9AM)).toBe("2021-03-14T19:00:00+08:00");
  });

  it("an explicit day is taken as written, even when it is this morning", () => {
    expect(when("今天上午8点", WED_9AM)).toBe("2021-03-10T08:00:00+08:00");
    expect(when("3月10日上午8点", WED_9AM)).toBe("2021-03-10T08:00:00+08:00");
  });
});

describe("noon and midnight", () => {
  it("12点 and 中午12点 are noon; 凌晨12点 starts the day; 晚上12点 ends it", () => {
    expect(when("12点", WED_9AM)).toBe("2021-03-10T12:00:00+08:00");
    expect(when("中午12点", WED_9AM)).toBe("2021-03-10T12:00:00+08:00");
    expect(when("中午1点", WED_9AM)).toBe("2021-03-10T13:00:00+08:00");
    expect(when("凌晨12点", WED_9AM)).toBe("2021-03-11T00:00:00+08:00");
    expect(when("明天凌晨12点", WED_9AM)).toBe("2021-03-11T00:00:00+08:00");
    expect(when("晚上12点", WED_9AM)).toBe("2021-03-11T00:00:00+08:00");
    expect(when("明天晚上12点", WED_9AM)).toBe("2021-03-12T00:00:00+08:00");
    expect(when("今晚24点", WED_9AM)).toBe("2021-03-11T00:00:00+08:00");
    expect(when("凌晨3点", WED_9AM)).toBe("2021-03-11T03:00:00+08:00");
  });
});

describe("year rollover (now = Friday 2021-12-31 20:00)", () => {
  const NYE = "2021-12-31T20:00:00+08:00";
  it("tomorrow, next week and past months land in 2022", () => {
    expect(when("明天上午9点", NYE)).toBe("2022-01-01T09:00:00+08:00");
    expect(when("上午8点", NYE)).toBe("2022-01-01T08:00:00+08:00");
    expect(when("晚上12点", NYE)).toBe("2022-01-01T00:00:00+08:00");
    expect(when("1月1日上午9点", NYE)).toBe("2022-01-01T09:00:00+08:00");
    expect(when("12月30日下午3点", NYE)).toBe("2022-12-30T15:00:00+08:00");
    expect(when("下周一上午9点", NYE)).toBe("2022-01-03T09:00:00+08:00");
    expect(when("本周日上午9点", NYE)).toBe("2022-01-02T09:00:00+08:00");
    expect(when("5号上午9点", NYE)).toBe("2022-01-05T09:00:00+08:00");
    expect(when("3小时后", NYE)).toBe("2021-12-31T23:00:00+08:00");
    expect(when("5小时后", NYE)).toBe("2022-01-01T01:00:00+08:00");
  });

  it("today's month and day stays this year", () => {
    expect(when("12月31日晚上9点", NYE)).toBe("2021-12-31T21:00:00+08:00");
  });
});

describe("the zone parameter", () => {
  it("reads the expression on the zone's calendar and clock, DST included", () => {
    // 2021-03-10 09:00 in Shanghai is 2021-03-09 20:00 in New York: 明天 is the 10th there.
    expect(when("明天上午10点", WED_9AM, NY)).toBe("2021-03-10T10:00:00-05:00");
    expect(when("下周一上午9点", WED_9AM, NY)).toBe("2021-03-15T09:00:00-04:00");
    // It is 20:00 there: 晚上9点 is still today, 晚上8点 is tomorrow's.
    expect(when("晚上9点", WED_9AM, NY)).toBe("2021-03-09T21:00:00-05:00");
    expect(when("晚上8点", WED_9AM, NY)).toBe("2021-03-10T20:00:00-05:00");
  });

  it("the same words in two zones are two different instants", () => {
    const sh = parseWhen("明天上午10点", { now: new Date(WED_9AM), timezone: SH });
    const ny = parseWhen("明天上午10点", { now: new Date(WED_9AM), timezone: NY });
    expect(sh.ok && sh.at.toISOString()).toBe("2021-03-11T02:00:00.000Z");
    expect(ny.ok && ny.at.toISOString()).toBe("2021-03-10T15:00:00.000Z");
  });
});

describe("numerals, forms and spacing", () => {
  it.each([
    ["十二点", "2021-03-10T12:00:00+08:00"],
    ["下午两点一刻", "2021-03-10T14:15:00+08:00"],
    ["下午两点三刻", "2021-03-10T14:45:00+08:00"],
    ["八点零五", "2021-03-11T08:05:00+08:00"],
    ["8点零5分", "2021-03-11T08:05:00+08:00"],
    ["10点整", "2021-03-10T10:00:00+08:00"],
    ["二十号上午十点", "2021-03-20T10:00:00+08:00"],
    ["三月二十一日下午三点", "2021-03-21T15:00:00+08:00"],
    ["二〇二一年四月一日上午九点", "2021-04-01T09:00:00+08:00"],
    ["１２月５号　１０：００", "2021-12-05T10:00:00+08:00"],
    ["12月5号 10:00", "2021-12-05T10:00:00+08:00"],
    ["明天 下午 3点", "2021-03-11T15:00:00+08:00"],
    ["明早8点", "2021-03-11T08:00:00+08:00"],
    ["明晚七点半", "2021-03-11T19:30:00+08:00"],
    ["下午14点", "2021-03-10T14:00:00+08:00"],
    ["傍晚6点", "2021-03-10T18:00:00+08:00"],
    ["下下周一上午9点", "2021-03-22T09:00:00+08:00"],
    ["这个星期五下午3点", "2021-03-12T15:00:00+08:00"],
    ["一个半小时后", "2021-03-10T10:30:00+08:00"],
    ["两个小时后", "2021-03-10T11:00:00+08:00"],
    ["2周后上午9点", "2021-03-24T09:00:00+08:00"],
    ["下一个工作日上午9点", "2021-03-11T09:00:00+08:00"],
    ["下个工作日下午3点", "2021-03-11T15:00:00+08:00"],
  ])("%s → %s", (text, expected) => {
    expect(when(text, WED_9AM)).toBe(expected);
  });
});

describe("next working day follows the State Council calendar", () => {
  it("skips the 2021 Spring Festival and lands on the make-up Sunday before it", () => {
    expect(when("下一个工作日上午9点", "2021-02-10T09:00:00+08:00")).toBe("2021-02-18T09:00:00+08:00");
    expect(when("下一个工作日上午9点", "2021-02-05T18:00:00+08:00")).toBe("2021-02-07T09:00:00+08:00");
  });

  it("skips the 2026 National Day week", () => {
    expect(when("下一个工作日上午9点", "2026-09-30T12:00:00+08:00")).toBe("2026-10-08T09:00:00+08:00");
  });
});

describe("date only", () => {
  it("is refused unless the caller allows it; then it is the start of that day", () => {
    expect(when("6月30日", WED_9AM)).toMatch(/^ERROR 请写上几点/);
    expect(when("6月30日", WED_9AM, SH, "allow")).toBe("2021-06-30T00:00:00+08:00 (date only)");
    expect(when("明天", WED_9AM, SH, "allow")).toBe("2021-03-11T00:00:00+08:00 (date only)");
    expect(when("下周五", WED_9AM, SH, "allow")).toBe("2021-03-19T00:00:00+08:00 (date only)");
    expect(when("2月1日", WED_9AM, SH, "allow")).toBe("2022-02-01T00:00:00+08:00 (date only)");
    expect(when("6月30日下午5点", WED_9AM, SH, "allow")).toBe("2021-06-30T17:00:00+08:00");
  });
});

describe("nonsense is refused with a reason, never guessed", () => {
  it.each([
    ["2月30日上午9点", "没有2月30日"],
    ["4/31 9:00", "没有4月31日"],
    ["13月1日", "没有13月"],
    ["2022年2月29日上午9点", "2022年没有2月29日"],
    ["2月29日上午9点", "2022年没有2月29日"],
    ["31号上午9点", "没有31号"],
    ["明天下午25点", "没有25点"],
    ["明天10:60", "没有60分"],
    ["24:30", "24点之后"],
    ["下周八", "没有“下周八”"],
    ["下周末", "没有“下周末”"],
    ["下周", "是哪一天"],
    ["早上12点", "说不通"],
    ["晚上2点", "说不通"],
    ["明天下午", "下午几点"],
    ["今晚", "今晚几点"],
    ["下午3点明天", "没看懂“明天”"],
    ["十十点", "没看懂数字“十十”"],
    ["半天后", "整数"],
    ["0分钟后", "大于零"],
    ["", "没有写时间"],
    ["开会的时候", "没看懂"],
  ])("%s", (text, reason) => {
    const now = text === "31号上午9点" ? "2021-04-10T09:00:00+08:00" : WED_9AM;
    expect(when(text, now)).toContain(reason);
  });

  it("a leap day is fine in a leap year", () => {
    expect(when("2024年2月29日上午9点", WED_9AM)).toBe("2024-02-29T09:00:00+08:00");
  });
});
