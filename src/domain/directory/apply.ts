import type { Prisma } from "../../generated/prisma/client.ts";
import type { GroupRow, PersonRow, Plan, Step } from "./plan.ts";

type Tx = Prisma.TransactionClient;
type UnitIds = (name: string | null) => number | null;

/** Writes a plan. Runs inside the import's transaction; only rows and fields that change are written. */
export async function applyPlan(tx: Tx, plan: Plan): Promise<void> {
  for (const s of plan.units) {
    if (s.action === "removed" && s.id !== null) await tx.unit.delete({ where: { id: s.id } });
    else if (s.action === "created" && s.after) await tx.unit.create({ data: s.after });
    else if (s.id !== null && s.after && s.fields.length) {
      await tx.unit.update({ where: { id: s.id }, data: { aliases: s.after.aliases } });
    }
  }
  const ids = new Map(
    (await tx.unit.findMany({ select: { id: true, name: true } })).map((u) => [u.name, u.id]),
  );
  const unitId: UnitIds = (name) => (name === null ? null : (ids.get(name) ?? null));
  await applyPeople(tx, plan.people, unitId);
  await applyGroups(tx, plan.groups, unitId);
}

function writes<Row>(step: Step<Row>): boolean {
  return step.after !== null && (step.action === "created" || step.fields.length > 0);
}

/** Only the listed YAML fields of a column map; all of them for a new row. */
function only<T extends object>(columns: Record<string, Partial<T>>, fields: string[] | "all"): Partial<T> {
  const chosen = fields === "all" ? Object.values(columns) : fields.map((f) => columns[f] ?? {});
  return Object.assign({}, ...chosen);
}

async function applyPeople(tx: Tx, steps: Step<PersonRow>[], unitId: UnitIds): Promise<void> {
  // First take away every id that moves, so that handing it to its new owner cannot hit the unique index.
  for (const s of steps) {
    if (s.id === null || !s.before || !s.after) continue;
    const release: Prisma.PersonUpdateInput = {};
    if (s.before.wecom && s.before.wecom !== s.after.wecom) release.wecomUserId = null;
    if (s.before.dingtalk && s.before.dingtalk !== s.after.dingtalk) release.dingtalkStaffId = null;
    if (Object.keys(release).length) await tx.person.update({ where: { id: s.id }, data: release });
  }
  for (const s of steps) {
    if (!writes(s) || !s.after) continue;
    const p = s.after;
    const columns: Record<string, Partial<Prisma.PersonUncheckedCreateInput>> = {
      name: { name: p.name },
      unit: { unitId: unitId(p.unit) },
      roles: { roles: p.roles },
      wecom: { wecomUserId: p.wecom },
      dingtalk: { dingtalkStaffId: p.dingtalk },
      mobile: { mobile: p.mobile },
      placed: { placed: p.placed },
    };
    if (s.id === null) await tx.person.create({ data: { name: p.name, ...only(columns, "all") } });
    else await tx.person.update({ where: { id: s.id }, data: only(columns, s.fields) });
  }
}

async function applyGroups(tx: Tx, steps: Step<GroupRow>[], unitId: UnitIds): Promise<void> {
  for (const s of steps) {
    if (s.action === "removed" && s.id !== null) {
      await tx.group.delete({ where: { id: s.id } });
      continue;
    }
    if (!writes(s) || !s.after) continue;
    const g = s.after;
    const columns: Record<string, Partial<Prisma.GroupUncheckedCreateInput>> = {
      name: { name: g.name },
      unit: { unitId: unitId(g.unit) },
      webhook_key: { webhookKey: g.webhookKey },
      webhook_secret: { webhookSecret: g.webhookSecret },
    };
    if (s.id === null) {
      await tx.group.create({
        data: { platform: g.platform, chatId: g.chatId, name: g.name, ...only(columns, "all") },
      });
    } else {
      await tx.group.update({ where: { id: s.id }, data: only(columns, s.fields) });
    }
  }
}
