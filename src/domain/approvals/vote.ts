import type { DomainSettings } from "../../bot/command.ts";
import type { Db, Tx } from "../../db/database.ts";
import type { Draft, Vote } from "../../generated/prisma/client.ts";
import { type DraftFacts, factsOf } from "./facts.ts";
import { cancelDraftJobs, planNextStage } from "./jobs.ts";
import { readStages } from "./stages.ts";
import { lockDraftForChange } from "./store.ts";
import { TX_OPTIONS } from "./submit.ts";
import { approverRole, recordAction, type Source, SYSTEM } from "./trail.ts";

export type Decision = "approve" | "reject";

export interface VoteInput {
  draftId: number;
  voter: { id: number; name: string };
  decision: Decision;
  /** Required for a rejection; an optional remark for an approval. */
  reason: string | null;
  source: Source & { platform: string; messageId: string };
  now: Date;
  settings: DomainSettings;
}

export type VoteResult =
  | { kind: "notFound" }
  /**
   * This platform message was counted before and the draft has moved on since: the vote it made.
   * (While the draft is still where the vote left it, a second handling gets `counted` again.)
   */
  | { kind: "duplicate"; facts: DraftFacts; vote: Vote }
  | { kind: "notPending"; facts: DraftFacts }
  | { kind: "ownDraft"; facts: DraftFacts }
  /** Not among the current stage's approvers; `laterStage` when they sign at a later one. */
  | { kind: "notApprover"; facts: DraftFacts; laterStage: number | null }
  | { kind: "alreadyVoted"; facts: DraftFacts; vote: Vote }
  | {
      kind: "counted";
      /** The draft after the vote. */
      facts: DraftFacts;
      /** The stage the vote was cast at. */
      stage: number;
      approvals: number;
      needed: number;
      outcome: "waiting" | "stagePassed" | "approved" | "rejected";
    };

/**
 * One approver's decision on the current version at the current stage. The draft row is locked for
 * the whole transaction, so two approvers answering at once are counted one after the other (both
 * count, the stage passes once) and a message delivered twice finds its own vote.
 * A rejection by any approver of the current stage rejects the draft; the submitter may then edit it.
 */

/**
 * What this vote did, for its message handled a second time. The inbox handles a message again only
 * when the first handling's answer and notices were never queued (the process died, or queuing failed,
 * after the vote was committed), so the same answer and notices must go out now: otherwise the next
 * stage's approvers would not hear of the draft until a reminder. Only while the draft is still where
 * the vote left it; anything that moved it since has sent its own notices.
 */
async function replayOf(tx: Tx, draft: Draft, vote: Vote): Promise<VoteResult | undefined> {
  const stages = readStages(draft.stages);
  const stage = stages[vote.stage];
  if (!stage || vote.version !== draft.version) return undefined;
  const approvals = await tx.vote.count({
    where: {
      draftId: draft.id,
      version: vote.version,
      stage: vote.stage,
      decision: "approve",
      id: { lte: vote.id },
    },
  });
  const counted = {
    kind: "counted" as const,
    facts: await factsOf(tx, draft),
    stage: vote.stage,
    approvals,
    needed: stage.needed,
  };
  if (vote.decision === "reject") {
    return draft.status === "rejected" ? { ...counted, outcome: "rejected" } : undefined;
  }
  // The answer states the count at the time; it sends no notice.
  if (approvals < stage.needed) return { ...counted, outcome: "waiting" };
  if (approvals > stage.needed) return undefined;
  if (vote.stage === stages.length - 1) {
    return draft.status === "approved" ? { ...counted, outcome: "approved" } : undefined;
  }
  return draft.status === "pending" && draft.stage === vote.stage + 1
    ? { ...counted, outcome: "stagePassed" }
    : undefined;
}

/** The draft a platform message voted on, if it voted (the same message handled a second time). */
export async function draftVotedBy(db: Db, platform: string, messageId: string): Promise<number | undefined> {
  const vote = await db.vote.findUnique({
    where: { platform_messageId: { platform, messageId } },
    select: { draftId: true },
  });
  return vote?.draftId;
}

export async function castVote(db: Db, input: VoteInput): Promise<VoteResult> {
  return db.$transaction(async (tx): Promise<VoteResult> => {
    const draft = await lockDraftForChange(tx, input.draftId);
    if (!draft) return { kind: "notFound" };
    const { platform, messageId } = input.source;
    const again = await tx.vote.findUnique({ where: { platform_messageId: { platform, messageId } } });
    if (again) {
      return (
        (await replayOf(tx, draft, again)) ?? {
          kind: "duplicate",
          facts: await factsOf(tx, draft),
          vote: again,
        }
      );
    }
    if (draft.status !== "pending") return { kind: "notPending", facts: await factsOf(tx, draft) };
    if (draft.submitterId === input.voter.id) return { kind: "ownDraft", facts: await factsOf(tx, draft) };
    const stages = readStages(draft.stages);
    const stage = stages[draft.stage];
    if (!stage?.approvers.some((a) => a.personId === input.voter.id)) {
      const later = stages.findIndex(
        (s, i) => i > draft.stage && s.approvers.some((a) => a.personId === input.voter.id),
      );
      return {
        kind: "notApprover",
        facts: await factsOf(tx, draft),
        laterStage: later === -1 ? null : later,
      };
    }
    const key = { draftId: draft.id, version: draft.version, stage: draft.stage, personId: input.voter.id };
    const prior = await tx.vote.findUnique({ where: { draftId_version_stage_personId: key } });
    if (prior) return { kind: "alreadyVoted", facts: await factsOf(tx, draft), vote: prior };

    await tx.vote.create({
      data: { ...key, decision: input.decision, reason: input.reason, platform, messageId, at: input.now },
    });
    const actor = { id: input.voter.id, name: input.voter.name, role: approverRole(draft.stage, stage) };
    await recordAction(tx, draft, actor, input.decision, input.source, input.now);
    const approvals = await tx.vote.count({
      where: { draftId: draft.id, version: draft.version, stage: draft.stage, decision: "approve" },
    });
    const base = { stage: draft.stage, approvals, needed: stage.needed };
    const system = { rawText: "", platform: null, messageId: null };

    if (input.decision === "reject") {
      const after = await tx.draft.update({
        where: { id: draft.id },
        data: { status: "rejected", updatedAt: input.now },
      });
      await cancelDraftJobs(tx, draft.id, input.now);
      return { kind: "counted", facts: await factsOf(tx, after), ...base, outcome: "rejected" };
    }
    if (approvals < stage.needed) {
      return { kind: "counted", facts: await factsOf(tx, draft), ...base, outcome: "waiting" };
    }
    const last = draft.stage === stages.length - 1;
    await recordAction(
      tx,
      draft,
      SYSTEM,
      last ? "approved" : "pass",
      {
        ...system,
        rawText: last
          ? `第${draft.version}版，${stages.length}级全部通过`
          : `第${draft.stage + 1}级「${stage.name}」`,
      },
      input.now,
    );
    if (last) {
      const after = await tx.draft.update({
        where: { id: draft.id },
        data: { status: "approved", updatedAt: input.now },
      });
      await cancelDraftJobs(tx, draft.id, input.now);
      return { kind: "counted", facts: await factsOf(tx, after), ...base, outcome: "approved" };
    }
    const after = await tx.draft.update({
      where: { id: draft.id },
      data: { stage: draft.stage + 1, updatedAt: input.now },
    });
    await planNextStage(tx, after, draft.stage, input.now, input.settings);
    return { kind: "counted", facts: await factsOf(tx, after), ...base, outcome: "stagePassed" };
  }, TX_OPTIONS);
}
