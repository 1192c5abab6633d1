import { describe, expect, it } from "vitest";
import { formatSpan } from "../../src/domain/events/render.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe("formatSpan", () => {
  it("says spans the way people do: days to the hour, hours to the minute", () => {
    expect(formatSpan(7 * DAY)).toBe("7 天");
    expect(formatSpan(7 * DAY - MIN)).toBe("7 天");
    expect(formatSpan(DAY + 3 * HOUR + 10 * MIN)).toBe("1 天 3 小时");
    expect(formatSpan(21 * HOUR)).toBe("21 小时");
    expect(formatSpan(HOUR + 30 * MIN)).toBe("1 小时 30 分钟");
    expect(formatSpan(2 * HOUR - 20_000)).toBe("2 小时");
    expect(formatSpan(5 * MIN)).toBe("5 分钟");
    expect(formatSpan(10_000)).toBe("1 分钟");
  });
});
