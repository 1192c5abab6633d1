import type { DbClient } from "../../db/database.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import type { TaskProgress } from "./state.ts";

export interface BoardTask extends TaskProgress {
  id: number;
  code: string;
  title: string;
  due: string | null;
  /** In a unit's list: the unit only supports (配合) this task. */
  supportOnly: boolean;
}

export interface BoardPage {
  tasks: BoardTask[];
  total: number;
  page: number;
  pages: number;
}

export interface BoardQuery {
  planId: number;
  /** Tasks this unit leads or supports; all tasks when absent. */
  unitId?: number;
  /** Only tasks not complete yet, soonest due first (a to-do list); else every task in plan order. */
  openOnly?: boolean;
  page: number;
  perPage: number;
}

// Plan order: section, then item as a number (2.10 after 2.9) without casting, so an odd code sorts
// instead of failing the board; a shorter item number is a smaller one.
export const PLAN_ORDER = Prisma.sql`t.section_no,
  length(split_part(t.code, '.', 2)), split_part(t.code, '.', 2), t.code, t.id`;

type Row = BoardTask & { total: number };

/** One page of a board, with the total so a reply can say how to see the next page. */
export async function boardPage(db: DbClient, q: BoardQuery): Promise<BoardPage> {
  const unit = q.unitId ?? null;
  const filters = [Prisma.sql`t.plan_id = ${q.planId}`];
  if (unit !== null) {
    filters.push(
      Prisma.sql`EXISTS (SELECT 1 FROM task_units tu WHERE tu.task_id = t.id AND tu.unit_id = ${unit})`,
    );
  }
  if (q.openOnly) filters.push(Prisma.sql`t.completed_at IS NULL`);
  const supportOnly =
    unit === null
      ? Prisma.sql`false`
      : Prisma.sql`NOT EXISTS (SELECT 1 FROM task_units tl
          WHERE tl.task_id = t.id AND tl.unit_id = ${unit} AND tl.role = 'lead')`;
  const order = q.openOnly ? Prisma.sql`t.due ASC NULLS LAST, ${PLAN_ORDER}` : PLAN_ORDER;
  const where = Prisma.join(filters, " AND ");
  const page = Math.max(1, q.page);
  const rows = await db.$queryRaw<Row[]>`
    SELECT t.id, t.code, t.title, t.due, t.percent, t.count, t.target_count AS "targetCount",
           t.completed_at AS "completedAt", ${supportOnly} AS "supportOnly", (COUNT(*) OVER ())::int AS total
    FROM tasks t WHERE ${where}
    ORDER BY ${order}
    LIMIT ${q.perPage} OFFSET ${(page - 1) * q.perPage}`;
  const total =
    rows[0]?.total ??
    (await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM tasks t WHERE ${where}`)[0]?.n ??
    0;
  return {
    tasks: rows.map(({ total: _, ...task }) => task),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / q.perPage)),
  };
}
