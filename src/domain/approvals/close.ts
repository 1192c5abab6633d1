import type { Db } from "../../db/database.ts";
import { changeDraft, submitterOrAdmin, type Unchanged } from "./change.ts";
import { type DraftFacts, factsOf, waitingApprovers } from "./facts.ts";
import { cancelDraftJobs } from "./jobs.ts";
import type { StageApprover } from "./stages.ts";
import { ROLE_ADMIN, ROLE_SUBMITTER, recordAction, type Source } from "./trail.ts";

interface Who {
  id: number;
  name: string;
  roles: readonly string[];
}

export type WithdrawResult =
  | Unchanged
  | { kind: "notAllowed"; facts: DraftFacts }
  | { kind: "closed"; facts: DraftFacts }
  /** `waiting`: the approvers who were still to answer, to be told they need not. */
  | { kind: "withdrawn"; facts: DraftFacts; waiting: StageApprover[] };

/** The submitter (or an admin) takes a draft back; whatever was pending stops. */
export async function withdrawDraft(
  db: Db,
  input: { draftId: number; by: Who; source: Source; now: Date },
): Promise<WithdrawResult> {
  return changeDraft(db, input.draftId, input.source, async (tx, draft): Promise<WithdrawResult> => {
    const as = submitterOrAdmin(draft, input.by);
    if (!as) return { kind: "notAllowed", facts: await factsOf(tx, draft) };
    if (draft.status === "withdrawn" || draft.status === "published") {
      return { kind: "closed", facts: await factsOf(tx, draft) };
    }
    const before = await factsOf(tx, draft);
    const waiting = draft.status === "pending" ? await waitingApprovers(tx, before) : [];
    const after = await tx.draft.update({
      where: { id: draft.id },
      data: { status: "withdrawn", updatedAt: input.now },
    });
    await cancelDraftJobs(tx, draft.id, input.now);
    const actor = {
      id: input.by.id,
      name: input.by.name,
      role: as === "submitter" ? ROLE_SUBMITTER : ROLE_ADMIN,
    };
    await recordAction(tx, after, actor, "withdraw", input.source, input.now);
    return { kind: "withdrawn", facts: await factsOf(tx, after), waiting };
  });
}

export type PublishResult =
  | Unchanged
  | { kind: "notAllowed"; facts: DraftFacts }
  | { kind: "notApproved"; facts: DraftFacts }
  | { kind: "published"; facts: DraftFacts };

/** Closes an approved draft with the address it was published at. Refused before approval. */
export async function markPublished(
  db: Db,
  input: { draftId: number; by: Who; url: string; source: Source; now: Date },
): Promise<PublishResult> {
  return changeDraft(db, input.draftId, input.source, async (tx, draft): Promise<PublishResult> => {
    const as = submitterOrAdmin(draft, input.by);
    if (!as) return { kind: "notAllowed", facts: await factsOf(tx, draft) };
    if (draft.status !== "approved") return { kind: "notApproved", facts: await factsOf(tx, draft) };
    const after = await tx.draft.update({
      where: { id: draft.id },
      data: { status: "published", publishedUrl: input.url, updatedAt: input.now },
    });
    const actor = {
      id: input.by.id,
      name: input.by.name,
      role: as === "submitter" ? ROLE_SUBMITTER : ROLE_ADMIN,
    };
    await recordAction(tx, after, actor, "publish", input.source, input.now);
    return { kind: "published", facts: await factsOf(tx, after) };
  });
}
