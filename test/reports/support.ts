import type { Db } from "../../src/db/database.ts";

/** Units, people and groups of the report tests; 领导群 has no unit. */
export const DIRECTORY = `
units:
  - { name: 市城市管理局宣传科, aliases: [宣传科] }
  - { name: 市城市管理局环境卫生管理处, aliases: [环卫处] }
  - { name: 市城市管理局城东分局, aliases: [城东分局] }
people:
  - { name: 张三, unit: 宣传科, roles: [member] }
  - { name: 李四, unit: 环卫处, roles: [member] }
  - { name: 王科长, unit: 宣传科, roles: [approver] }
  - { name: 赵处长, unit: 环卫处, roles: [approver] }
  - { name: 管理员, unit: 宣传科, roles: [admin] }
  - { name: 王局长, roles: [leader] }
groups:
  - { name: 宣传科工作群, platform: local, chat_id: "group:宣传科工作群", unit: 宣传科 }
  - { name: 环卫处工作群, platform: local, chat_id: "group:环卫处工作群", unit: 环卫处 }
  - { name: 领导群, platform: local, chat_id: "group:领导群" }
`;

export async function ids(db: Db) {
  const unit = async (alias: string) =>
    (await db.unit.findFirstOrThrow({ where: { aliases: { has: alias } } })).id;
  const person = async (name: string) => (await db.person.findFirstOrThrow({ where: { name } })).id;
  const group = async (name: string) => (await db.group.findFirstOrThrow({ where: { name } })).id;
  return { unit, person, group };
}

export interface TaskSeed {
  code: string;
  title: string;
  due?: string;
  target?: { count: number; kind: string; text: string };
  lead?: string[];
  support?: string[];
  leadText?: string[];
  percent?: number;
  count?: number;
  completedAt?: Date;
}

export async function seedTasks(
  db: Db,
  planId: number,
  at: Date,
  tasks: TaskSeed[],
): Promise<Map<string, number>> {
  const { unit } = await ids(db);
  const out = new Map<string, number>();
  for (const t of tasks) {
    const lead = await Promise.all((t.lead ?? []).map(unit));
    const support = await Promise.all((t.support ?? []).map(unit));
    const row = await db.task.create({
      data: {
        planId,
        code: t.code,
        sectionNo: Number(t.code.split(".")[0]),
        sectionTitle: `第${t.code.split(".")[0]}部分`,
        title: t.title,
        body: `${t.title}。`,
        targets: t.target ? [t.target] : [],
        targetKind: t.target?.kind ?? null,
        targetCount: t.target?.count ?? null,
        due: t.due ?? null,
        leadText: [...(t.lead ?? []), ...(t.leadText ?? [])],
        supportText: t.support ?? [],
        percent: t.percent ?? 0,
        count: t.count ?? 0,
        completedAt: t.completedAt ?? null,
        createdAt: at,
        updatedAt: at,
        units: {
          create: [
            ...lead.map((unitId) => ({ unitId, role: "lead" })),
            ...support.map((unitId) => ({ unitId, role: "support" })),
          ],
        },
      },
    });
    out.set(t.code, row.id);
  }
  return out;
}

let messageNo = 0;

export interface ReportSeed {
  kind: "percent" | "count" | "complete" | "undo" | "edit";
  at: string;
  by?: string;
  percent: [number, number];
  count?: [number, number];
  note?: string;
  undoneAt?: string;
  eventId?: number;
}

export async function seedReports(db: Db, taskId: number, reports: ReportSeed[]): Promise<void> {
  const { person } = await ids(db);
  for (const r of reports) {
    await db.progressReport.create({
      data: {
        taskId,
        personId: r.by ? await person(r.by) : null,
        eventId: r.eventId ?? null,
        kind: r.kind,
        percentBefore: r.percent[0],
        percentAfter: r.percent[1],
        countBefore: r.count?.[0] ?? 0,
        countAfter: r.count?.[1] ?? 0,
        note: r.note ?? "",
        platform: "local",
        messageId: `seed-${++messageNo}`,
        createdAt: new Date(r.at),
        undoneAt: r.undoneAt ? new Date(r.undoneAt) : null,
      },
    });
  }
}

export async function seedEvent(
  db: Db,
  e: {
    kind: string;
    topic: string;
    startsAt: string;
    status?: string;
    taskId?: number;
    groups?: string[];
    signups?: string[];
    place?: string;
    speaker?: string;
  },
): Promise<number> {
  const { person, group } = await ids(db);
  const at = new Date(e.startsAt);
  const event = await db.event.create({
    data: {
      kind: e.kind,
      topic: e.topic,
      startsAt: at,
      place: e.place ?? null,
      speaker: e.speaker ?? null,
      taskId: e.taskId ?? null,
      groupIds: await Promise.all((e.groups ?? []).map(group)),
      status: e.status ?? "scheduled",
      heldAt: e.status === "held" ? at : null,
      createdAt: at,
      updatedAt: at,
    },
  });
  for (const name of e.signups ?? []) {
    await db.eventSignup.create({ data: { eventId: event.id, personId: await person(name), createdAt: at } });
  }
  return event.id;
}

const HOUR = 3_600_000;

export async function seedDraft(
  db: Db,
  d: {
    channel: string;
    title: string;
    by: string;
    chat: string;
    at: string;
    status: string;
    version?: number;
    deadlineHours?: number;
    /** [hours after submission, approver, decision, version, stage] */
    votes?: [number, string, "approve" | "reject", number, number][];
  },
): Promise<number> {
  const { person } = await ids(db);
  const at = new Date(d.at);
  const draft = await db.draft.create({
    data: {
      channel: d.channel,
      title: d.title,
      body: `${d.title}的正文`,
      version: d.version ?? 1,
      status: d.status,
      stage: 0,
      stages: [
        { name: "科室负责人", mode: "any", approvers: [{ person: "王科长" }] },
        { name: "分管领导", mode: "any", approvers: [{ person: "王局长" }] },
      ],
      submitterId: await person(d.by),
      platform: "local",
      chatId: d.chat,
      deadline: new Date(at.getTime() + (d.deadlineHours ?? 24) * HOUR),
      createdAt: at,
      updatedAt: at,
    },
  });
  for (const [hours, who, decision, version, stage] of d.votes ?? []) {
    await db.vote.create({
      data: {
        draftId: draft.id,
        version,
        stage,
        personId: await person(who),
        decision,
        reason: decision === "reject" ? "标题不妥" : null,
        platform: "local",
        messageId: `vote-${++messageNo}`,
        at: new Date(at.getTime() + hours * HOUR),
      },
    });
  }
  return draft.id;
}
