import type { DbClient } from "../../db/database.ts";

export interface UnitRef {
  id: number;
  name: string;
  aliases: string[];
}

/** The name people use in chat: the first alias (宣传科) rather than the full name. */
export function shortName(unit: { name: string; aliases: readonly string[] }): string {
  return unit.aliases[0] ?? unit.name;
}

const norm = (s: string) => s.normalize("NFKC").trim().toLowerCase();

/** A unit by its full name or any alias, as typed (full-width forms and case ignored). */
export async function findUnit(db: DbClient, text: string): Promise<UnitRef | null> {
  const key = norm(text);
  if (!key) return null;
  const units = await db.unit.findMany({
    select: { id: true, name: true, aliases: true },
    orderBy: { id: "asc" },
  });
  return (
    units.find((u) => norm(u.name) === key) ??
    units.find((u) => u.aliases.some((a) => norm(a) === key)) ??
    null
  );
}

/** A unit by its id (a person's unitId), or null when it is no longer in the directory. */
export async function unitById(db: DbClient, id: number): Promise<UnitRef | null> {
  return db.unit.findUnique({ where: { id }, select: { id: true, name: true, aliases: true } });
}
