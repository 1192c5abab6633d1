import type { Db, Tx } from "../../db/database.ts";
import type { Draft } from "../../generated/prisma/client.ts";
import { type DraftFacts, factsOf } from "./facts.ts";
import { lockDraftForChange } from "./store.ts";
import { TX_OPTIONS } from "./submit.ts";
import { alreadyRecorded, type Source } from "./trail.ts";

export type Unchanged = { kind: "notFound" } | { kind: "duplicate"; facts: DraftFacts };

/**
 * Runs a change to one draft in a transaction that holds its row lock. A platform message already in
 * the draft's audit trail (delivered a second time) changes nothing and says so.
 */
export async function changeDraft<R>(
  db: Db,
  draftId: number,
  source: Source,
  change: (tx: Tx, draft: Draft) => Promise<R>,
): Promise<R | Unchanged> {
  return db.$transaction(async (tx) => {
    const draft = await lockDraftForChange(tx, draftId);
    if (!draft) return { kind: "notFound" as const };
    if (await alreadyRecorded(tx, draft.id, source)) {
      return { kind: "duplicate" as const, facts: await factsOf(tx, draft) };
    }
    return change(tx, draft);
  }, TX_OPTIONS);
}

/** Who may withdraw or mark as published: the submitter, or an admin. */
export function submitterOrAdmin(
  draft: Pick<Draft, "submitterId">,
  person: { id: number; roles: readonly string[] },
): "submitter" | "admin" | null {
  if (draft.submitterId === person.id) return "submitter";
  return person.roles.includes("admin") ? "admin" : null;
}
