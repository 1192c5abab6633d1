import { parseArgs } from "node:util";
import { WEEKDAY_NAMES } from "../lib/dates-zh/tables.ts";
import { type Day, isoWeekday, wallClock } from "../lib/dates-zh/zone.ts";
import { readHolidayFile } from "../lib/holiday-file.ts";
import {
  calendarGapWarning,
  extendWorkdayCalendar,
  isWorkingDay,
  workdayCalendarYears,
} from "../lib/workdays.ts";

export interface HolidaysIO {
  out: (line: string) => void;
  err: (line: string) => void;
  now: () => Date;
  timezone: string;
  /** HOLIDAYS_FILE, if set. */
  configuredFile: string | undefined;
}

const USAGE = "用法：huibao holidays [--file 节假日.yaml] [--days 天数]";

/**
 * `huibao holidays`: checks a holiday file (HOLIDAYS_FILE, or --file before it is set) and shows
 * what the bot will treat as days off and make-up working days in the coming weeks, so that an
 * administrator can compare it with the State Council's notice.
 */
export async function runHolidays(argv: string[], io: HolidaysIO): Promise<number> {
  let values: { file?: string; days?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { file: { type: "string" }, days: { type: "string" } },
      allowPositionals: false,
    }));
  } catch (e) {
    io.err(`参数有误：${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    return 2;
  }
  const days = values.days === undefined ? 90 : Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 800) {
    io.err(`--days 应当是 1–800 之间的整数\n${USAGE}`);
    return 2;
  }
  const file = values.file ?? io.configuredFile;
  let restore = () => {};
  try {
    if (file !== undefined) {
      const loaded = load(file, io);
      if (loaded === undefined) return 2;
      restore = loaded;
    }
    show(days, file, io);
    return 0;
  } finally {
    restore();
  }
}

/** Reads and checks the file and adds it to the calendar; undefined (errors printed) when it is wrong. */
function load(file: string, io: HolidaysIO): (() => void) | undefined {
  const read = readHolidayFile(file);
  if (!read.ok) {
    io.err(read.lines.length > 0 ? `${read.summary}：` : read.summary);
    for (const line of read.lines) io.err(`  ${line}`);
    return undefined;
  }
  io.out(
    `${file}：放假 ${read.overrides.holidays.length} 天，调休上班 ${read.overrides.workdays.length} 天，格式正确。`,
  );
  return extendWorkdayCalendar(read.overrides);
}

/** What the calendar says about the coming `days` days, as an administrator compares it with the notice. */
function show(days: number, file: string | undefined, io: HolidaysIO): void {
  const { first, last } = workdayCalendarYears();
  io.out(
    `节假日数据覆盖 ${first}–${last} 年${file === undefined ? "（内置数据，没有设置 HOLIDAYS_FILE）" : ""}。`,
  );
  const today = wallClock(io.now(), io.timezone).day;
  io.out(`接下来 ${days} 天里与平常不同的日子：`);
  let shown = 0;
  let run: Day[] = [];
  const flush = () => {
    // A run of days off counts when it takes at least one weekday (a plain weekend is not news).
    const start = run[0];
    const end = run[run.length - 1];
    if (start && end && run.some((d) => isoWeekday(d) <= 5)) {
      io.out(`  ${label(start)}${run.length > 1 ? ` 至 ${label(end)}` : ""}  放假（${run.length} 天）`);
      shown += 1;
    }
    run = [];
  };
  for (let i = 0; i < days; i++) {
    const d = today.add(i, "day");
    if (!isWorkingDay(d.format("YYYY-MM-DD"))) {
      run.push(d);
      continue;
    }
    flush();
    if (isoWeekday(d) >= 6) {
      io.out(`  ${label(d)}  调休上班`);
      shown += 1;
    }
  }
  flush();
  if (shown === 0) io.out("  没有（只有普通周末）");
  const warning = calendarGapWarning(today.format("YYYY-MM-DD"));
  if (warning) io.out(`注意：${warning}`);
}

/** "2027-02-06（周六）" */
function label(d: Day): string {
  return `${d.format("YYYY-MM-DD")}（${WEEKDAY_NAMES[isoWeekday(d) - 1]}）`;
}
