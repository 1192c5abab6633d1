import type { DbClient } from "../../db/database.ts";
import type { Draft } from "../../generated/prisma/client.ts";
import { readStages } from "./stages.ts";

export interface ChatRef {
  platform: string;
  chatId: string;
}

/**
 * Pending drafts whose current stage waits for this person (they are an approver there and have not
 * answered this version yet), oldest first; only those submitted in `chat` when it is given.
 */
export async function waitingFor(db: DbClient, personId: number, chat?: ChatRef): Promise<Draft[]> {
  const drafts = await db.draft.findMany({
    where: { status: "pending", ...(chat ? { platform: chat.platform, chatId: chat.chatId } : {}) },
    orderBy: { id: "asc" },
  });
  const mine = drafts.filter((d) =>
    readStages(d.stages)[d.stage]?.approvers.some((a) => a.personId === personId),
  );
  if (mine.length === 0) return [];
  const answered = await db.vote.findMany({
    where: { personId, draftId: { in: mine.map((d) => d.id) } },
    select: { draftId: true, version: true, stage: true },
  });
  return mine.filter(
    (d) => !answered.some((v) => v.draftId === d.id && v.version === d.version && v.stage === d.stage),
  );
}

/** Pending drafts submitted in this chat. */
export async function pendingIn(db: DbClient, chat: ChatRef): Promise<Draft[]> {
  return db.draft.findMany({
    where: { status: "pending", platform: chat.platform, chatId: chat.chatId },
    orderBy: { id: "asc" },
  });
}

/** Drafts of this submitter that can still change (not withdrawn or published), oldest first. */
export async function openDraftsOf(db: DbClient, personId: number): Promise<Draft[]> {
  return db.draft.findMany({
    where: { submitterId: personId, status: { in: ["pending", "rejected", "expired", "approved"] } },
    orderBy: { id: "asc" },
  });
}

/** Drafts of this submitter that passed sign-off and wait to be marked published, oldest first. */
export async function approvedDraftsOf(db: DbClient, personId: number): Promise<Draft[]> {
  return db.draft.findMany({ where: { submitterId: personId, status: "approved" }, orderBy: { id: "asc" } });
}
