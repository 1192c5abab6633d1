import type { DbClient } from "../../db/database.ts";
import type { ApprovalRow } from "./assessment-types.ts";
import type { Period } from "./period.ts";

/**
 * Approvals in a half: the drafts submitted in it, by channel, with what became of them. "How fast"
 * is the median time from submission to the decision: the last approving vote of the version that
 * passed, or the rejecting vote. Expired and withdrawn drafts had no decision and do not count there.
 */

const APPROVED = new Set(["approved", "published"]);

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const hours = (ms: number) => Math.round((ms / 3_600_000) * 10) / 10;

export async function loadApprovals(db: DbClient, period: Period): Promise<ApprovalRow[]> {
  const drafts = await db.draft.findMany({
    where: { createdAt: { gte: period.start, lt: period.cutoff } },
    select: {
      id: true,
      channel: true,
      status: true,
      version: true,
      createdAt: true,
      votes: { select: { decision: true, version: true, at: true } },
    },
    orderBy: { id: "asc" },
  });
  const rows = new Map<string, ApprovalRow & { times: number[] }>();
  const row = (channel: string) => {
    let r = rows.get(channel);
    if (!r) {
      r = {
        channel,
        submitted: 0,
        approved: 0,
        rejected: 0,
        expired: 0,
        withdrawn: 0,
        pending: 0,
        rejectVotes: 0,
        medianHours: null,
        times: [],
      };
      rows.set(channel, r);
    }
    return r;
  };
  for (const d of drafts) {
    for (const r of [row(d.channel), row("合计")]) {
      r.submitted++;
      if (APPROVED.has(d.status)) r.approved++;
      else if (d.status === "rejected") r.rejected++;
      else if (d.status === "expired") r.expired++;
      else if (d.status === "withdrawn") r.withdrawn++;
      else if (d.status === "pending") r.pending++;
      r.rejectVotes += d.votes.filter((v) => v.decision === "reject").length;
      const decided = decisionAt(d);
      if (decided) r.times.push(decided.getTime() - d.createdAt.getTime());
    }
  }
  const total = rows.get("合计");
  rows.delete("合计");
  const ordered = [...[...rows.values()].sort((a, b) => a.channel.localeCompare(b.channel))];
  if (total) ordered.push(total);
  return ordered.map(({ times, ...r }) => {
    const m = median(times);
    return { ...r, medianHours: m === null ? null : hours(m) };
  });
}

function decisionAt(d: {
  status: string;
  version: number;
  votes: { decision: string; version: number; at: Date }[];
}): Date | null {
  const want = APPROVED.has(d.status) ? "approve" : d.status === "rejected" ? "reject" : null;
  if (!want) return null;
  const votes = d.votes.filter((v) => v.decision === want && (want === "reject" || v.version === d.version));
  if (votes.length === 0) return null;
  return new Date(Math.max(...votes.map((v) => v.at.getTime())));
}
