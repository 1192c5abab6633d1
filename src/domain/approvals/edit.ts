import type { DomainSettings } from "../../bot/command.ts";
import type { Db } from "../../db/database.ts";
import { changeDraft, type Unchanged } from "./change.ts";
import { findChannel } from "./channels.ts";
import { contentSha, describeChanges } from "./content.ts";
import { type DraftFacts, factsOf } from "./facts.ts";
import { planVersion } from "./jobs.ts";
import { ROLE_SUBMITTER, recordAction, type Source } from "./trail.ts";

export interface EditInput {
  draftId: number;
  editor: { id: number; name: string };
  /** null: keep. */
  title: string | null;
  body: string | null;
  publishAt: Date | null;
  source: Source;
  now: Date;
  settings: DomainSettings;
}

export type EditResult =
  | Unchanged
  | { kind: "notSubmitter"; facts: DraftFacts }
  | { kind: "closed"; facts: DraftFacts }
  | { kind: "same"; facts: DraftFacts }
  | { kind: "edited"; facts: DraftFacts; changes: string[] };

const EDITABLE = new Set(["pending", "rejected", "expired", "approved"]);

/**
 * A new version by the submitter: every earlier vote stops counting (votes belong to a version), the
 * chain restarts at its first stage with a fresh deadline, and the reminders of the old version are
 * cancelled. Allowed until the draft is published or withdrawn, approved ones included: a changed
 * text needs a new sign-off.
 */
export async function editDraft(db: Db, input: EditInput): Promise<EditResult> {
  return changeDraft(db, input.draftId, input.source, async (tx, draft): Promise<EditResult> => {
    if (draft.submitterId !== input.editor.id)
      return { kind: "notSubmitter", facts: await factsOf(tx, draft) };
    if (!EDITABLE.has(draft.status)) return { kind: "closed", facts: await factsOf(tx, draft) };
    const title = input.title ?? draft.title;
    const body = input.body ?? draft.body;
    const movedPublish = input.publishAt !== null && input.publishAt.getTime() !== draft.publishAt?.getTime();
    if (title === draft.title && body === draft.body && !movedPublish) {
      return { kind: "same", facts: await factsOf(tx, draft) };
    }
    const stillAhead = draft.publishAt && draft.publishAt > input.now ? draft.publishAt : null;
    const publishAt = input.publishAt ?? stillAhead;
    const hours = (await findChannel(tx, draft.channel))?.deadlineHours ?? 24;
    const deadline = publishAt ?? new Date(input.now.getTime() + hours * 3_600_000);
    const version = draft.version + 1;
    const after = await tx.draft.update({
      where: { id: draft.id },
      data: { title, body, version, stage: 0, status: "pending", publishAt, deadline, updatedAt: input.now },
    });
    await tx.draftVersion.create({
      data: {
        draftId: draft.id,
        version,
        title,
        body,
        sha256: contentSha(title, body),
        createdAt: input.now,
      },
    });
    const actor = { id: input.editor.id, name: input.editor.name, role: ROLE_SUBMITTER };
    await recordAction(tx, after, actor, "edit", input.source, input.now);
    await planVersion(tx, { id: draft.id, version, stage: 0, deadline }, input.now, input.settings);
    const changes = describeChanges(draft, after);
    if (movedPublish && publishAt) changes.unshift("计划发布时间有变");
    return { kind: "edited", facts: await factsOf(tx, after), changes };
  });
}
