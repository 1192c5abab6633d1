import { readFileSync } from "node:fs";
import { openDatabase } from "../src/db/database.ts";
import { importPlan } from "../src/domain/plan/store.ts";
import { parsePlan } from "../src/domain/plan/structure.ts";
import { systemClock } from "../src/lib/clock.ts";
import { summarize } from "./stats.ts";

const SAMPLE = readFileSync(new URL("../test/fixtures/plan-sample-2021.txt", import.meta.url), "utf8");

/** `huibao plan import` of the sample document without the process start: parse and store, in-memory PGlite. */
export async function benchPlanImport(): Promise<void> {
  const db = await openDatabase("pglite:memory://");
  await db.migrate();
  await db.prisma.unit.createMany({
    data: [
      { name: "市城市管理局办公室", aliases: ["办公室"] },
      { name: "市城市管理局宣传科", aliases: ["宣传科"] },
      { name: "市城市管理局城东分局", aliases: ["城东分局"] },
    ],
  });
  const run = async (text: string) => {
    const t0 = performance.now();
    await importPlan(db.prisma, parsePlan(text), { now: systemClock.now() });
    return performance.now() - t0;
  };
  const edited = SAMPLE.replace("全年召开四次新闻发布会", "全年召开五次新闻发布会");
  const cases: [string, () => Promise<number>][] = [
    [
      "first import",
      async () => {
        await db.prisma.$executeRawUnsafe("TRUNCATE plans RESTART IDENTITY CASCADE");
        return run(SAMPLE);
      },
    ],
    ["same document again", () => run(SAMPLE)],
    ["edited document and back (two imports)", async () => (await run(edited)) + (await run(SAMPLE))],
  ];
  for (const [label, once] of cases) {
    await once(); // warm-up
    const durations: number[] = [];
    const started = performance.now();
    for (let i = 0; i < 20; i++) durations.push(await once());
    console.log(
      summarize(`plan import, ${label} (parse + store), PGlite`, durations, performance.now() - started),
    );
  }
  await db.close();
}
