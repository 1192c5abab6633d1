import type { Db } from "../../db/database.ts";
import type { Person, Prisma, Unit } from "../../generated/prisma/client.ts";
import { normalizeRoles, type Role } from "./roles.ts";

export { hasRole, ROLES, type Role } from "./roles.ts";

/** Who sent a message, as the bot and the commands see them. */
export interface PersonView {
  id: number;
  name: string;
  unitId: number | null;
  unitName: string | null;
  roles: Role[];
  /** false for people the bot recorded on its own; an admin has not placed them yet. */
  placed: boolean;
  locale: string | null;
}

export interface Sender {
  platform: "wecom" | "dingtalk" | "local";
  /** WeCom userid, DingTalk staffId, or the local name. */
  userId: string;
  nick?: string;
}

type Client = Db | Prisma.TransactionClient;
const withUnit = { unit: true } as const;

function view(p: Person & { unit: Unit | null }): PersonView {
  return {
    id: p.id,
    name: p.name,
    unitId: p.unitId,
    unitName: p.unit?.name ?? null,
    roles: normalizeRoles(p.roles),
    placed: p.placed,
    locale: p.locale,
  };
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === "P2002";
}

/**
 * The person behind a platform account. Someone unknown is recorded once (placed = false, no roles,
 * named after their nickname) so an admin can find and place them; they are never recorded twice,
 * even when their first messages arrive at the same time.
 */
export async function identifySender(db: Db, sender: Sender): Promise<PersonView> {
  const userId = sender.userId.trim();
  if (!userId) throw new Error("identifySender: the sender has no user id");
  if (sender.platform === "local") return identifyLocal(db, userId);

  const where: Prisma.PersonWhereUniqueInput =
    sender.platform === "wecom" ? { wecomUserId: userId } : { dingtalkStaffId: userId };
  const found = await db.person.findUnique({ where, include: withUnit });
  if (found) return view(found);
  const ids = sender.platform === "wecom" ? { wecomUserId: userId } : { dingtalkStaffId: userId };
  try {
    const name = sender.nick?.trim() || userId;
    return view(
      await db.person.create({ data: { name, roles: [], placed: false, ...ids }, include: withUnit }),
    );
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // A second message from the same newcomer won the race; the unique index kept one row: use it.
    const winner = await db.person.findUnique({ where, include: withUnit });
    if (!winner) throw err;
    return view(winner);
  }
}

/** Local people (huibao chat, tests) are known by name; a placed namesake wins over an unplaced one. */
async function identifyLocal(db: Db, name: string): Promise<PersonView> {
  const find = (c: Client) =>
    c.person.findFirst({ where: { name }, orderBy: [{ placed: "desc" }, { id: "asc" }], include: withUnit });
  const found = await find(db);
  if (found) return view(found);
  return db.$transaction(async (tx) => {
    // No unique index covers names, so a lock per name stands in for one.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`huibao:local-person:${name}`}))`;
    const winner = await find(tx);
    if (winner) return view(winner);
    return view(await tx.person.create({ data: { name, roles: [], placed: false }, include: withUnit }));
  });
}
