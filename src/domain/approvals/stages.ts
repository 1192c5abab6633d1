import type { DbClient } from "../../db/database.ts";
import type { StoredStage } from "../directory/channel-sync.ts";
import type { StageMode } from "../directory/types.ts";

/** Someone who may sign at a stage, as the draft remembers them. */
export interface StageApprover {
  personId: number;
  name: string;
}

/**
 * A stage as a draft keeps it (drafts.stages): the people were resolved from the channel's rule at
 * submission, without the submitter, so later directory or rule changes do not move a running draft.
 */
export interface DraftStage {
  name: string;
  mode: StageMode;
  approvers: StageApprover[];
  /** Approvals the stage needs. */
  needed: number;
}

/** A stage that cannot pass once the submitter is left out. */
export interface StageProblem {
  index: number;
  name: string;
  needed: number;
  available: StageApprover[];
}

export function readStages(json: unknown): DraftStage[] {
  return json as DraftStage[];
}

export function modeText(stage: Pick<DraftStage, "mode" | "needed" | "approvers">): string {
  if (stage.mode === "any") return "任一人同意即可";
  if (stage.mode === "all") return "需全部同意";
  return `需其中 ${stage.needed} 人同意`;
}

/** "第1级「科室负责人」" */
export const stageLabel = (index: number, stage: Pick<DraftStage, "name">): string =>
  `第${index + 1}级「${stage.name}」`;

export const namesOf = (people: readonly StageApprover[]): string => people.map((p) => p.name).join("、");

/**
 * Resolves a channel's stages to people: named people, and everyone placed who holds the role (in
 * the unit, when one is given). The submitter is left out; a stage that then cannot reach its quorum
 * is reported, so the submission can be refused with the reason instead of waiting to expire.
 */
export async function resolveStages(
  db: DbClient,
  rules: readonly StoredStage[],
  submitterId: number,
): Promise<{ stages: DraftStage[]; problems: StageProblem[] }> {
  const people = await db.person.findMany({
    where: { placed: true },
    select: { id: true, name: true, roles: true, unit: { select: { name: true } } },
    orderBy: { id: "asc" },
  });
  const stages: DraftStage[] = [];
  const problems: StageProblem[] = [];
  rules.forEach((rule, index) => {
    const chosen = new Map<number, StageApprover>();
    for (const a of rule.approvers) {
      const matches =
        "person" in a
          ? people.filter((p) => p.name === a.person)
          : people.filter((p) => p.roles.includes(a.role) && (a.unit === null || p.unit?.name === a.unit));
      for (const p of matches) chosen.set(p.id, { personId: p.id, name: p.name });
    }
    const approvers = [...chosen.values()].filter((p) => p.personId !== submitterId);
    const needed = rule.mode === "any" ? 1 : rule.mode === "all" ? approvers.length : (rule.k ?? 1);
    stages.push({ name: rule.name, mode: rule.mode, approvers, needed });
    if (approvers.length === 0 || needed > approvers.length) {
      problems.push({ index, name: rule.name, needed: Math.max(needed, 1), available: approvers });
    }
  });
  return { stages, problems };
}
