import type { DbClient } from "../../db/database.ts";
import type { Draft } from "../../generated/prisma/client.ts";
import { type DraftStage, readStages, type StageApprover } from "./stages.ts";
import { groupIdOf, personName } from "./store.ts";

export type DraftStatus = "pending" | "approved" | "rejected" | "withdrawn" | "expired" | "published";

export const STATUS_WORDS: Record<string, string> = {
  pending: "审批中",
  approved: "已通过，待发布",
  rejected: "已驳回",
  withdrawn: "已撤回",
  expired: "已过期",
  published: "已发布",
};

/** A draft with what its messages need: the submitter's name and the group it belongs to. */
export interface DraftFacts {
  id: number;
  channel: string;
  title: string;
  body: string;
  version: number;
  status: DraftStatus;
  stage: number;
  stages: DraftStage[];
  submitter: StageApprover;
  publishAt: Date | null;
  deadline: Date;
  publishedUrl: string | null;
  chatId: string;
  platform: string;
  groupId: number | null;
}

export async function factsOf(db: DbClient, d: Draft): Promise<DraftFacts> {
  return {
    id: d.id,
    channel: d.channel,
    title: d.title,
    body: d.body,
    version: d.version,
    status: d.status as DraftStatus,
    stage: d.stage,
    stages: readStages(d.stages),
    submitter: { personId: d.submitterId, name: await personName(db, d.submitterId) },
    publishAt: d.publishAt,
    deadline: d.deadline,
    publishedUrl: d.publishedUrl,
    chatId: d.chatId,
    platform: d.platform,
    groupId: await groupIdOf(db, d),
  };
}

export function currentStage(f: Pick<DraftFacts, "stage" | "stages">): DraftStage {
  const s = f.stages[f.stage];
  if (!s) throw new Error(`draft has no stage ${f.stage}`);
  return s;
}

/** Approvers of the current stage who have not voted on this version yet. */
export async function waitingApprovers(
  db: DbClient,
  f: Pick<DraftFacts, "id" | "version" | "stage" | "stages">,
): Promise<StageApprover[]> {
  const voted = await db.vote.findMany({
    where: { draftId: f.id, version: f.version, stage: f.stage },
    select: { personId: true },
  });
  const done = new Set(voted.map((v) => v.personId));
  return currentStage(f).approvers.filter((a) => !done.has(a.personId));
}
