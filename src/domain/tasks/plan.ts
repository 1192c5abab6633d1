import type { DbClient } from "../../db/database.ts";

export interface CurrentPlan {
  id: number;
  year: number;
  title: string;
}

/**
 * Chat commands work on the newest plan (highest year, then the latest imported); looking at an
 * older task names its year.
 */
export async function currentPlan(db: DbClient, year?: number): Promise<CurrentPlan | null> {
  return db.plan.findFirst({
    where: year === undefined ? {} : { year },
    orderBy: [{ year: "desc" }, { id: "desc" }],
    select: { id: true, year: true, title: true },
  });
}
