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
  workdayCalendarYears,
} from "../../src/lib/workdays.ts";
import { startRuntime } from "../../src/runtime.ts";

// The bundled calendar's last year: the warnings are about the years after it, whatever version of
// chinese-days is installed.
const { first: FIRST, last: LAST } = workdayCalendarYears();

// A made-up schedule for a year no calendar will have (test data): Thursday 2099-01-01 to Saturday
// 01-03 off; Monday 2099-02-09 to Sunday 02-15 off; Saturday 2099-02-07 a make-up working day.
const FILE_2099 = `# 2099 年节假日（测试用）
2099:
  holidays:
    - 2099-01-01..2099-01-03 # 元旦
    - 2099-02-09 至 2099-02-15 # 春节
  workdays:
    - 2099-02-07
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
  it("reads the years, single dates and ranges written with .., 至 or ~, and a break across New Year", () => {
    const r = parseHolidayFile(
      "2099:\n  holidays:\n    - 2099-10-01 至 2099-10-03\n    - 2099-05-01~2099-05-02\n    - 2098-12-31..2099-01-01\n  workdays: []\n",
    );
    expect(r).toEqual({
      ok: true,
      overrides: {
        years: [2099],
        holidays: [
          "2099-10-01",
          "2099-10-02",
          "2099-10-03",
          "2099-05-01",
          "2099-05-02",
          "2098-12-31",
          "2099-01-01",
        ],
        workdays: [],
      },
    });
  });

  it("accepts an empty file or a file of comments", () => {
    expect(parseHolidayFile("# 还没有发布\n")).toEqual({
      ok: true,
      overrides: { years: [], holidays: [], workdays: [] },
    });
  });

  it("takes an item as written, not as YAML 1.1 would type it", () => {
    const r = parseHolidayFile("%YAML 1.1\n---\n2099:\n  holidays:\n    - 2099-01-01\n    - 20990102\n");
    expect(r).toEqual({
      ok: false,
      issues: [{ line: 6, message: "“20990102”不是日期：请写成 2027-01-01 这样的格式" }],
    });
  });

  it("names the line and the mistake of every error, and uses nothing from such a file", () => {
    const r = parseHolidayFile(
      [
        "2099:",
        "  holidays:",
        "    - 2099-02-06..2099-02-12",
        "    - 2099-13-01",
        "    - 2099-03-01..2099-02-01",
        "    - 2099-02-01..2099-12-01",
        "    -",
        "    - 2100-05-01",
        "    - { from: 2099-01-01 }",
        "  workdays:",
        "    - 2099-02-08",
        "  holiday: [2099-01-01]",
        "明年:",
        "  holidays: []",
      ].join("\n"),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      { line: 4, message: "“2099-13-01”不是日期：请写成 2027-01-01 这样的格式" },
      { line: 5, message: "“2099-03-01..2099-02-01”的结束日期早于开始日期" },
      { line: 6, message: "“2099-02-01..2099-12-01”跨了 304 天，放假不会这么长，请检查日期" },
      { line: 7, message: "这一项是空的：写一个日期，例如 2027-01-01" },
      { line: 8, message: "“2100-05-01”不在 2099 年：请写到对应年份下面" },
      { line: 9, message: "每一项写一个日期或一段日期，例如 - 2027-02-06..2027-02-12" },
      { line: 11, message: "2099-02-08 同时写在 holidays 和 workdays 里了，只能留一处" },
      { line: 12, message: "不认识的字段“holiday”：只能是 holidays（放假）或 workdays（调休上班）" },
      { line: 13, message: "“明年”不是年份：顶层写年份，例如 2027:，下面再写 holidays 和 workdays" },
    ]);
  });

  it("refuses dates without a year above them, a flat list, a year written twice and broken YAML, in Chinese", () => {
    expect(parseHolidayFile("holidays:\n  - 2099-01-01\n")).toMatchObject({
      ok: false,
      issues: [{ line: 1, message: expect.stringContaining("“holidays”不是年份") }],
    });
    expect(parseHolidayFile("2099:\n  holidays: 2099-01-01, 2099-01-02\n")).toMatchObject({
      ok: false,
      issues: [{ line: 2, message: expect.stringContaining("应当是一个列表") }],
    });
    expect(parseHolidayFile("2099:\n  holidays: []\n2099:\n  workdays: []\n")).toMatchObject({
      ok: false,
      issues: [
        {
          line: 3,
          message: "YAML 语法错误：同一个条目里有重复的字段（或重复的年份）",
        },
      ],
    });
    expect(parseHolidayFile("2099:\n  holidays: []\n\tworkdays: []\n")).toMatchObject({
      ok: false,
      issues: [{ line: 3, message: "YAML 语法错误：缩进不能用 Tab，请用空格" }],
    });
  });
});

describe("the calendar with the holiday file", () => {
  const file2099 = () => {
    const parsed = parseHolidayFile(FILE_2099);
    if (!parsed.ok) throw new Error("fixture");
    return parsed.overrides;
  };

  it("takes the file's days off and make-up days, and gives them back when undone", () => {
    expect(isWorkingDay("2099-02-10")).toBe(true); // a Tuesday in an unknown year: Monday to Friday
    expect(calendarCovers(2099)).toBe(false);
    const restore = extendWorkdayCalendar(file2099());
    expect(isWorkingDay("2099-01-02")).toBe(false);
    expect(isWorkingDay("2099-02-10")).toBe(false);
    expect(isWorkingDay("2099-02-07")).toBe(true); // Saturday, make-up day
    expect(nextWorkingDay("2099-02-06")).toBe("2099-02-07");
    expect(nextWorkingDay("2099-02-07")).toBe("2099-02-16");
    expect(calendarCovers(2099)).toBe(true);
    restore();
    expect(isWorkingDay("2099-02-10")).toBe(true);
    expect(calendarCovers(2099)).toBe(false);
  });

  it("can correct the bundled data without claiming a year it does not give", () => {
    expect(isWorkingDay("2026-02-14")).toBe(true); // bundled: a make-up Saturday
    undo.push(extendWorkdayCalendar({ holidays: ["2026-02-14", `${LAST + 1}-05-01`], workdays: [] }));
    expect(isWorkingDay("2026-02-14")).toBe(false);
    expect(calendarCovers(LAST + 1)).toBe(false); // one corrected day is not a year's schedule
  });

  it("keeps each start-up's file until that one is undone, in any order", () => {
    const a = extendWorkdayCalendar({ years: [2098], holidays: ["2098-03-03"], workdays: [] });
    const b = extendWorkdayCalendar({ years: [2099], holidays: ["2099-03-02"], workdays: [] });
    a();
    expect(calendarCovers(2098)).toBe(false);
    expect(calendarCovers(2099)).toBe(true);
    expect(isWorkingDay("2099-03-02")).toBe(false);
    b();
    expect(calendarCovers(2099)).toBe(false);
    expect(isWorkingDay("2098-03-03")).toBe(true); // a Monday again
  });

  it("warns from November when next year is missing, and whenever this year is", () => {
    expect(calendarGapWarning(`${LAST}-10-31`)).toBeUndefined();
    expect(calendarGapWarning(`${LAST}-11-27`)).toBe(
      `节假日数据只到 ${LAST} 年，还没有 ${LAST + 1} 年的放假和调休安排。补上之前，${LAST + 1} 年按周一至周五上班计算，` +
        "活动提醒、每周汇总和“下个工作日”可能落在假期。国务院办公厅发布通知后，请管理员写入 HOLIDAYS_FILE 并重启（见 README「节假日」）。",
    );
    expect(calendarGapWarning(`${LAST + 1}-03-01`)).toContain(`还没有 ${LAST + 1} 年`);
    // A later year alone leaves the gap, and the calendar still ends where it did.
    undo.push(extendWorkdayCalendar(file2099()));
    expect(calendarGapWarning(`${LAST}-11-27`)).toContain(`节假日数据只到 ${LAST} 年，还没有 ${LAST + 1} 年`);
    undo.push(extendWorkdayCalendar({ years: [LAST + 1], holidays: [], workdays: [] }));
    expect(calendarGapWarning(`${LAST}-11-27`)).toBeUndefined();
    expect(calendarGapWarning(`${LAST + 1}-11-27`)).toContain(`只到 ${LAST + 1} 年，还没有 ${LAST + 2} 年`);
  });
});

describe("HOLIDAYS_FILE at start-up", () => {
  const logger = createLogger("silent");
  const clock = new FakeClock(`${LAST}-11-27T01:00:00Z`);
  const config = (path?: string) =>
    loadConfig({ DATABASE_URL: "pglite:memory://", ...(path ? { HOLIDAYS_FILE: path } : {}) });

  it("without it, the start-up banner tells the administrator that next year is missing", async () => {
    const runtime = await startRuntime(config(), logger, clock);
    try {
      expect(runtime.warnings).toHaveLength(1);
      expect(banner(runtime, "http://127.0.0.1:3000").join("\n")).toContain(
        `注意：节假日数据只到 ${LAST} 年，还没有 ${LAST + 1} 年的放假和调休安排`,
      );
    } finally {
      await runtime.close();
    }
  });

  it("with it, reminders skip the file's days off and use its make-up days, and the warning is gone", async () => {
    const path = file("ok.yaml", `${FILE_2099}${LAST + 1}:\n  holidays: [${LAST + 1}-01-01]\n`);
    const runtime = await startRuntime(config(path), logger, clock);
    try {
      expect(runtime.warnings).toEqual([]);
      // A press conference on Monday 2099-02-16 10:00: "one day before" falls in the break (Sunday
      // 2099-02-15), so the reminder moves back to the last working day, make-up Saturday 2099-02-07.
      const jobs = reminderJobs(
        { id: 1, kind: "press_conference", revision: 1, startsAt: new Date("2099-02-16T02:00:00Z") },
        { settings: DEFAULT_SETTINGS, now: clock.now(), timezone: "Asia/Shanghai" },
      );
      expect(jobs.find((j) => j.key.endsWith(":remind:86400000"))?.runAt).toEqual(
        new Date("2099-02-07T02:00:00Z"),
      );
    } finally {
      await runtime.close();
    }
    expect(calendarCovers(2099)).toBe(false); // closing the runtime takes the file away again
  });

  it("refuses to start on a broken file, naming the variable, the line and the mistake", async () => {
    const path = file("bad.yaml", "2099:\n  holidays:\n    - 2099-02-30\n");
    const started = startRuntime(config(path), logger, clock);
    await expect(started).rejects.toThrow(ConfigError);
    await expect(started).rejects.toThrow(
      `配置错误：HOLIDAYS_FILE ${path} 有 1 处错误，没有使用：第 3 行：“2099-02-30”不是日期`,
    );
    const missing = join(dir, "missing.yaml");
    await expect(startRuntime(config(missing), logger, clock)).rejects.toThrow(
      `配置错误：HOLIDAYS_FILE 找不到文件：${missing}`,
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
      now: () => new Date("2098-12-20T01:00:00Z"),
      timezone: "Asia/Shanghai",
      configuredFile,
    });
    return { code, out, err };
  };

  it("checks the file and lists the coming days off and make-up days", async () => {
    const { code, out } = await run(["--file", file("cli.yaml", FILE_2099), "--days", "70"]);
    expect(code).toBe(0);
    expect(out.slice(0, -1)).toEqual([
      `${join(dir, "cli.yaml")}：放假 10 天，调休上班 1 天，格式正确。`,
      `节假日数据覆盖 ${FIRST}–${LAST} 年。`,
      "接下来 70 天里与平常不同的日子：",
      "  2099-01-01（周四） 至 2099-01-04（周日）  放假（4 天）",
      "  2099-02-07（周六）  调休上班",
      "  2099-02-08（周日） 至 2099-02-15（周日）  放假（8 天）",
    ]);
    expect(out.at(-1)).toMatch(/^注意：节假日数据只到/); // 2098 itself is not known
    expect(calendarCovers(2099)).toBe(false); // checking a file does not keep it
  });

  it("refuses a bad --days or an unknown option with the usage, and a file that is not there", async () => {
    for (const argv of [["--days", "0"], ["--days", "两周"], ["--frobnicate"]]) {
      const r = await run(argv);
      expect(r.code).toBe(2);
      expect(r.out).toEqual([]);
      expect(r.err.join("\n")).toContain("用法：huibao holidays [--file 节假日.yaml] [--days 天数]");
    }
    const missing = join(dir, "none.yaml");
    expect(await run(["--file", missing])).toEqual({ code: 2, out: [], err: [`找不到文件：${missing}`] });
  });

  it("shows a broken file's lines", async () => {
    const bad = await run([], file("cli-bad.yaml", "2099:\n  workdays:\n    - 2099-02-07\n    - 明年\n"));
    expect(bad.code).toBe(2);
    expect(bad.err).toEqual([
      `${join(dir, "cli-bad.yaml")} 有 1 处错误：`,
      "  第 4 行：“明年”不是日期：请写成 2027-01-01 这样的格式",
    ]);
  });
});
