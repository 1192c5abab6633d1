import type { Db } from "../../src/db/database.ts";
import { seedDraft, seedEvent, seedReports, seedTasks } from "./support.ts";

/** Thursday 26 November 2026, 10:00 in Shanghai. */
export const DIGEST_NOW = "2026-11-26T02:00:00Z";

/**
 * A week of work as the digest of 26 November 2026 sees it: 宣传科 leads 1.1 (2/4), 1.2 (overdue
 * since 31 October) and 1.3 (done) and supports 2.1; 环卫处 leads 2.1 and 2.2.
 */
export async function seedDigest(db: Db): Promise<void> {
  const at = new Date("2026-02-25T00:00:00Z");
  const plan = await db.plan.create({
    data: { year: 2026, title: "2026年宣传工作要点", sourceSha: "seed", importedAt: at, updatedAt: at },
  });
  const t = await seedTasks(db, plan.id, at, [
    {
      code: "1.1",
      title: "开展垃圾分类宣讲",
      due: "2026-12-31",
      lead: ["宣传科"],
      target: { count: 4, kind: "lecture", text: "4场宣讲" },
      percent: 50,
      count: 2,
    },
    { code: "1.2", title: "更新宣传栏", due: "2026-10-31", lead: ["宣传科"], percent: 30 },
    {
      code: "1.3",
      title: "制定年度宣传方案",
      due: "2026-03-31",
      lead: ["宣传科"],
      percent: 100,
      completedAt: at,
    },
    { code: "2.1", title: "环卫工人风采展示", lead: ["环卫处"], support: ["宣传科"], percent: 10 },
    { code: "2.2", title: "垃圾分类督查通报", due: "2026-12-15", lead: ["环卫处"], percent: 20 },
  ]);
  const id = (code: string) => t.get(code) as number;
  await seedReports(db, id("1.1"), [
    {
      kind: "count",
      at: "2026-11-10T02:00:00Z",
      by: "张三",
      percent: [0, 25],
      count: [0, 1],
      note: "第一场",
    },
    {
      kind: "count",
      at: "2026-11-24T03:00:00Z",
      by: "张三",
      percent: [25, 50],
      count: [1, 2],
      note: "第二场已举办",
    },
  ]);
  await seedReports(db, id("1.2"), [
    {
      kind: "percent",
      at: "2026-11-25T02:00:00Z",
      by: "张三",
      percent: [30, 60],
      note: "报错了",
      undoneAt: "2026-11-25T02:03:00Z",
    },
  ]);
  await seedReports(db, id("2.2"), [
    { kind: "percent", at: "2026-11-25T06:30:00Z", by: "李四", percent: [0, 20], note: "完成第一轮督查" },
  ]);
  await seedEvent(db, {
    kind: "lecture",
    topic: "垃圾分类知识",
    startsAt: "2026-12-03T06:00:00Z",
    groups: ["宣传科工作群"],
    place: "三楼会议室",
    signups: ["张三", "王科长"],
  });
  await seedEvent(db, {
    kind: "event",
    topic: "年终总结会",
    startsAt: "2026-12-20T06:00:00Z",
    groups: ["宣传科工作群"],
  });
  await seedEvent(db, {
    kind: "press_conference",
    topic: "垃圾分类成果发布",
    startsAt: "2026-12-01T02:00:00Z",
    groups: ["环卫处工作群"],
    taskId: id("2.2"),
  });
  await seedEvent(db, {
    kind: "lecture",
    topic: "已取消的讲座",
    startsAt: "2026-11-30T06:00:00Z",
    groups: ["宣传科工作群"],
    status: "cancelled",
  });
  await seedDraft(db, {
    channel: "微博",
    title: "冬季市容整治",
    by: "张三",
    chat: "group:宣传科工作群",
    at: "2026-11-26T00:00:00Z",
    status: "pending",
  });
  await seedDraft(db, {
    channel: "网站",
    title: "环卫工人节专题",
    by: "李四",
    chat: "group:环卫处工作群",
    at: "2026-11-25T00:00:00Z",
    status: "pending",
  });
  await seedDraft(db, {
    channel: "微博",
    title: "已通过的稿件",
    by: "张三",
    chat: "group:宣传科工作群",
    at: "2026-11-20T00:00:00Z",
    status: "approved",
  });
}
