import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runDb } from "../../src/cli/db.ts";
import { openDatabase } from "../../src/db/database.ts";

const dir = mkdtempSync(join(tmpdir(), "huibao-dbcli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(db: Awaited<ReturnType<typeof openDatabase>>, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runDb(db, argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("huibao db", () => {
  it("gets past a failed migration: the error names it, resolve marks it, the fixed file applies", async () => {
    const migrations = join(dir, "migrations");
    const file = join(migrations, "20260101000000_broken", "migration.sql");
    mkdirSync(join(migrations, "20260101000000_broken"), { recursive: true });
    writeFileSync(file, "CREATE TABLE t (id int);\nSELECT no_such_function();\n");
    const db = await openDatabase("pglite:memory://", migrations);
    try {
      await expect(run(db, "migrate")).rejects.toThrow(/20260101000000_broken.*P3018/);
      await expect(run(db, "migrate")).rejects.toThrow(/db resolve --rolled-back 20260101000000_broken/);
      expect(await run(db, "resolve", "--rolled-back", "20260101000000_broken")).toMatchObject({
        code: 0,
        out: "已把迁移 20260101000000_broken 标记为已回滚；下次启动会重新执行它。",
      });
      writeFileSync(file, "CREATE TABLE IF NOT EXISTS t (id int);\n");
      expect(await run(db, "migrate")).toMatchObject({ code: 0, out: "已应用迁移：20260101000000_broken" });
      expect(await run(db, "migrate")).toMatchObject({ code: 0, out: "数据库迁移已是最新。" });
      expect((await run(db, "resolve", "--rolled-back", "nope")).code).toBe(1);
      expect((await run(db, "resolve")).code).toBe(2);
      expect((await run(db, "frobnicate")).err).toContain("用法");
    } finally {
      await db.close();
    }
  });
});
