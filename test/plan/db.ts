import { readFileSync } from "node:fs";
import type { Db } from "../../src/db/database.ts";
import { useMemoryDb } from "../support/memory-db.ts";

export const SAMPLE = readFileSync(new URL("../fixtures/plan-sample-2021.txt", import.meta.url), "utf8");
export const SAMPLE_PATH = new URL("../fixtures/plan-sample-2021.txt", import.meta.url).pathname;
export const EXPECTED = JSON.parse(
  readFileSync(new URL("../fixtures/plan-sample-2021.expected.json", import.meta.url), "utf8"),
);

/** One in-memory PGlite per test file, emptied before each test. */
export function useDb(): { readonly db: Db } {
  return useMemoryDb("plans, units, people");
}

/** Units as the sample bureau's directory names them (园林处 and 市政设施管理处 are missing on purpose). */
export async function addUnits(db: Db): Promise<void> {
  await db.unit.createMany({
    data: [
      { name: "市城市管理局办公室", aliases: ["办公室"] },
      { name: "市城市管理局宣传科", aliases: ["宣传科"] },
      { name: "市城市管理局环境卫生管理处", aliases: ["环卫处"] },
      { name: "市城市管理局城东分局", aliases: ["城东分局"] },
      { name: "市城市管理局城西分局", aliases: ["城西分局"] },
    ],
  });
}

/** Every plan, task and task-unit row, timestamps included: equal snapshots mean nothing was written. */
export async function snapshot(db: Db) {
  return {
    plans: await db.plan.findMany({ orderBy: { id: "asc" } }),
    tasks: await db.task.findMany({ orderBy: { id: "asc" } }),
    units: await db.taskUnit.findMany({ orderBy: [{ taskId: "asc" }, { unitId: "asc" }, { role: "asc" }] }),
  };
}
