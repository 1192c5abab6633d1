import { type CommandContext, UserError } from "../src/bot/command.ts";
import { normalizeToken, stripMentions, tokenize } from "../src/bot/text.ts";
import type { DraftFacts } from "../src/domain/approvals/facts.ts";
import { headline } from "../src/domain/approvals/messages.ts";
import { pendingIn, waitingFor } from "../src/domain/approvals/queue.ts";
import { quoteTarget } from "../src/domain/approvals/target.ts";
import type { Source } from "../src/domain/approvals/trail.ts";
import type { NotPlacedRefusal } from "./common.ts";

/** Shared by the approval commands (送审, 同意, 驳回, 修改, 撤回, 已发布, 审批, 待审). */

/**
 * What the approval commands say, through requirePlaced, to someone not yet in the directory. Worded
 * like every other refusal of that kind (the bot's notPlaced), except that it cannot say "you may
 * look things up": drafts and their trail are not shown to strangers either.
 */
export const NOT_PLACED_TO_APPROVE: NotPlacedRefusal = {
  say: (account) =>
    `你还没有登记到通讯录，还不能送审、审批或查看稿件。已记下你的账号（${account}），请管理员把你加入单位。`,
};

/** The message as the audit trail keeps it: the text as received, and where it came from. */
export function sourceOf(ctx: CommandContext): Source & { platform: string; messageId: string } {
  return { rawText: ctx.message.text, platform: ctx.message.platform, messageId: ctx.message.messageId };
}

export const chatOf = (ctx: CommandContext) => ({
  platform: ctx.message.platform,
  chatId: ctx.message.chatId,
});

export const inGroup = (ctx: CommandContext) => ctx.message.chatType === "group";

/** The first word of the message as typed (after any leading @-mentions): what the command was called by. */
export function firstWord(ctx: CommandContext): string {
  return tokenize(stripMentions(ctx.message.text, []))[0]?.raw ?? "";
}

/**
 * A decision is a decision only when the first word is exactly one of the command's names, or the
 * name glued to `#12` or to punctuation that starts a reason ("驳回：标题有误"). "同意吗？", "同意?",
 * "通过了吗" reach the command through the glued-name lookup but decide nothing.
 */
export function isDecisionWord(word: string, names: readonly string[]): boolean {
  const w = normalizeToken(word);
  const name = names
    .map(normalizeToken)
    .filter((n) => w.startsWith(n))
    .sort((a, b) => b.length - a.length)[0];
  if (name === undefined) return false;
  const tail = w.slice(name.length);
  return /^(?:#\d+)?(?:$|[:，,。.！!；;])/u.test(tail);
}

/** After the name: an optional leading `#12` (full-width too), then the rest (a reason or a remark). */
export function splitTarget(rest: string | undefined): { id: number | undefined; text: string } {
  const t = (rest ?? "").replace(/^[\s:：，,。.！!；;]+/u, "");
  const m = /^[#＃]\s*([0-9０-９]{1,9})(?![0-9０-９])/u.exec(t);
  const id = m?.[1] ? Number(m[1].normalize("NFKC")) : undefined;
  const text = m ? t.slice(m[0].length) : t;
  return { id, text: text.replace(/^[\s:：，,。.！!；;]+/u, "").trim() };
}

/** What a list of drafts shows: number, channel, title. */
type DraftLine = Pick<DraftFacts, "id" | "channel" | "title">;

function listDrafts(drafts: readonly DraftLine[]): string {
  return drafts.map((d) => `  ${headline(d)}`).join("\n");
}

/**
 * The draft a decision is about: named (`同意 #12`), quoted (the quoted bot message starts with
 * #12), or — bare — the one draft waiting for this person in this chat (in a one-to-one chat: any
 * draft waiting for them). Two or more: ask which; none: say so, kindly, and count nothing.
 */
export async function decisionTarget(
  ctx: CommandContext,
  named: number | undefined,
  verb: string,
): Promise<number> {
  if (named !== undefined) return named;
  const db = ctx.services.db;
  const quoted = quoteTarget(ctx.message.quote?.text);
  if (quoted.kind === "draft") return quoted.id;
  if (quoted.kind === "several") {
    throw new UserError(
      `引用的消息里有好几个编号（${quoted.ids.map((i) => `#${i}`).join("、")}），请写明是哪一份，例如「${verb} #${quoted.ids[0]}」。这次没有计票。`,
    );
  }
  const waiting = await waitingFor(db, ctx.person.id, inGroup(ctx) ? chatOf(ctx) : undefined);
  const [only] = waiting;
  if (waiting.length === 1 && only) return only.id;
  if (waiting.length > 1) {
    throw new UserError(
      `有 ${waiting.length} 份稿件在等你审批，请说明是哪一份：\n${listDrafts(waiting)}\n例如「${verb} #${only?.id}」，或引用那条消息回复。这次没有计票。`,
    );
  }
  const here = inGroup(ctx) ? await pendingIn(db, chatOf(ctx)) : [];
  if (here.length > 0) {
    throw new UserError(
      `这个群里待审批的稿件现在不需要你审批（${here.map((d) => `#${d.id}`).join("、")}），这次回复不计票。`,
    );
  }
  throw new UserError(`现在没有等你审批的稿件。要审批某一份，请写上编号，例如「${verb} #12」。`);
}

/** The draft a submitter's command is about: named, quoted, or their only open draft. */
export async function ownDraftTarget(
  ctx: CommandContext,
  named: number | undefined,
  usage: string,
  open: () => Promise<DraftLine[]>,
): Promise<number> {
  if (named !== undefined) return named;
  const quoted = quoteTarget(ctx.message.quote?.text);
  if (quoted.kind === "draft") return quoted.id;
  const drafts = await open();
  const [only] = drafts;
  if (drafts.length === 1 && only) return only.id;
  if (drafts.length === 0) throw new UserError(`请写上稿件编号，例如「${usage}」。`);
  throw new UserError(`你有 ${drafts.length} 份稿件，请写上编号，例如「${usage}」：\n${listDrafts(drafts)}`);
}

export const notFound = (id: number) =>
  new UserError(`没有 #${id} 这份稿件，请检查编号（「待审」可以看等你审批的稿件）。`);
