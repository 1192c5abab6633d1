import { describe, expect, it } from "vitest";
import type { Db } from "../../src/db/database.ts";
import { importPlan } from "../../src/domain/plan/store.ts";
import { parsePlan } from "../../src/domain/plan/structure.ts";
import { formatPlanSummary } from "../../src/domain/plan/summary.ts";
import { addUnits, SAMPLE, snapshot, useDb } from "./db.ts";

const t = useDb();
const FIRST = new Date("2021-03-01T02:00:00Z");
const LATER = new Date("2021-04-01T02:00:00Z");

async function load(text = SAMPLE, now = FIRST, dryRun = false) {
  return importPlan(t.db, parsePlan(text), { now, dryRun });
}

async function task(db: Db, code: string) {
  return db.task.findFirstOrThrow({ where: { code }, include: { units: true } });
}

async function report(db: Db, taskId: number, percent: number, count: number) {
  await db.progressReport.create({
    data: {
      taskId,
      kind: "count",
      percentBefore: 0,
      percentAfter: percent,
      countBefore: 0,
      countAfter: count,
      note: "第一场已召开",
      createdAt: FIRST,
    },
  });
  await db.task.update({ where: { id: taskId }, data: { percent, count } });
}

/** The sample with 1.2 inserted (1.2 and 1.3 become 1.3 and 1.4), 2.1 edited, 2.4 and 4.2 dropped. */
const EDITED = SAMPLE.replace(
  "2. 开展专题讲座。",
  "2. 开展读书活动。全年组织两次读书分享会，由宣传科负责。\n\n3. 开展专题讲座。",
)
  .replace("3. 组织业务培训。", "4. 组织业务培训。")
  .replace("全年召开四次新闻发布会", "全年召开五次新闻发布会")
  .replace(/4\. 加强舆情监测。.*\n/u, "")
  .replace(/2\. 强化督查考核。[\s\S]*$/u, "");

describe("importing a plan", () => {
  it("stores every item as a task with its first counted target, due date and units", async () => {
    await addUnits(t.db);
    const summary = await load();
    expect(summary).toMatchObject({ status: "created", sections: 4, tasks: 12, targets: 11, unchanged: 0 });
    expect(summary.added.map((a) => a.code)).toEqual(
      "1.1 1.2 1.3 2.1 2.2 2.3 2.4 3.1 3.2 3.3 4.1 4.2".split(" "),
    );
    expect(summary.unmatchedUnits).toEqual(["园林处", "市政设施管理处"]);

    const plan = await t.db.plan.findFirstOrThrow();
    expect(plan).toMatchObject({
      year: 2021,
      title: "滨江市城市管理局2021年宣传工作要点",
      issuedOn: "2021-02-25",
    });
    const lecture = await task(t.db, "1.2");
    expect(lecture).toMatchObject({
      sectionNo: 1,
      sectionTitle: "加强学习教育，提升队伍素质",
      title: "开展专题讲座",
      targetKind: "lecture",
      targetCount: 2,
      due: "2021-12-31",
      leadText: ["宣传科"],
      supportText: ["各分局"],
      percent: 0,
      count: 0,
      createdAt: FIRST,
    });
    const units = await t.db.unit.findMany({ orderBy: { id: "asc" } });
    const nameOf = (id: number) => units.find((u) => u.id === id)?.aliases[0];
    const roles = lecture.units.map((u) => `${u.role}:${nameOf(u.unitId)}`).sort();
    expect(roles).toEqual(["lead:宣传科", "support:城东分局", "support:城西分局"]);
    expect(await task(t.db, "1.1")).toMatchObject({ targetKind: "other", targetCount: 12 });
    expect(await task(t.db, "2.4")).toMatchObject({
      targets: [],
      targetKind: null,
      targetCount: null,
      due: null,
    });
    // Names the directory does not know stay as text; the one it knows is linked.
    const contest = await task(t.db, "3.3");
    expect(contest.leadText).toEqual(["环卫处", "园林处", "市政设施管理处"]);
    expect(contest.units.map((u) => nameOf(u.unitId))).toEqual(["环卫处"]);
  });

  it("changes nothing when the same document is imported again, and says so", async () => {
    await load();
    const before = await snapshot(t.db);
    const again = await load(SAMPLE, LATER);
    expect(again).toMatchObject({ status: "unchanged", added: [], changed: [], removed: [], unchanged: 12 });
    expect(formatPlanSummary(again)).toContain("没有变化：数据库里的计划和文件一致。");
    expect(await snapshot(t.db)).toEqual(before);
  });

  it("updates an edited document by code and title, and never resets progress", async () => {
    await load();
    const lecture = await task(t.db, "1.2");
    await report(t.db, lecture.id, 50, 1);
    const pressId = (await task(t.db, "2.1")).id;
    await report(t.db, pressId, 25, 1);
    const inspection = await task(t.db, "4.2");
    await report(t.db, inspection.id, 50, 1);

    const summary = await load(EDITED, LATER);
    expect(summary.status).toBe("updated");
    expect(summary.added).toEqual([
      {
        code: "1.2",
        title: "开展读书活动",
        target: { kind: "event", count: 2 },
        due: "2021-12-31",
        lead: ["宣传科"],
        support: [],
      },
    ]);
    expect(summary.changed).toEqual([
      { code: "1.3", previousCode: "1.2", title: "开展专题讲座", fields: ["code"] },
      { code: "1.4", previousCode: "1.3", title: "组织业务培训", fields: ["code"] },
      { code: "2.1", previousCode: "2.1", title: "规范新闻发布", fields: ["body", "targets"] },
    ]);
    expect(summary.removed).toEqual([
      { code: "2.4", title: "加强舆情监测", kept: false, reports: 0, renamedTo: null },
      { code: "4.2", title: "强化督查考核", kept: true, reports: 1, renamedTo: null },
    ]);
    expect(summary.unchanged).toBe(7);

    // The lecture task moved to 1.3 with its progress and history.
    const moved = await t.db.task.findUniqueOrThrow({
      where: { id: lecture.id },
      include: { reports: true },
    });
    expect(moved).toMatchObject({ code: "1.3", percent: 50, count: 1, createdAt: FIRST, updatedAt: LATER });
    expect(moved.reports).toHaveLength(1);
    expect(await t.db.task.findUniqueOrThrow({ where: { id: pressId } })).toMatchObject({
      targetCount: 5,
      percent: 25,
      count: 1,
    });
    expect(await t.db.task.findUnique({ where: { id: inspection.id } })).toMatchObject({ percent: 50 });
    expect(await t.db.task.count({ where: { code: "2.4" } })).toBe(0);
    expect(await task(t.db, "1.2")).toMatchObject({
      title: "开展读书活动",
      targetCount: 2,
      createdAt: LATER,
    });

    const lines = formatPlanSummary(summary);
    expect(lines).toContain("任务：新增 1，修改 3，未变 7，移除 2");
    expect(lines).toContain("  + 1.2 开展读书活动｜目标 2 活动｜截止 2021-12-31｜牵头 宣传科");
    expect(lines).toContain("  ~ 修改 1.3（原 1.2） 开展专题讲座：编号");
    expect(lines).toContain("  ~ 修改 2.1 规范新闻发布：正文、目标");
    expect(lines).toContain("  - 移除 2.4 加强舆情监测");
    expect(lines).toContain("  ! 4.2 强化督查考核 已不在文件中，但已有 1 条进度汇报，保留");

    // The edited document again: nothing more to do.
    expect((await load(EDITED, LATER)).status).toBe("unchanged");
  });

  it("moves a dropped task that has reports out of the way of the item that takes its code", async () => {
    await load();
    const award = await task(t.db, "3.2");
    await report(t.db, award.id, 10, 1);
    const contest = await task(t.db, "3.3");
    const edited = SAMPLE.replace(/（二）开展“身边的好城管”评选。.*\n\n/u, "").replace(
      "（三）举办技能比武",
      "（二）举办技能比武",
    );
    const summary = await load(edited, LATER);
    expect(summary.changed).toEqual([
      { code: "3.2", previousCode: "3.3", title: "举办技能比武", fields: ["code"] },
    ]);
    expect(summary.removed).toEqual([
      { code: "3.2", title: "开展“身边的好城管”评选", kept: true, reports: 1, renamedTo: "3.2（已删除）" },
    ]);
    expect(await t.db.task.findUniqueOrThrow({ where: { id: award.id } })).toMatchObject({
      code: "3.2（已删除）",
      percent: 10,
    });
    expect(await t.db.task.findUniqueOrThrow({ where: { id: contest.id } })).toMatchObject({ code: "3.2" });
  });

  it("keeps due dates and units set by hand in chat on items the new document does not change", async () => {
    await addUnits(t.db);
    await load();
    const media = await task(t.db, "2.3");
    const office = await t.db.unit.findFirstOrThrow({ where: { name: "市城市管理局宣传科" } });
    await t.db.taskUnit.create({ data: { taskId: media.id, unitId: office.id, role: "lead" } });
    const lecture = await task(t.db, "1.2");
    await t.db.task.update({ where: { id: lecture.id }, data: { due: "2021-06-30" } });

    await load(EDITED, LATER);
    expect((await task(t.db, "2.3")).units).toEqual([{ taskId: media.id, unitId: office.id, role: "lead" }]);
    // Moved to 1.3 by the inserted item, but its text is the same: the date set by hand stays.
    expect(await t.db.task.findUniqueOrThrow({ where: { id: lecture.id } })).toMatchObject({
      code: "1.3",
      due: "2021-06-30",
    });
  });

  it("links unchanged tasks to units the directory learnt after the first import", async () => {
    await load();
    expect(await t.db.taskUnit.count()).toBe(0);
    await addUnits(t.db);
    const again = await load(SAMPLE, LATER);
    expect(again).toMatchObject({ status: "unchanged", linked: ["1.1", "1.2", "2.1", "2.2", "3.3", "4.1"] });
    expect(formatPlanSummary(again)).toContain(
      "按通讯录为 6 项任务关联了负责单位：1.1、1.2、2.1、2.2、3.3、4.1",
    );
    expect((await task(t.db, "2.2")).units).toMatchObject([{ role: "lead" }]);
    expect((await load(SAMPLE, LATER)).linked).toEqual([]);
  });

  it("writes nothing on a dry run, and reports what it would do", async () => {
    const empty = await snapshot(t.db);
    const first = await load(SAMPLE, FIRST, true);
    expect(first).toMatchObject({ dryRun: true, status: "created", planId: null, tasks: 12 });
    expect(formatPlanSummary(first)[0]).toBe("试运行：下面是导入将做的修改，数据库没有改动。");
    expect(await snapshot(t.db)).toEqual(empty);

    await load();
    const stored = await snapshot(t.db);
    const edit = await load(EDITED, LATER, true);
    expect(edit).toMatchObject({ dryRun: true, status: "updated" });
    expect(edit.added).toHaveLength(1);
    expect(await snapshot(t.db)).toEqual(stored);
  });

  it("reports progress once per section", async () => {
    const seen: string[] = [];
    await importPlan(t.db, parsePlan(SAMPLE), {
      now: FIRST,
      onProgress: (p) => seen.push(`${p.index}/${p.total} ${p.section.title}`),
    });
    expect(seen).toEqual([
      "1/4 加强学习教育，提升队伍素质",
      "2/4 做好新闻发布，营造良好氛围",
      "3/4 开展文化活动，讲好城管故事",
      "4/4 压实工作责任，强化督查考核",
    ]);
  });

  it("imports the same document for another year as another plan", async () => {
    await load();
    const summary = await importPlan(t.db, parsePlan(SAMPLE, { year: 2022 }), { now: LATER });
    expect(summary).toMatchObject({ status: "created", year: 2022 });
    expect(await t.db.plan.count()).toBe(2);
    expect(await t.db.task.count({ where: { due: "2022-12-31" } })).toBeGreaterThan(0);
  });
});
