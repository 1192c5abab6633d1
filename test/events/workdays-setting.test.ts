import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/bot/command.ts";
import { loadConfig } from "../../src/config.ts";
import { reminderJobs } from "../../src/domain/events/reminders.ts";

// A press conference on Monday 2026-12-14 10:00 (Shanghai): "one day before" is a Sunday.
const event = { id: 1, kind: "press_conference", revision: 1, startsAt: new Date("2026-12-14T02:00:00Z") };
const now = new Date("2026-12-01T00:00:00Z");
const dayBefore = (settings: typeof DEFAULT_SETTINGS) =>
  reminderJobs(event, { settings, now, timezone: "Asia/Shanghai" }).find((j) =>
    j.key.endsWith(":remind:86400000"),
  )?.runAt;

describe("the working-days rule for event reminders", () => {
  it("moves a day-scale reminder off a Sunday by default", () => {
    expect(dayBefore(DEFAULT_SETTINGS)).toEqual(new Date("2026-12-11T02:00:00Z")); // Friday 10:00
  });

  it("keeps it on the Sunday when EVENT_REMIND_WORKDAYS_ONLY=false", () => {
    const { settings } = loadConfig({ EVENT_REMIND_WORKDAYS_ONLY: "false" });
    expect(settings.eventRemindWorkdaysOnly).toBe(false);
    expect(dayBefore(settings)).toEqual(new Date("2026-12-13T02:00:00Z"));
  });

  it("refuses anything but true or false, naming the variable", () => {
    expect(() => loadConfig({ EVENT_REMIND_WORKDAYS_ONLY: "yes" })).toThrow(/EVENT_REMIND_WORKDAYS_ONLY/);
  });
});
