import { UserError } from "../src/bot/command.ts";
import { formatWhen, parseWhen } from "../src/lib/dates-zh/index.ts";

/**
 * The 「发布时间：…」 of 送审 and 修改: a later instant, or null when none was written. A whole day
 * is refused because approvers need to know by when, not just which day.
 */
export function publishTimeOf(written: string | null | undefined, now: Date, timezone: string): Date | null {
  if (!written) return null;
  const when = parseWhen(written, { now, timezone, dateOnly: "refuse" });
  if (!when.ok) throw new UserError(`发布时间「${written}」没看懂：${when.reason}`);
  if (when.at <= now) throw new UserError(`发布时间 ${formatWhen(when.at, timezone)} 已经过了。`);
  return when.at;
}
