import { describe, expect, it } from "vitest";
import { formatDay, formatIso, formatWhen } from "../../src/lib/dates-zh/index.ts";

describe("formatWhen / formatDay", () => {
  const at = new Date("2026-12-02T06:00:00Z");

  it("writes the full date, weekday and time in the zone", () => {
    expect(formatWhen(at, "Asia/Shanghai")).toBe("2026年12月2日（周三）14:00");
    expect(formatDay(at, "Asia/Shanghai")).toBe("12月2日（周三）");
    expect(formatWhen(at, "America/New_York")).toBe("2026年12月2日（周三）01:00");
  });

  it("puts an instant near midnight on the zone's day, not UTC's", () => {
    const late = new Date("2026-12-01T16:30:00Z");
    expect(formatWhen(late, "Asia/Shanghai")).toBe("2026年12月2日（周三）00:30");
    expect(formatDay(late, "UTC")).toBe("12月1日（周二）");
    expect(formatDay(new Date("2021-03-14T04:00:00Z"), "Asia/Shanghai")).toBe("3月14日（周日）");
  });
});

describe("formatIso", () => {
  it("has seconds and the zone's offset at that instant", () => {
    expect(formatIso(new Date("2021-03-11T02:00:00Z"), "Asia/Shanghai")).toBe("2021-03-11T10:00:00+08:00");
    expect(formatIso(new Date("2021-03-11T02:00:05Z"), "UTC")).toBe("2021-03-11T02:00:05+00:00");
    expect(formatIso(new Date("2021-03-11T02:00:00Z"), "Asia/Kolkata")).toBe("2021-03-11T07:30:00+05:30");
    expect(formatIso(new Date("2021-03-15T13:00:00Z"), "America/New_York")).toBe("2021-03-15T09:00:00-04:00");
  });

  it("is right at the hour New York springs forward, whatever the machine's zone", () => {
    // dayjs's .tz() gave 03:30 here when the machine ran in New York.
    expect(formatIso(new Date("2021-03-13T18:30:00Z"), "Asia/Shanghai")).toBe("2021-03-14T02:30:00+08:00");
    expect(formatWhen(new Date("2021-03-13T18:30:00Z"), "Asia/Shanghai")).toBe("2021年3月14日（周日）02:30");
  });
});
