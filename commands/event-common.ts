import { type CommandContext, UserError } from "../src/bot/command.ts";
import { signedUpPeople } from "../src/domain/events/signup.ts";
import type { Notice } from "../src/domain/notice.ts";
import { formatWhen, parseWhen } from "../src/lib/dates-zh/index.ts";

/** Shared by the event commands: reading a time, and who hears about a change. */

/** A start time as people write it; refused when not understood, without a clock time, or past. */
export function readStart(ctx: CommandContext, text: string): Date {
  const { clock, timezone } = ctx.services;
  const now = clock.now();
  const when = parseWhen(text, { now, timezone, dateOnly: "refuse" });
  if (!when.ok) throw new UserError(`没看懂时间“${text}”：${when.reason}`);
  if (when.at <= now) {
    throw new UserError(`${formatWhen(when.at, timezone)} 已经过去了，请写一个将来的时间。`);
  }
  return when.at;
}

/** "12月2日（周三）14:00": the year is clear from context in a list of reminders. */
export function shortWhen(at: Date, timezone: string): string {
  return formatWhen(at, timezone).replace(/^\d{4}年/u, "");
}

export function reminderLine(reminders: readonly Date[], timezone: string): string {
  return reminders.length === 0
    ? "提醒：离开始太近，不再另发提醒"
    : `提醒：${reminders.map((r) => shortWhen(r, timezone)).join("、")}`;
}

/**
 * Announces to the event's groups, except the one the command was typed in: it has just read the
 * same facts in the reply.
 */
export function announce(
  ctx: CommandContext,
  groupIds: readonly number[],
  originGroupId: number | undefined,
  text: string,
  title: string,
): number[] {
  const to = groupIds.filter((g) => g !== originGroupId);
  for (const groupId of to) ctx.notify({ to: { groupId }, text, title, mentions: [] } satisfies Notice);
  return to;
}

/** People who signed up hear about a change one to one too; returns how many, the speaker left out. */
export async function tellSignedUp(ctx: CommandContext, eventId: number, text: string): Promise<number> {
  const people = await signedUpPeople(ctx.services.db, eventId, ctx.person.id);
  for (const personId of people) ctx.notify({ to: { personId }, text, mentions: [] });
  return people.length;
}
