import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { nextDigestRun } from "../../src/domain/reports/digest-schedule.ts";
import { isWorkingDay, nextWorkingDay } from "../../src/lib/workdays.ts";

const MON_9 = { weekday: 1, hour: 9, minute: 0 };
const TZ = "Asia/Shanghai";
const next = (after: string, s = MON_9, tz = TZ) => {
  const r = nextDigestRun(new Date(after), s, tz);
  return { week: r.week, runAt: r.runAt.toISOString() };
};

describe("when the weekly digest goes out", () => {
  it("is the next Monday 09:00 in the bot's zone", () => {
    expect(next("2026-11-26T02:00:00Z")).toEqual({ week: "2026-11-30", runAt: "2026-11-30T01:00:00.000Z" });
    // Monday 08:59 in Shanghai: today still; at 09:00 sharp it is next week's.
    expect(next("2026-11-30T00:59:00Z")).toEqual({ week: "2026-11-30", runAt: "2026-11-30T01:00:00.000Z" });
    expect(next("2026-11-30T01:00:00Z")).toEqual({ week: "2026-12-07", runAt: "2026-12-07T01:00:00.000Z" });
  });

  it("moves a holiday Monday to the next working day, keeping the week's name", () => {
    expect(isWorkingDay("2026-10-05")).toBe(false);
    expect(nextWorkingDay("2026-10-05")).toBe("2026-10-08");
    expect(next("2026-09-30T02:00:00Z")).toEqual({ week: "2026-10-05", runAt: "2026-10-08T01:00:00.000Z" });
    // In the middle of the holiday the pushed digest is still ahead.
    expect(next("2026-10-06T02:00:00Z")).toEqual({ week: "2026-10-05", runAt: "2026-10-08T01:00:00.000Z" });
    expect(next("2026-10-08T01:00:00Z")).toEqual({ week: "2026-10-12", runAt: "2026-10-12T01:00:00.000Z" });
  });

  it("drops a week whose holiday runs into the next one (春节 2026: 15–23 February)", () => {
    expect(next("2026-02-13T02:00:00Z")).toEqual({ week: "2026-02-23", runAt: "2026-02-24T01:00:00.000Z" });
  });

  it("follows the make-up working days: a Saturday digest goes out on a 调休 Saturday", () => {
    const sat10 = { weekday: 6, hour: 10, minute: 0 };
    expect(isWorkingDay("2026-02-14")).toBe(true);
    expect(next("2026-02-13T02:00:00Z", sat10)).toEqual({
      week: "2026-02-14",
      runAt: "2026-02-14T02:00:00.000Z",
    });
    expect(next("2026-11-26T02:00:00Z", sat10)).toEqual({
      week: "2026-11-28",
      runAt: "2026-11-30T02:00:00.000Z",
    });
  });

  it("reads the time in the configured zone, whatever the machine's", () => {
    expect(next("2026-11-26T02:00:00Z", MON_9, "America/New_York")).toEqual({
      week: "2026-11-30",
      runAt: "2026-11-30T14:00:00.000Z",
    });
  });
});

describe("DIGEST_SCHEDULE and REPORTS_DIR", () => {
  it("default to Monday 09:00 and ./reports", () => {
    const s = loadConfig({}).settings;
    expect(s.digestSchedule).toEqual(MON_9);
    expect(s.reportsDir).toBe("./reports");
  });

  it("take a weekday and a time, or off", () => {
    expect(loadConfig({ DIGEST_SCHEDULE: "fri 17:30" }).settings.digestSchedule).toEqual({
      weekday: 5,
      hour: 17,
      minute: 30,
    });
    expect(loadConfig({ DIGEST_SCHEDULE: "SUN 8:05" }).settings.digestSchedule).toEqual({
      weekday: 7,
      hour: 8,
      minute: 5,
    });
    expect(loadConfig({ DIGEST_SCHEDULE: "off" }).settings.digestSchedule).toBeNull();
    expect(loadConfig({ REPORTS_DIR: "/srv/huibao/reports" }).settings.reportsDir).toBe(
      "/srv/huibao/reports",
    );
  });

  it("refuse anything else with a reason in Chinese", () => {
    for (const bad of ["MON 9", "周一 09:00", "MON 24:00", "MONDAY 09:00"]) {
      const e = (() => {
        try {
          loadConfig({ DIGEST_SCHEDULE: bad });
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).message).toContain("DIGEST_SCHEDULE 必须是“星期 时:分”，例如 MON 09:00");
    }
    expect(() => loadConfig({ REPORTS_DIR: " " })).toThrow("REPORTS_DIR 不能为空");
  });
});
