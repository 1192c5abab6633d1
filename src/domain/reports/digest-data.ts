import type { DbClient } from "../../db/database.ts";
import type { Prisma } from "../../generated/prisma/client.ts";
import { currentPlan } from "../tasks/plan.ts";
import { dayInZone } from "../tasks/zone.ts";
import { byPlanOrder, PROGRESS_KINDS, stageName } from "./shared.ts";

/**
 * What a weekly digest says, read straight from the tables: the tasks of a unit (or of every unit),
 * the progress reported in the last seven days, upcoming events and drafts waiting for sign-off.
 */

export const CHANGES_DAYS = 7;
export const EVENTS_DAYS = 14;
const DAY_MS = 86_400_000;

export interface DigestUnit {
  id: number;
  name: string;
  aliases: string[];
}

export interface DigestTask {
  id: number;
  code: string;
  sectionNo: number;
  title: string;
  due: string | null;
  percent: number;
  count: number;
  targetCount: number | null;
  completedAt: Date | null;
  /** Directory units leading it. */
  leadUnitIds: number[];
  leadText: string[];
  /** The scope's unit only supports it. */
  supportOnly: boolean;
}

export interface DigestChange {
  code: string;
  title: string;
  kind: string;
  percentBefore: number;
  percentAfter: number;
  countBefore: number;
  countAfter: number;
  targetCount: number | null;
  note: string;
  person: string | null;
  at: Date;
}

export interface DigestEvent {
  id: number;
  kind: string;
  topic: string;
  startsAt: Date;
  place: string | null;
  signups: number;
}

export interface DigestDraft {
  id: number;
  channel: string;
  title: string;
  submitter: string | null;
  stage: string | null;
  createdAt: Date;
  deadline: Date;
}

export interface Digest {
  /** null: every unit. */
  unit: DigestUnit | null;
  /** Every directory unit, for the all-units summary. */
  units: DigestUnit[];
  now: Date;
  /** YYYY-MM-DD in the zone. */
  today: string;
  planTitle: string | null;
  tasks: DigestTask[];
  changes: DigestChange[];
  events: DigestEvent[];
  drafts: DigestDraft[];
}

export async function loadDigest(
  db: DbClient,
  input: { unit: DigestUnit | null; now: Date; timezone: string },
): Promise<Digest> {
  const { unit, now } = input;
  const plan = await currentPlan(db);
  const units = await db.unit.findMany({
    select: { id: true, name: true, aliases: true },
    orderBy: { id: "asc" },
  });
  const tasks = plan ? await loadTasks(db, plan.id, unit?.id) : [];
  const taskIds = tasks.map((t) => t.id);
  const groups = unit
    ? await db.group.findMany({
        where: { unitId: unit.id },
        select: { id: true, platform: true, chatId: true },
      })
    : [];
  const [changes, events, drafts] = await Promise.all([
    plan ? loadChanges(db, taskIds, now) : [],
    loadEvents(db, now, unit ? { groupIds: groups.map((g) => g.id), taskIds } : undefined),
    loadDrafts(db, unit ? { unitId: unit.id, groups } : undefined),
  ]);
  return {
    unit,
    units,
    now,
    today: dayInZone(now, input.timezone),
    planTitle: plan?.title ?? null,
    tasks,
    changes,
    events,
    drafts,
  };
}

async function loadTasks(db: DbClient, planId: number, unitId: number | undefined): Promise<DigestTask[]> {
  const rows = await db.task.findMany({
    where: { planId, ...(unitId === undefined ? {} : { units: { some: { unitId } } }) },
    select: {
      id: true,
      code: true,
      sectionNo: true,
      title: true,
      due: true,
      percent: true,
      count: true,
      targetCount: true,
      completedAt: true,
      leadText: true,
      units: { select: { unitId: true, role: true } },
    },
  });
  return rows
    .map(({ units, ...t }) => {
      const lead = units.filter((u) => u.role === "lead").map((u) => u.unitId);
      return {
        ...t,
        leadUnitIds: lead,
        supportOnly: unitId !== undefined && !lead.includes(unitId),
      };
    })
    .sort(byPlanOrder);
}

async function loadChanges(db: DbClient, taskIds: number[], now: Date): Promise<DigestChange[]> {
  if (taskIds.length === 0) return [];
  const rows = await db.progressReport.findMany({
    where: {
      taskId: { in: taskIds },
      kind: { in: PROGRESS_KINDS },
      undoneAt: null,
      createdAt: { gt: new Date(now.getTime() - CHANGES_DAYS * DAY_MS), lte: now },
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    include: {
      task: { select: { code: true, title: true, targetCount: true } },
      person: { select: { name: true } },
    },
  });
  return rows.map((r) => ({
    code: r.task.code,
    title: r.task.title,
    kind: r.kind,
    percentBefore: r.percentBefore,
    percentAfter: r.percentAfter,
    countBefore: r.countBefore,
    countAfter: r.countAfter,
    targetCount: r.task.targetCount,
    note: r.note,
    person: r.person?.name ?? null,
    at: r.createdAt,
  }));
}

async function loadEvents(
  db: DbClient,
  now: Date,
  scope: { groupIds: number[]; taskIds: number[] } | undefined,
): Promise<DigestEvent[]> {
  const where: Prisma.EventWhereInput = {
    status: "scheduled",
    startsAt: { gte: now, lt: new Date(now.getTime() + EVENTS_DAYS * DAY_MS) },
  };
  // A unit hears of the events announced in its groups and of those that count for its tasks.
  if (scope) where.OR = [{ groupIds: { hasSome: scope.groupIds } }, { taskId: { in: scope.taskIds } }];
  const rows = await db.event.findMany({
    where,
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      kind: true,
      topic: true,
      startsAt: true,
      place: true,
      _count: { select: { signups: true } },
    },
  });
  return rows.map(({ _count, ...e }) => ({ ...e, signups: _count.signups }));
}

async function loadDrafts(
  db: DbClient,
  scope: { unitId: number; groups: { platform: string; chatId: string }[] } | undefined,
): Promise<DigestDraft[]> {
  const where: Prisma.DraftWhereInput = { status: "pending" };
  if (scope) {
    // A unit's drafts: sent by its people, or sent in its groups.
    const people = await db.person.findMany({ where: { unitId: scope.unitId }, select: { id: true } });
    where.OR = [
      { submitterId: { in: people.map((p) => p.id) } },
      ...scope.groups.map((g) => ({ platform: g.platform, chatId: g.chatId })),
    ];
  }
  const rows = await db.draft.findMany({ where, orderBy: [{ deadline: "asc" }, { id: "asc" }] });
  const submitters = await db.person.findMany({
    where: { id: { in: [...new Set(rows.map((d) => d.submitterId))] } },
    select: { id: true, name: true },
  });
  const names = new Map(submitters.map((p) => [p.id, p.name]));
  return rows.map((d) => ({
    id: d.id,
    channel: d.channel,
    title: d.title,
    submitter: names.get(d.submitterId) ?? null,
    stage: stageName(d.stages, d.stage),
    createdAt: d.createdAt,
    deadline: d.deadline,
  }));
}
