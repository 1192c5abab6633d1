import { type CommandContext, UserError } from "../src/bot/command.ts";
import { currentStage, STATUS_WORDS } from "../src/domain/approvals/facts.ts";
import {
  announce,
  askStage,
  finalApprovalText,
  rejectionText,
  stagePassedText,
  tally,
} from "../src/domain/approvals/messages.ts";
import { namesOf, stageLabel } from "../src/domain/approvals/stages.ts";
import { castVote, type Decision, draftVotedBy, type VoteResult } from "../src/domain/approvals/vote.ts";
import {
  decisionTarget,
  firstWord,
  isDecisionWord,
  NOT_PLACED_TO_APPROVE,
  notFound,
  sourceOf,
  splitTarget,
} from "./approval-common.ts";
import { requirePlaced } from "./common.ts";

const VERB: Record<Decision, string> = { approve: "同意", reject: "驳回" };

/**
 * 同意 / 驳回 and their synonyms: checks the reply really is a decision, finds the draft (named,
 * quoted or the only one waiting), counts the vote and answers in one line; outcomes (a stage
 * passed, approved, rejected) go to the draft's group, and the next stage's approvers get the draft.
 */
export async function decide(
  ctx: CommandContext,
  decision: Decision,
  names: readonly string[],
): Promise<string> {
  const verb = VERB[decision];
  const word = firstWord(ctx);
  if (!isDecisionWord(word, names)) {
    return `「${word}」不算审批意见，没有计票。要${verb}，请回复「${verb}」开头的一句话，例如「${verb} #12${decision === "reject" ? " 理由" : ""}」。`;
  }
  requirePlaced(ctx, NOT_PLACED_TO_APPROVE);
  const { platform, messageId } = ctx.message;
  // The same message handled again (its first answer was never sent): a bare answer would find
  // nothing waiting any more, so its vote names the draft, and castVote repeats what it did.
  const earlier = await draftVotedBy(ctx.services.db, platform, messageId);
  const { id: named, text } = splitTarget(ctx.args.rest === undefined ? undefined : String(ctx.args.rest));
  if (earlier === undefined && decision === "reject" && !text) {
    throw new UserError(`驳回要写理由，方便送审人修改，例如「驳回 #12 标题有错别字」。这次没有计票。`);
  }
  const draftId = earlier ?? (await decisionTarget(ctx, named, verb));
  const { services, person } = ctx;
  const result = await castVote(services.db, {
    draftId,
    voter: { id: person.id, name: person.name },
    decision,
    reason: text || null,
    source: sourceOf(ctx),
    now: services.clock.now(),
    settings: services.settings,
  });
  return answer(ctx, result, draftId, decision, text);
}

function answer(ctx: CommandContext, r: VoteResult, id: number, decision: Decision, reason: string): string {
  const verb = VERB[decision];
  const tz = ctx.services.timezone;
  switch (r.kind) {
    case "notFound":
      throw notFound(id);
    case "duplicate":
      return `已记录：你${VERB[r.vote.decision as Decision] ?? r.vote.decision}了 #${id}（这条消息之前已经计过票）。`;
    case "notPending":
      return `#${id} 现在${STATUS_WORDS[r.facts.status] ?? r.facts.status}，不用再审批了，这次回复不计票。`;
    case "ownDraft":
      return `#${id} 是你自己送审的，送审人不能审批自己的稿件，这次回复不计票。`;
    case "notApprover": {
      const stage = currentStage(r.facts);
      if (r.laterStage !== null) {
        return `#${id} 现在在${stageLabel(r.facts.stage, stage)}审批，你在第${r.laterStage + 1}级，轮到你时会通知你。这次回复不计票。`;
      }
      return `你不是 #${id} 这一级的审批人（${stageLabel(r.facts.stage, stage)}由 ${namesOf(stage.approvers)} 审批），这次回复不计票。谢谢关注！`;
    }
    case "alreadyVoted":
      return `你已经${VERB[r.vote.decision as Decision] ?? r.vote.decision}过 #${id}（第${r.vote.version}版），不能重复投票。`;
    case "counted":
      break;
  }
  const f = r.facts;
  const atStage = f.stages[r.stage];
  const label = atStage ? stageLabel(r.stage, atStage) : `第${r.stage + 1}级`;
  switch (r.outcome) {
    case "waiting":
      return `已记录：你${verb}了 #${id}（${label}，${tally(r.approvals, r.needed)}）。`;
    case "rejected":
      ctx.notify(announce(f, rejectionText(f, ctx.person.name, reason), [f.submitter]));
      return `已记录：你驳回了 #${id}，理由已转告送审人 ${f.submitter.name}。`;
    case "approved":
      ctx.notify(announce(f, finalApprovalText(f), [f.submitter]));
      return `已记录：你同意了 #${id}，审批全部通过。`;
    case "stagePassed": {
      const next = currentStage(f);
      const opening = `${stagePassedText(f, r.stage, `${ctx.person.name}同意`)}请${stageLabel(f.stage, next)}审批。`;
      for (const n of askStage(f, tz, opening)) ctx.notify(n);
      return `已记录：你同意了 #${id}，${label}已通过，转${stageLabel(f.stage, next)}审批。`;
    }
  }
}
