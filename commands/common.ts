import { type CommandContext, UserError } from "../src/bot/command.ts";

/** Shared by commands of every area. */

/**
 * How a refusal to someone not yet in the directory reads: the usual sentence naming what they
 * tried (`action`, the notPlaced text), or an area's own sentence made from their account id.
 */
export type NotPlacedRefusal = { action: string } | { say: (account: string) => string };

/**
 * Only people in the directory may change things (and read drafts and their trail: approvals are not
 * for strangers); the events and tasks anyone may read do not call this.
 */
export function requirePlaced(ctx: CommandContext, refusal: NotPlacedRefusal): void {
  if (ctx.person.placed) return;
  const account = ctx.message.sender.userId;
  throw new UserError(
    "action" in refusal ? ctx.t("notPlaced", { action: refusal.action, id: account }) : refusal.say(account),
  );
}
