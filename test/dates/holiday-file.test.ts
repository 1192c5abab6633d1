import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/bot/command.ts";
import { runHolidays } from "../../src/cli/holidays.ts";
import { banner } from "../../src/cli/serve.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { reminderJobs } from "../../src/domain/events/reminders.ts";
import { FakeClock } from "../../src/lib/clock.ts";
import { parseHolidayFile } from "../../src/lib/holiday-file.ts";
import { createLogger } from "../../src/lib/logger.ts";
import {
  calendarCovers,
  calendarGapWarning,
  extendWorkdayCalendar,
  isWorkingDay,
  nextWorkingDay,
} from "../../src/lib/workdays.ts";
import { startRuntime } from "../../src/runtime.ts";

// A made-up schedule for a year the bundled calendar does not have (test data, not the official one):
// Friday 2027-01-01 off; Spring Festival Saturday 2027-02-06 to Sunday 2027-02-14 off; Saturday
// 2027-02-20 a make-up working day.
const FILE_2027 = `# 2027 年节假日（测试用）
holidays:
  - 2027-01-01 # 元旦
  - 2027-02-06..2027-02-14 # 春节
workdays:
  - 2027-02-20
`;

const dir = mkdtempSync(join(tmpdir(), "huibao-holidays-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const undo: (() => void)[] = [];
afterEach(() => {
  for (const u of undo.splice(0).reverse()) u();
});

describe("reading the holiday file", () => {
  it("reads single dates and ranges, written with .., 至 or ~", () => {
    const r = parseHolidayFile(
      "holidays:\n  - 2027-10-01 至 2027-10-03\n  - 2027-05-01~2027-05-02\n  - 2027-01-01\n",
    );
    expect(r).toEqual({
      ok: true,
      overrides: {
        holidays: ["2027-10-01", "2027-10-02", "2027-10-03", "2027-05-01", "2027-05-02", "2027-01-01"],
        workdays: [],
      },
    });
  });

  it("accepts an empty file or a file of comments", () => {
    expect(parseHolidayFile("# 还没有发布\n")).toEqual({
      ok: true,
      overrides: { holidays: [], workdays: [] },
    });
  });

  it("names the line and the mistake of every error, and uses nothing from such a file", () => {
    const r = parseHolidayFile(
      [
        "holidays:",
        "  - 2027-02-06..2027-02-12",
        "  - 2027-13-01",
        "  - 2027-03-01..2027-02-01",
        "  - 2027-02-01..2027-12-01",
        "  -",
        "workdays:",
        "  - 2027-02-08",
        "holiday: [2027-01-01]",
      ].join("\n"),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      { line: 3, message: "“2027-13-01”不是日期：请写成 2027-01-01 这样的格式" },
      { line: 4, message: "“2027-03-01..2027-02-01”的结束日期早于开始日期" },
      { line: 5, message: "“2027-02-01..2027-12-01”跨了 304 天，放假不会这么长，请检查日期" },
      { line: 6, message: "这一项是空的：写一个日期，例如 2027-01-01" },
      { line: 8, message: "2027-02-08 同时写在 holidays 和 workdays 里了，只能留一处" },
      { line: 9, message: "不认识的字段“holiday”：只能是 holidays（放假）或 workdays（调休上班）" },
    ]);
  });

  it("refuses a list written as one line of text, and broken YAML, with the line", () => {
    const flat = parseHolidayFile("holidays: 2027-01-01, 2027-01-02\n");
    expect(flat).toMatchObject({
      ok: false,
      issues: [{ line: 1, message: expect.stringContaining("应当是一个列表") }],
    });
    const broken = parseHolidayFile("holidays:\n  - 2027-01-01\n\tworkdays: []\n");
    expect(broken).toMatchObject({
      ok: false,
      issues: [{ line: 3, message: expect.stringContaining("YAML 语法错误") }],
    });
  });
});

describe("the calendar with the holiday file", () => {
  it("takes the file's days off and make-up days, and gives them back when undone", () => {
    expect(isWorkingDay("2027-02-08")).toBe(true); // a Monday, unknown year: Monday to Friday
    expect(calendarCovers(2027)).toBe(false);
    const parsed = parseHolidayFile(FILE_2027);
    if (!parsed.ok) throw new Error("fixture");
    const restore = extendWorkdayCalendar(parsed.overrides);
    expect(isWorkingDay("2027-01-01")).toBe(false);
    expect(isWorkingDay("2027-02-08")).toBe(false);
    expect(isWorkingDay("2027-02-20")).toBe(true); // Saturday, make-up day
    expect(nextWorkingDay("2027-02-05")).toBe("2027-02-15");
    expect(calendarCovers(2027)).toBe(true);
    restore();
    expect(isWorkingDay("2027-02-08")).toBe(true);
    expect(calendarCovers(2027)).toBe(false);
  });

  it("can correct the bundled data", () => {
    expect(isWorkingDay("2026-02-14")).toBe(true); // bundled: a make-up Saturday
    undo.push(extendWorkdayCalendar({ holidays: ["2026-02-14"], workdays: [] }));
    expect(isWorkingDay("2026-02-14")).toBe(false);
  });

  it("warns from November when next year is missing, and whenever this year is", () => {
    expect(calendarGapWarning("2026-10-31")).toBeUndefined();
    expect(calendarGapWarning("2026-11-27")).toContain("还没有 2027 年的放假和调休安排");
    expect(calendarGapWarning("2027-03-01")).toContain("还没有 2027 年");
    undo.push(extendWorkdayCalendar({ holidays: ["2027-01-01"], workdays: [] }));
    expect(calendarGapWarning("2026-11-27")).toBeUndefined();
    expect(calendarGapWarning("2027-11-27")).toContain("还没有 2028 年");
  });
});

describe("HOLIDAYS_FILE at start-up", () => {
  const logger = createLogger("silent");
  const clock = new FakeClock("2026-11-27T01:00:00Z");
  const config = (path?: string) =>
    loadConfig({ DATABASE_URL: "pglite:memory://", ...(path ? { HOLIDAYS_FILE: path } : {}) });

  it("without it, the start-up banner tells the administrator that 2027 is missing", async () => {
    const runtime = await startRuntime(config(), logger, clock);
    try {
      expect(runtime.warnings).toHaveLength(1);
      expect(banner(runtime, "http://127.0.0.1:3000").join("\n")).toContain(
        "注意：节假日数据只到 2026 年，还没有 2027 年的放假和调休安排",
      );
    } finally {
      await runtime.close();
    }
  });

  it("with it, reminders skip the file's days off, and the warning is gone", async () => {
    const runtime = await startRuntime(config(file("ok.yaml", FILE_2027)), logger, clock);
    try {
      expect(runtime.warnings).toEqual([]);
      // A press conference on Monday 2027-02-15 10:00: "one day before" falls in the break (Sunday
      // 2027-02-14), so the reminder moves back to the last working day before it, Friday 2027-02-05.
      const jobs = reminderJobs(
        { id: 1, kind: "press_conference", revision: 1, startsAt: new Date("2027-02-15T02:00:00Z") },
        { settings: DEFAULT_SETTINGS, now: clock.now(), timezone: "Asia/Shanghai" },
      );
      expect(jobs.find((j) => j.key.endsWith(":remind:86400000"))?.runAt).toEqual(
        new Date("2027-02-05T02:00:00Z"),
      );
    } finally {
      await runtime.close();
    }
    expect(calendarCovers(2027)).toBe(false); // closing the runtime takes the file away again
  });

  it("refuses to start on a broken file, naming the variable, the line and the mistake", async () => {
    const path = file("bad.yaml", "holidays:\n  - 2027-02-30\n");
    const started = startRuntime(config(path), logger, clock);
    await expect(started).rejects.toThrow(ConfigError);
    await expect(started).rejects.toThrow(
      `配置错误：HOLIDAYS_FILE ${path} 有 1 处错误，没有使用：第 2 行：“2027-02-30”不是日期`,
    );
    await expect(startRuntime(config(join(dir, "missing.yaml")), logger, clock)).rejects.toThrow(
      "找不到文件：",
    );
  });
});

describe("huibao holidays", () => {
  const run = async (argv: string[], configuredFile?: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runHolidays(argv, {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      now: () => new Date("2026-12-20T01:00:00Z"),
      timezone: "Asia/Shanghai",
      configuredFile,
    });
    return { code, out, err };
  };

  it("checks the file and lists the coming days off and make-up days", async () => {
    const { code, out } = await run(["--file", file("cli.yaml", FILE_2027), "--days", "70"]);
    expect(code).toBe(0);
    expect(out).toEqual([
      `${join(dir, "cli.yaml")}：放假 10 天，调休上班 1 天，格式正确。`,
      "节假日数据覆盖 2004–2027 年。",
      "接下来 70 天里与平常不同的日子：",
      "  2027-01-01（周五） 至 2027-01-03（周日）  放假（3 天）",
      "  2027-02-06（周六） 至 2027-02-14（周日）  放假（9 天）",
      "  2027-02-20（周六）  调休上班",
    ]);
    expect(calendarCovers(2027)).toBe(false); // checking a file does not keep it
  });

  it("warns when next year is missing, and shows a broken file's lines", async () => {
    const plain = await run([]);
    expect(plain.code).toBe(0);
    expect(plain.out.at(-1)).toContain("注意：节假日数据只到 2026 年，还没有 2027 年");
    const bad = await run([], file("cli-bad.yaml", "workdays:\n  - 2027-02-20\n  - 明年\n"));
    expect(bad.code).toBe(2);
    expect(bad.err).toEqual([
      `${join(dir, "cli-bad.yaml")} 有 1 处错误：`,
      "  第 3 行：“明年”不是日期：请写成 2027-01-01 这样的格式",
    ]);
  });
});
