import type { DbClient } from "../../db/database.ts";
import type { ApprovalChannel } from "../../generated/prisma/client.ts";
import type { StoredStage } from "../directory/channel-sync.ts";

const norm = (s: string) => s.normalize("NFKC").trim().toLowerCase();

/** The channel named or aliased as typed (full-width and case do not matter). */
export async function findChannel(db: DbClient, typed: string): Promise<ApprovalChannel | undefined> {
  const all = await db.approvalChannel.findMany({ orderBy: { id: "asc" } });
  const key = norm(typed);
  return all.find((c) => norm(c.name) === key || c.aliases.some((a) => norm(a) === key));
}

export async function channelNames(db: DbClient): Promise<string[]> {
  const all = await db.approvalChannel.findMany({ orderBy: { id: "asc" }, select: { name: true } });
  return all.map((c) => c.name);
}

export const channelStages = (c: ApprovalChannel): StoredStage[] => c.stages as unknown as StoredStage[];
