import { type DueJob, eachJob, type JobContext, type JobHandler, type JobOutcome } from "../schedule.ts";
import { currentStage, type DraftFacts, factsOf, waitingApprovers } from "./facts.ts";
import type { StagePayload } from "./jobs.ts";
import { announce, escalateText, expiryText, remindText } from "./messages.ts";
import { namesOf, stageLabel } from "./stages.ts";
import { admins, lockDraft, lockDrafts } from "./store.ts";
import { recordAction, SYSTEM } from "./trail.ts";

const NO_SOURCE = { platform: null, messageId: null };

/** One job at a time, after locking every draft of the batch in id order (see lockDrafts). */
function draftJobs(run: (job: DueJob, ctx: JobContext) => Promise<JobOutcome>): JobHandler {
  const each = eachJob(run);
  return async (jobs, ctx) => {
    await lockDrafts(
      ctx.tx,
      jobs.map((j) => (j.payload as unknown as StagePayload).draftId),
    );
    return each(jobs, ctx);
  };
}

type Live = { ok: true; facts: DraftFacts } | { ok: false; outcome: JobOutcome };

/** The draft of a job, locked, if the job still applies: same version (and stage), still pending. */
async function live(job: DueJob, ctx: JobContext, sameStage: boolean): Promise<Live> {
  const p = job.payload as unknown as StagePayload;
  const draft = await lockDraft(ctx.tx, p.draftId);
  const skip = (note: string): Live => ({ ok: false, outcome: { status: "skipped", note } });
  if (!draft) return skip("draft is gone");
  if (draft.status !== "pending") return skip(`draft is ${draft.status}`);
  if (draft.version !== p.version) return skip("draft has a newer version");
  if (sameStage && draft.stage !== p.stage) return skip("draft is at another stage");
  return { ok: true, facts: await factsOf(ctx.tx, draft) };
}

/** Approvers of the current stage who have not answered get the draft's reminder one-to-one. */
export const remindApprovers: JobHandler = draftJobs(async (job, ctx) => {
  const l = await live(job, ctx, true);
  if (!l.ok) return l.outcome;
  const waiting = await waitingApprovers(ctx.tx, l.facts);
  if (waiting.length === 0) return { status: "skipped", note: "nobody left to answer" };
  await recordAction(
    ctx.tx,
    l.facts,
    SYSTEM,
    "remind",
    { ...NO_SOURCE, rawText: `${stageLabel(l.facts.stage, currentStage(l.facts))}：${namesOf(waiting)}` },
    ctx.now,
  );
  const text = remindText(l.facts, ctx.timezone);
  return {
    status: "done",
    notices: waiting.map((a) => ({
      to: { personId: a.personId },
      text,
      title: `提醒：#${l.facts.id} 待审批`,
      mentions: [],
    })),
  };
});

/** After the reminders, the admins hear that the draft is still pending (and who it waits for). */
export const tellAdmins: JobHandler = draftJobs(async (job, ctx) => {
  const l = await live(job, ctx, true);
  if (!l.ok) return l.outcome;
  const waiting = await waitingApprovers(ctx.tx, l.facts);
  if (waiting.length === 0) return { status: "skipped", note: "nobody left to answer" };
  const who = await admins(ctx.tx);
  if (who.length === 0) return { status: "skipped", note: "the directory has no admin" };
  const rawText = `${namesOf(who)}；还在等 ${namesOf(waiting)}`;
  await recordAction(ctx.tx, l.facts, SYSTEM, "escalate", { ...NO_SOURCE, rawText }, ctx.now);
  const text = escalateText(l.facts, ctx.timezone, waiting);
  return {
    status: "done",
    notices: who.map((a) => ({
      to: { personId: a.personId },
      text,
      title: `#${l.facts.id} 仍未审批完`,
      mentions: [],
    })),
  };
});

/** At the deadline a pending draft expires. It is never approved by default. */
export const expireDraft: JobHandler = draftJobs(async (job, ctx) => {
  const l = await live(job, ctx, false);
  if (!l.ok) return l.outcome;
  const waiting = await waitingApprovers(ctx.tx, l.facts);
  const after = await ctx.tx.draft.update({
    where: { id: l.facts.id },
    data: { status: "expired", updatedAt: ctx.now },
  });
  // Reminders still due (after downtime) are not cancelled here: the scheduler may hold their rows,
  // and cancelling would wait on them while holding the draft. They find the draft expired and skip.
  const rawText = `审批截止时还在等 ${namesOf(waiting) || "（无人）"}`;
  await recordAction(ctx.tx, after, SYSTEM, "expire", { ...NO_SOURCE, rawText }, ctx.now);
  const facts = { ...l.facts, status: "expired" as const };
  return {
    status: "done",
    notices: [announce(facts, expiryText(facts, ctx.timezone, waiting), [facts.submitter])],
  };
});
