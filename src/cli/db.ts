import { parseArgs } from "node:util";
import type { Database } from "../db/database.ts";
import { markRolledBack } from "../db/migrate.ts";

export interface DbIO {
  out: (line: string) => void;
  err: (line: string) => void;
}

/**
 * `huibao db migrate` and `huibao db resolve --rolled-back NAME` (Prisma's `migrate resolve`, offline).
 * Runs on a database that is opened but not migrated: resolving is how one gets past a failed migration.
 */
export async function runDb(db: Database, argv: string[], io: DbIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "migrate") {
    const { applied, warnings } = await db.migrate();
    for (const w of warnings) io.err(w);
    io.out(applied.length > 0 ? `已应用迁移：${applied.join("、")}` : "数据库迁移已是最新。");
    return 0;
  }
  if (sub === "resolve") {
    const { values } = parseArgs({
      args: rest,
      options: { "rolled-back": { type: "string" } },
      strict: true,
    });
    const name = values["rolled-back"];
    if (!name) {
      io.err("用法：huibao db resolve --rolled-back <迁移名称>");
      return 2;
    }
    const ok = await markRolledBack(db.sql, name);
    if (ok) io.out(`已把迁移 ${name} 标记为已回滚；下次启动会重新执行它。`);
    else io.err(`没有找到执行失败的迁移 ${name}。`);
    return ok ? 0 : 1;
  }
  io.err("用法：huibao db migrate | huibao db resolve --rolled-back <迁移名称>");
  return 2;
}
