import type { DbClient } from "../../db/database.ts";
import { formatWhen } from "../../lib/dates-zh/index.ts";
import { ACTION_LABELS } from "../audit/export.ts";
import { type DraftFacts, factsOf, STATUS_WORDS, waitingApprovers } from "./facts.ts";
import { headline, tally } from "./messages.ts";
import { namesOf, stageLabel } from "./stages.ts";

/** What `huibao approval show N --json` prints. `stage` counts from 1, like 第1级 in chat. */
export interface ApprovalJson {
  id: number;
  channel: string;
  status: string;
  version: number;
  stage: number;
  votes: { person: string; decision: string; version: number; reason: string | null; at: string }[];
}

export async function approvalJson(db: DbClient, id: number): Promise<ApprovalJson | undefined> {
  const draft = await db.draft.findUnique({ where: { id } });
  if (!draft) return undefined;
  const votes = await db.vote.findMany({ where: { draftId: id }, orderBy: { id: "asc" } });
  const people = await db.person.findMany({
    where: { id: { in: votes.map((v) => v.personId) } },
    select: { id: true, name: true },
  });
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  return {
    id: draft.id,
    channel: draft.channel,
    status: draft.status,
    version: draft.version,
    stage: draft.stage + 1,
    votes: votes.map((v) => ({
      person: nameOf.get(v.personId) ?? `#${v.personId}`,
      decision: v.decision,
      version: v.version,
      reason: v.reason,
      at: v.at.toISOString(),
    })),
  };
}

/** Where a draft stands, in one or two lines. */
export async function standing(db: DbClient, f: DraftFacts, tz: string): Promise<string[]> {
  const head = `${headline(f)}：${STATUS_WORDS[f.status] ?? f.status}（第${f.version}版）`;
  if (f.status === "pending") {
    const stage = f.stages[f.stage];
    if (!stage) return [head];
    const waiting = await waitingApprovers(db, f);
    const approvals = await db.vote.count({
      where: { draftId: f.id, version: f.version, stage: f.stage, decision: "approve" },
    });
    return [
      head,
      `现在：${stageLabel(f.stage, stage)}，${tally(approvals, stage.needed)}，还在等 ${namesOf(waiting)}；截止 ${formatWhen(f.deadline, tz)}`,
    ];
  }
  if (f.status === "published" && f.publishedUrl) return [head, `发布地址：${f.publishedUrl}`];
  return [head];
}

const ROLE_LESS = new Set(["remind", "escalate", "expire", "pass", "approved"]);

/** `审批 #12`: where the draft stands and its audit trail, one line per record. */
export async function trailText(db: DbClient, id: number, tz: string): Promise<string | undefined> {
  const draft = await db.draft.findUnique({ where: { id } });
  if (!draft) return undefined;
  const f = await factsOf(db, draft);
  const records = await db.auditRecord.findMany({ where: { draftId: id }, orderBy: { id: "asc" } });
  const lines = records.map((r) => {
    const what = ACTION_LABELS[r.action] ?? r.action;
    const when = formatWhen(r.at, tz).replace(/^\d+年/u, "");
    if (ROLE_LESS.has(r.action)) return `${when} ${what}（${r.rawText}）`;
    const extra = r.action === "reject" || r.action === "approve" ? detail(r.rawText) : "";
    return `${when} ${r.actorName}（${r.actorRole}）${what} 第${r.version}版${extra}`;
  });
  return [...(await standing(db, f, tz)), `送审人：${f.submitter.name}`, "记录：", ...lines].join("\n");
}

/** The reply as typed, shortened: a rejection's reason is part of the trail. */
function detail(raw: string): string {
  const t = raw.replace(/\s+/gu, " ").trim();
  return t ? `：“${t.length > 40 ? `${t.slice(0, 40)}…` : t}”` : "";
}
