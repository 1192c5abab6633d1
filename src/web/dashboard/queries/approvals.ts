import type { DbClient } from "../../../db/database.ts";
import type { Prisma } from "../../../generated/prisma/client.ts";

export interface DraftVote {
  person: string;
  decision: string;
  version: number;
  stage: number;
  reason: string | null;
  at: Date;
}

export interface DraftView {
  id: number;
  channel: string;
  title: string;
  status: string;
  version: number;
  stage: number;
  stageNames: string[];
  submitter: string;
  deadline: Date;
  publishAt: Date | null;
  publishedUrl: string | null;
  updatedAt: Date;
  votes: DraftVote[];
}

function stageNames(stages: unknown): string[] {
  if (!Array.isArray(stages)) return [];
  return stages.map((s, i) => {
    const name = (s as { name?: unknown } | null)?.name;
    return typeof name === "string" && name ? name : `第${i + 1}级`;
  });
}

/** Drafts waiting for sign-off first, then the latest others, each with its votes in order. */
export async function loadDrafts(db: DbClient, limit = 50): Promise<DraftView[]> {
  const select = {
    id: true,
    channel: true,
    title: true,
    status: true,
    version: true,
    stage: true,
    stages: true,
    submitterId: true,
    deadline: true,
    publishAt: true,
    publishedUrl: true,
    updatedAt: true,
    votes: { orderBy: [{ at: "asc" as const }, { id: "asc" as const }] },
  } satisfies Prisma.DraftSelect;
  const pending = await db.draft.findMany({
    where: { status: "pending" },
    orderBy: { deadline: "asc" },
    take: limit,
    select,
  });
  const others = await db.draft.findMany({
    where: { status: { not: "pending" } },
    orderBy: { updatedAt: "desc" },
    take: Math.max(0, limit - pending.length),
    select,
  });
  const drafts = [...pending, ...others];
  const ids = new Set<number>();
  for (const d of drafts) {
    ids.add(d.submitterId);
    for (const v of d.votes) ids.add(v.personId);
  }
  const people = await db.person.findMany({
    where: { id: { in: [...ids] } },
    select: { id: true, name: true },
  });
  const nameOf = (id: number) => people.find((p) => p.id === id)?.name ?? `#${id}`;
  return drafts.map((d) => ({
    id: d.id,
    channel: d.channel,
    title: d.title,
    status: d.status,
    version: d.version,
    stage: d.stage,
    stageNames: stageNames(d.stages),
    submitter: nameOf(d.submitterId),
    deadline: d.deadline,
    publishAt: d.publishAt,
    publishedUrl: d.publishedUrl,
    updatedAt: d.updatedAt,
    votes: d.votes.map((v) => ({
      person: nameOf(v.personId),
      decision: v.decision,
      version: v.version,
      stage: v.stage,
      reason: v.reason,
      at: v.at,
    })),
  }));
}
