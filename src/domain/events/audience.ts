import type { DbClient } from "../../db/database.ts";

/**
 * Which groups hear about an event. People write group names, unit names or aliases (a unit stands
 * for its groups), or 全部; without a choice it is the groups of the units concerned.
 */
export type AudienceResult = { ok: true; groupIds: number[] } | { ok: false; unknown: string[] };

const ALL = new Set(["全部", "所有", "所有群", "全部群", "全局", "all"]);
const SEPARATORS = /[\s,，、;；/|]+/u;
const norm = (s: string) => s.normalize("NFKC").trim().toLowerCase();

export async function resolveAudience(db: DbClient, text: string): Promise<AudienceResult> {
  const names = text.split(SEPARATORS).filter(Boolean);
  if (names.some((n) => ALL.has(norm(n)))) {
    const all = await db.group.findMany({ select: { id: true }, orderBy: { id: "asc" } });
    return { ok: true, groupIds: all.map((g) => g.id) };
  }
  const [groups, units] = await Promise.all([
    db.group.findMany({ select: { id: true, name: true, unitId: true }, orderBy: { id: "asc" } }),
    db.unit.findMany({ select: { id: true, name: true, aliases: true } }),
  ]);
  const ids: number[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const key = norm(name);
    const group = groups.find((g) => norm(g.name) === key);
    const unit = units.find((u) => norm(u.name) === key || u.aliases.some((a) => norm(a) === key));
    const found = group
      ? [group.id]
      : unit
        ? groups.filter((g) => g.unitId === unit.id).map((g) => g.id)
        : [];
    if (found.length === 0) unknown.push(name);
    for (const id of found) if (!ids.includes(id)) ids.push(id);
  }
  return unknown.length > 0 ? { ok: false, unknown } : { ok: true, groupIds: ids };
}

/** The groups of some units (the units that lead or support a task). */
export async function unitGroups(db: DbClient, unitIds: readonly number[]): Promise<number[]> {
  if (unitIds.length === 0) return [];
  const groups = await db.group.findMany({
    where: { unitId: { in: [...unitIds] } },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  return groups.map((g) => g.id);
}

/** The directory group a message was typed in, if the directory knows it. */
export async function groupOfChat(
  db: DbClient,
  platform: string,
  chatId: string,
): Promise<number | undefined> {
  const g = await db.group.findUnique({
    where: { platform_chatId: { platform, chatId } },
    select: { id: true },
  });
  return g?.id;
}

export async function groupNames(db: DbClient, ids: readonly number[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.group.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } });
  return ids.map((id) => rows.find((r) => r.id === id)?.name).filter((n): n is string => n !== undefined);
}
