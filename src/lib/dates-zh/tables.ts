/**
 * The words of the grammar. A period turns the hour people say into a 24-hour clock hour (24 is
 * the midnight that ends the day) or refuses it: 早上 is morning whatever the zone, 晚上12点 is
 * midnight, 下午14点 is already on the 24-hour clock.
 */
export interface Period {
  words: string[];
  toHour(hour: number): number | undefined;
  /** An hour that reads well with the word, for the hint when the hour is missing. */
  example: number;
}

const within = (h: number, lo: number, hi: number) => h >= lo && h <= hi;

const afternoon = (lo: number, hi: number) => (h: number) =>
  within(h, lo, hi) ? h + 12 : within(h, lo + 12, hi + 12) ? h : undefined;

export const PERIODS: Period[] = [
  { words: ["凌晨"], toHour: (h) => (h === 12 ? 0 : within(h, 0, 6) ? h : undefined), example: 5 },
  { words: ["早上", "早晨", "清晨", "早"], toHour: (h) => (within(h, 4, 11) ? h : undefined), example: 8 },
  { words: ["上午"], toHour: (h) => (within(h, 1, 12) ? h : undefined), example: 10 },
  {
    words: ["中午"],
    toHour: (h) => (within(h, 11, 14) ? h : within(h, 1, 2) ? h + 12 : undefined),
    example: 12,
  },
  { words: ["下午"], toHour: (h) => (h === 12 ? 12 : afternoon(1, 11)(h)), example: 3 },
  { words: ["傍晚"], toHour: afternoon(4, 8), example: 6 },
  {
    words: ["晚上", "夜里", "晚间", "晚"],
    toHour: (h) => (h === 12 || h === 24 ? 24 : afternoon(5, 11)(h)),
    example: 7,
  },
];

/** Words that name a day (and maybe the part of it): 今晚 is today's evening. */
export const DAY_WORDS: { words: string[]; days: number; period?: string }[] = [
  { words: ["今天", "今日"], days: 0 },
  { words: ["明天", "明日"], days: 1 },
  { words: ["大后天"], days: 3 },
  { words: ["后天"], days: 2 },
  { words: ["今晚"], days: 0, period: "晚上" },
  { words: ["明晚"], days: 1, period: "晚上" },
  { words: ["今早"], days: 0, period: "早上" },
  { words: ["明早"], days: 1, period: "早上" },
];

/** ISO weekday (Monday 1 … Sunday 7) of the character after 周/星期/礼拜. */
export const WEEKDAYS: Record<string, number> = {
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  日: 7,
  天: 7,
  "1": 1,
  "2": 2,
  "3": 3,
  "4": 4,
  "5": 5,
  "6": 6,
  "7": 7,
};

/** Weeks ahead named by the word before 周/星期/礼拜; no word means the next such weekday. */
export const WEEK_PREFIXES: Record<string, number> = {
  本: 0,
  这: 0,
  这个: 0,
  下: 1,
  下个: 1,
  下一个: 1,
  下下: 2,
  下下个: 2,
};

export const WEEK_WORDS = ["周", "星期", "礼拜"];

export const WEEKDAY_NAMES = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

/** Units of "…后": minutes and hours give an instant, days and weeks give a day. */
export const OFFSET_UNITS: Record<string, { minutes?: number; days?: number }> = {
  分钟: { minutes: 1 },
  分: { minutes: 1 },
  小时: { minutes: 60 },
  钟头: { minutes: 60 },
  天: { days: 1 },
  日: { days: 1 },
  周: { days: 7 },
  星期: { days: 7 },
  礼拜: { days: 7 },
};

export const alternatives = (words: Iterable<string>) =>
  [...words].sort((a, b) => b.length - a.length).join("|");
