import { afterAll, beforeAll, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { recordProgress } from "../../src/domain/tasks/progress.ts";
import { undoLastReport } from "../../src/domain/tasks/undo.ts";
import { describePostgres, type FreshDatabase, freshPostgresDatabase } from "../support/postgres.ts";
import { seedPlan, seedTasks, taskState } from "../support/tasks.ts";

/** PGlite runs one transaction at a time; only a real server with a pool shows lost updates. */
describePostgres("progress on PostgreSQL", () => {
  let fresh: FreshDatabase;
  let database: Database;
  const at = new Date("2021-03-10T02:00:00Z");
  beforeAll(async () => {
    fresh = await freshPostgresDatabase();
    database = await openDatabase(fresh.url);
    await database.migrate();
    const db = database.prisma;
    await db.unit.create({ data: { name: "宣传科", aliases: [] } });
    await db.person.create({ data: { name: "张三", roles: ["member"] } });
    await seedTasks(db, await seedPlan(db), [
      { code: "2.2", title: "规范新闻发布", target: 40, lead: ["宣传科"] },
      { code: "2.3", title: "开展专题讲座", target: 40, lead: ["宣传科"] },
    ]);
  });
  afterAll(async () => {
    await database?.close();
    await fresh?.drop();
  });

  it("counts every one of many simultaneous +1s", async () => {
    const db = database.prisma;
    const task = await db.task.findFirstOrThrow({ where: { code: "2.2" } });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        recordProgress(db, {
          taskId: task.id,
          personId: null,
          kind: "count",
          delta: 1,
          note: "",
          platform: "wecom",
          messageId: `m-${i}`,
          at,
        }),
      ),
    );
    expect(results.every((r) => r.ok && !r.duplicate)).toBe(true);
    expect(await taskState(db, "2.2")).toMatchObject({ count: 20 });
    const counts = results.map((r) => (r.ok ? r.report.countAfter : 0)).sort((a, b) => a - b);
    expect(counts).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("records one report for copies of a message arriving together", async () => {
    const db = database.prisma;
    const task = await db.task.findFirstOrThrow({ where: { code: "2.3" } });
    const person = await db.person.findFirstOrThrow({ where: { name: "张三" } });
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        recordProgress(db, {
          taskId: task.id,
          personId: person.id,
          kind: "count",
          delta: 1,
          note: "",
          platform: "wecom",
          messageId: "same",
          at,
        }),
      ),
    );
    expect(results.filter((r) => r.ok && !r.duplicate)).toHaveLength(1);
    expect(await taskState(db, "2.3")).toMatchObject({ count: 1 });

    const undos = await Promise.all(
      Array.from({ length: 4 }, () =>
        undoLastReport(db, { personId: person.id, platform: "wecom", messageId: "undo-1", at }),
      ),
    );
    expect(undos.filter((u) => u.ok && !u.duplicate)).toHaveLength(1);
    expect(await taskState(db, "2.3")).toMatchObject({ count: 0 });
  });
});
