import { readSpec } from "./grammar.ts";
import { resolve, type WhenOptions, type WhenResult } from "./resolve.ts";

export { formatDay, formatIso, formatWhen } from "./format.ts";
export type { WhenOptions, WhenResult } from "./resolve.ts";

/**
 * Reads a Chinese time expression ("明天下午3点", "下周三下午两点", "3月20日14:00", "两小时后") in the
 * zone. A time without a date is the next such time; a month and day already past is next year;
 * what does not exist (2月30日, 25点, 下周八) is refused with a reason in Chinese, never guessed.
 * A date without a time is refused unless `dateOnly: "allow"` (then `hasTime` is false and `at` is
 * the start of that day in the zone).
 */
export function parseWhen(text: string, opts: WhenOptions): WhenResult {
  const spec = readSpec(text);
  if ("reason" in spec) return { ok: false, reason: spec.reason };
  return resolve(spec, opts);
}
