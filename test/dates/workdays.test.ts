import { describe, expect, it } from "vitest";
import {
  isWorkingDay,
  nextWorkingDay,
  skipNonWorking,
  workdayCalendarYears,
} from "../../src/lib/workdays.ts";

describe("working days (State Council calendar)", () => {
  it("knows holidays, weekends and 调休 make-up days in 2021", () => {
    expect(isWorkingDay("2021-02-12")).toBe(false); // 春节, a Friday
    expect(isWorkingDay("2021-02-07")).toBe(true); // Sunday made a working day
    expect(isWorkingDay("2021-02-20")).toBe(true); // Saturday made a working day
    expect(isWorkingDay("2021-03-13")).toBe(false); // plain Saturday
    expect(isWorkingDay("2021-03-15")).toBe(true); // plain Monday
    expect(isWorkingDay("2021-10-01")).toBe(false); // 国庆
    expect(isWorkingDay("2021-10-09")).toBe(true); // Saturday made a working day
  });

  it("knows 2026", () => {
    expect(isWorkingDay("2026-01-01")).toBe(false); // 元旦
    expect(isWorkingDay("2026-01-04")).toBe(true); // Sunday made a working day
    expect(isWorkingDay("2026-02-14")).toBe(true); // Saturday before 春节
    expect(isWorkingDay("2026-02-16")).toBe(false); // 春节, a Monday
    expect(isWorkingDay("2026-02-23")).toBe(false); // last day of the nine-day 春节 break
    expect(isWorkingDay("2026-02-24")).toBe(true);
  });

  it("next working day is strictly after and jumps whole holidays", () => {
    expect(nextWorkingDay("2021-03-10")).toBe("2021-03-11");
    expect(nextWorkingDay("2021-03-12")).toBe("2021-03-15");
    expect(nextWorkingDay("2021-02-10")).toBe("2021-02-18");
    expect(nextWorkingDay("2021-02-05")).toBe("2021-02-07");
    expect(nextWorkingDay("2026-02-13")).toBe("2026-02-14");
    expect(nextWorkingDay("2026-02-14")).toBe("2026-02-24");
    expect(nextWorkingDay("2026-09-30")).toBe("2026-10-08");
  });

  it("covers 2021 and 2026; beyond its years, Monday to Friday", () => {
    expect(workdayCalendarYears().first).toBeLessThanOrEqual(2021);
    expect(workdayCalendarYears().last).toBeGreaterThanOrEqual(2026);
    expect(isWorkingDay("2099-01-03")).toBe(false); // a Saturday
    expect(isWorkingDay("2099-01-05")).toBe(true); // a Monday
  });

  it("refuses what is not a date", () => {
    expect(() => isWorkingDay("2021-02-30")).toThrow(RangeError);
    expect(() => nextWorkingDay("20210210")).toThrow(RangeError);
  });
});

describe("skipNonWorking", () => {
  it("keeps an instant on a working day, make-up Saturdays included", () => {
    const monday = new Date("2021-03-15T02:00:00Z");
    expect(skipNonWorking(monday, "Asia/Shanghai")).toEqual(monday);
    const makeUp = new Date("2021-02-20T02:00:00Z");
    expect(skipNonWorking(makeUp, "Asia/Shanghai")).toEqual(makeUp);
  });

  it("moves a holiday or weekend instant to the same clock time on the next working day", () => {
    expect(skipNonWorking(new Date("2021-02-13T02:00:00Z"), "Asia/Shanghai").toISOString()).toBe(
      "2021-02-18T02:00:00.000Z",
    );
    expect(skipNonWorking(new Date("2021-03-13T01:30:15Z"), "Asia/Shanghai").toISOString()).toBe(
      "2021-03-15T01:30:15.000Z",
    );
  });

  it("judges the day in the zone it is given", () => {
    // Thursday 2021-02-18 09:00 in Shanghai is still Wednesday the 17th, a holiday, in New York.
    const at = new Date("2021-02-18T01:00:00Z");
    expect(skipNonWorking(at, "Asia/Shanghai")).toEqual(at);
    expect(skipNonWorking(at, "America/New_York").toISOString()).toBe("2021-02-19T01:00:00.000Z");
  });

  it("keeps the wall clock time across a DST change", () => {
    // Saturday 2021-03-13 09:00 EST → Monday 2021-03-15 09:00 EDT.
    expect(skipNonWorking(new Date("2021-03-13T14:00:00Z"), "America/New_York").toISOString()).toBe(
      "2021-03-15T13:00:00.000Z",
    );
  });
});
