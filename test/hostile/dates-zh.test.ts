import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseWhen } from "../../src/lib/dates-zh/index.ts";
import { hostileText, hostileUnit, runs } from "./arbitraries.ts";

/**
 * The Chinese date parser under whatever people type after 时间: it answers with a real instant or
 * a reason, and never throws, whatever the zone and the moment it is asked in.
 */

// The words and numerals of the grammar, so random input reaches its deeper rules.
const DATE_WORDS = [
  "今天",
  "明天",
  "后天",
  "大后天",
  "今晚",
  "明早",
  "下周",
  "下下周",
  "本周",
  "这周",
  "下星期",
  "礼拜",
  "周",
  "星期",
  "一",
  "二",
  "三",
  "五",
  "六",
  "日",
  "天",
  "八",
  "十",
  "十二",
  "二十",
  "三十一",
  "两",
  "零",
  "〇",
  "百",
  "凌晨",
  "早上",
  "上午",
  "中午",
  "下午",
  "傍晚",
  "晚上",
  "点",
  "點",
  "时",
  "分",
  "半",
  "一刻",
  "三刻",
  "整",
  "月",
  "日",
  "号",
  "年",
  "小时",
  "分钟",
  "天后",
  "后",
  "以后",
  "工作日",
  "下一个工作日",
  ":",
  "：",
  "0",
  "1",
  "2",
  "9",
  "12",
  "24",
  "25",
  "29",
  "30",
  "31",
  "59",
  "60",
  "99",
  "2020",
  "2021",
  "9999",
  "00",
  "１",
  "２０",
  " ",
  "\u3000",
  "-",
  "/",
  ".",
];

const dateLike = fc.string({
  unit: fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...DATE_WORDS) },
    { weight: 1, arbitrary: hostileUnit },
  ),
  maxLength: 12,
});
const zone = fc.constantFrom(
  "Asia/Shanghai",
  "UTC",
  "America/New_York",
  "Europe/London",
  "Australia/Lord_Howe",
  "Pacific/Kiritimati",
  "Pacific/Pago_Pago",
  "America/St_Johns",
);
// Moments from 1990 to 2100, and some right at the turn of a day, a year or a DST change.
const moment = fc.oneof(
  fc.date({
    min: new Date("1990-01-01T00:00:00Z"),
    max: new Date("2100-12-31T23:59:59Z"),
    noInvalidDate: true,
  }),
  fc.constantFrom(
    new Date("2021-03-14T06:59:59Z"),
    new Date("2021-11-07T05:30:00Z"),
    new Date("2026-12-31T15:59:59.999Z"),
    new Date("2024-02-29T16:00:00Z"),
  ),
);

describe("parseWhen under random input", () => {
  it("never throws: an ok result is a real instant, a refusal has a reason", () => {
    fc.assert(
      fc.property(
        fc.oneof(dateLike, hostileText(30)),
        moment,
        zone,
        fc.constantFrom(undefined, "allow" as const, "refuse" as const),
        (text, now, timezone, dateOnly) => {
          const r = parseWhen(text, { now, timezone, ...(dateOnly ? { dateOnly } : {}) });
          if (r.ok) {
            expect(r.at).toBeInstanceOf(Date);
            expect(Number.isFinite(r.at.getTime())).toBe(true);
            expect(typeof r.hasTime).toBe("boolean");
            if (dateOnly !== "allow") expect(r.hasTime).toBe(true);
          } else {
            expect(r.reason.trim().length).toBeGreaterThan(0);
            const leaked = /undefined|NaN|Error|\{\w+\}/u.exec(r.reason)?.[0];
            if (leaked) expect(text).toContain(leaked);
          }
        },
      ),
      runs(500),
    );
  });

  it("places a clock time without a day at the next such time, never in the past", () => {
    const clockTime = fc
      .tuple(
        fc.constantFrom("", "凌晨", "早上", "上午", "中午", "下午", "傍晚", "晚上"),
        fc.integer({ min: 0, max: 25 }),
        fc.constantFrom("点", "点半", "点一刻", "点45分", ":00", ":30", "：59"),
      )
      .map(([period, hour, rest]) => `${period}${hour}${rest}`);
    fc.assert(
      fc.property(clockTime, moment, zone, (text, now, timezone) => {
        const r = parseWhen(text, { now, timezone });
        if (!r.ok) return;
        expect(r.at.getTime()).toBeGreaterThanOrEqual(now.getTime() - 60_000);
        // The next such time is within a day (plus an hour for a DST change).
        expect(r.at.getTime() - now.getTime()).toBeLessThanOrEqual(25 * 3_600_000);
      }),
      runs(500),
    );
  });
});
