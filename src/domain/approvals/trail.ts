import type { Tx } from "../../db/database.ts";
import type { Draft } from "../../generated/prisma/client.ts";
import { type AuditAction, appendAudit } from "../audit/append.ts";
import { contentSha } from "./content.ts";
import type { DraftStage } from "./stages.ts";

export const ROLE_SUBMITTER = "送审人";
export const ROLE_ADMIN = "管理员";
export const ROLE_SYSTEM = "系统";
export const approverRole = (index: number, stage: Pick<DraftStage, "name">): string =>
  `第${index + 1}级审批人「${stage.name}」`;

export interface Actor {
  id: number | null;
  name: string;
  role: string;
}

export const SYSTEM: Actor = { id: null, name: "系统", role: ROLE_SYSTEM };

/** Where an action came from: the chat message as received, or nothing for the scheduler. */
export interface Source {
  rawText: string;
  platform: string | null;
  messageId: string | null;
}

/** One audit record about the draft as it is now (its current version and content). */
export async function recordAction(
  tx: Tx,
  draft: Pick<Draft, "id" | "version" | "title" | "body">,
  actor: Actor,
  action: AuditAction,
  source: Source,
  at: Date,
): Promise<void> {
  await appendAudit(tx, {
    draftId: draft.id,
    version: draft.version,
    contentSha: contentSha(draft.title, draft.body),
    actorId: actor.id,
    actorName: actor.name,
    actorRole: actor.role,
    action,
    rawText: source.rawText,
    platform: source.platform,
    messageId: source.messageId,
    at,
  });
}

/** A message already recorded for this draft: the same platform message delivered again. */
export async function alreadyRecorded(tx: Tx, draftId: number | null, source: Source): Promise<boolean> {
  if (!source.platform || !source.messageId) return false;
  const found = await tx.auditRecord.findFirst({
    where: {
      platform: source.platform,
      messageId: source.messageId,
      ...(draftId === null ? {} : { draftId }),
    },
    select: { id: true },
  });
  return found !== null;
}
