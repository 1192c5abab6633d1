import type { DbClient } from "../../db/database.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import { type BoardTask, PLAN_ORDER } from "./board.ts";

export interface OverdueTask extends Omit<BoardTask, "supportOnly"> {
  /** The lead unit it is listed under (the first, if several lead); null when no directory unit leads. */
  unit: { id: number; name: string; aliases: string[] } | null;
  leadText: string[];
}

export interface OverduePage {
  /** Ordered by lead unit, so a reply can group them; each task once. */
  rows: OverdueTask[];
  /** Overdue tasks in all. */
  tasks: number;
  page: number;
  pages: number;
}

export interface OverdueQuery {
  planId: number;
  /** YYYY-MM-DD in the configured zone: tasks due before it and not complete are overdue. */
  today: string;
  /** Only tasks this unit leads or supports. */
  unitId?: number;
  page: number;
  perPage: number;
}

type Row = Omit<OverdueTask, "unit"> & {
  unitId: number | null;
  unitName: string | null;
  unitAliases: string[] | null;
  total: number;
};

export async function overduePage(db: DbClient, q: OverdueQuery): Promise<OverduePage> {
  const filters = [
    Prisma.sql`t.plan_id = ${q.planId}`,
    Prisma.sql`t.completed_at IS NULL`,
    Prisma.sql`t.due IS NOT NULL`,
    Prisma.sql`t.due < ${q.today}`,
  ];
  if (q.unitId !== undefined) {
    filters.push(
      Prisma.sql`EXISTS (SELECT 1 FROM task_units tu WHERE tu.task_id = t.id AND tu.unit_id = ${q.unitId})`,
    );
  }
  const where = Prisma.join(filters, " AND ");
  const page = Math.max(1, q.page);
  // One query: the count rides along as a window, so the board costs one round trip and one plan.
  const rows = await db.$queryRaw<Row[]>`
    SELECT t.id, t.code, t.title, t.due, t.percent, t.count, t.target_count AS "targetCount",
           t.completed_at AS "completedAt", t.lead_text AS "leadText",
           u.id AS "unitId", u.name AS "unitName", u.aliases AS "unitAliases",
           (COUNT(*) OVER ())::int AS total
    FROM tasks t
    LEFT JOIN (SELECT task_id, min(unit_id) AS unit_id FROM task_units WHERE role = 'lead' GROUP BY task_id) l
      ON l.task_id = t.id
    LEFT JOIN units u ON u.id = l.unit_id
    WHERE ${where}
    ORDER BY u.id ASC NULLS LAST, CASE WHEN u.id IS NULL THEN array_to_string(t.lead_text, '、') END,
             t.due, ${PLAN_ORDER}
    LIMIT ${q.perPage} OFFSET ${(page - 1) * q.perPage}`;
  const total =
    rows[0]?.total ??
    (await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM tasks t WHERE ${where}`)[0]?.n ??
    0;
  return {
    rows: rows.map(({ unitId, unitName, unitAliases, total: _, ...t }) => ({
      ...t,
      unit: unitId === null ? null : { id: unitId, name: unitName ?? "", aliases: unitAliases ?? [] },
    })),
    tasks: total,
    page,
    pages: Math.max(1, Math.ceil(total / q.perPage)),
  };
}
