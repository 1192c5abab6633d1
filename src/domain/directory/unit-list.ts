import type { Db } from "../../db/database.ts";

export interface UnitSummary {
  name: string;
  aliases: string[];
  people: number;
}

/** Units with their aliases and how many placed people belong to each. */
export async function listUnits(db: Db): Promise<UnitSummary[]> {
  const units = await db.unit.findMany({
    orderBy: { id: "asc" },
    include: { _count: { select: { people: { where: { placed: true } } } } },
  });
  return units.map((u) => ({ name: u.name, aliases: u.aliases, people: u._count.people }));
}
