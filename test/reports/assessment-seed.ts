import type { Db } from "../../src/db/database.ts";
import { seedDraft, seedEvent, seedReports, seedTasks } from "./support.ts";

/**
 * A 2021 plan as it stands on 5 July 2021, with history on both sides of 30 June, so the first
 * half's figures differ from today's. The expected numbers of the tests are worked out by hand
 * from this seed (see the comments).
 */
export const ASSESSMENT_NOW = "2021-07-05T02:00:00Z";

export async function seedAssessment(db: Db): Promise<void> {
  const at = new Date("2021-02-25T00:00:00Z");
  const plan = await db.plan.create({
    data: {
      year: 2021,
      title: "滨江市城市管理局 2021 年宣传工作要点",
      issuer: "滨江市城市管理局",
      issuedOn: "2021-02-25",
      sourceSha: "seed",
      importedAt: at,
      updatedAt: at,
    },
  });
  const t = await seedTasks(db, plan.id, at, [
    // 50% at the end of June; 70% today (the August report is outside the half).
    { code: "1.1", title: "落实集中学习制度", due: "2021-12-31", lead: ["宣传科"], percent: 70 },
    {
      code: "1.2",
      title: "开展专题讲座",
      due: "2021-12-31",
      lead: ["宣传科"],
      support: ["城东分局"],
      target: { count: 2, kind: "lecture", text: "两期城市管理专题讲座" },
      percent: 50,
      count: 1,
    },
    // Due 30 June, 2 of 3 done: overdue by one day on 1 July.
    {
      code: "1.3",
      title: "组织业务培训",
      due: "2021-06-30",
      lead: ["环卫处"],
      target: { count: 3, kind: "training", text: "三次新闻写作与舆情应对培训" },
      percent: 66,
      count: 2,
    },
    {
      code: "2.1",
      title: "完善新闻发布制度",
      due: "2021-05-31",
      lead: ["宣传科"],
      percent: 100,
      completedAt: new Date("2021-05-10T02:00:00Z"),
    },
    // Led by a unit the directory does not know; overdue by 92 days on 1 July.
    { code: "2.2", title: "督查各分局宣传阵地", due: "2021-03-31", leadText: ["各分局"] },
    { code: "2.10", title: "编印宣传简报", due: "2021-09-30", lead: ["环卫处"] },
  ]);
  const id = (code: string) => t.get(code) as number;
  await seedReports(db, id("1.1"), [
    { kind: "percent", at: "2021-03-10T02:00:00Z", by: "张三", percent: [0, 30], note: "三月集中学习" },
    { kind: "percent", at: "2021-05-20T02:00:00Z", by: "张三", percent: [30, 50], note: "五月集中学习" },
    { kind: "percent", at: "2021-08-01T02:00:00Z", by: "张三", percent: [50, 70], note: "七月集中学习" },
  ]);
  const lecture = await seedEvent(db, {
    kind: "lecture",
    topic: "城市管理专题讲座（一）",
    startsAt: "2021-04-15T06:00:00Z",
    status: "held",
    taskId: id("1.2"),
    place: "三楼会议室",
    speaker: "李教授",
    signups: ["张三", "李四", "王科长"],
  });
  await seedReports(db, id("1.2"), [
    {
      kind: "count",
      at: "2021-04-15T08:00:00Z",
      by: "张三",
      percent: [0, 50],
      count: [0, 1],
      note: "讲座已举办",
      eventId: lecture,
    },
  ]);
  await seedReports(db, id("1.3"), [
    {
      kind: "count",
      at: "2021-04-01T02:00:00Z",
      by: "李四",
      percent: [0, 33],
      count: [0, 1],
      note: "第一期培训",
    },
    {
      kind: "count",
      at: "2021-06-20T02:00:00Z",
      by: "李四",
      percent: [33, 66],
      count: [1, 2],
      note: "第二期培训已办",
    },
    // Reported by mistake and taken back five minutes later: not counted, and not the last note.
    {
      kind: "count",
      at: "2021-06-21T02:00:00Z",
      by: "李四",
      percent: [66, 100],
      count: [2, 3],
      note: "误报",
      undoneAt: "2021-06-21T02:05:00Z",
    },
    {
      kind: "undo",
      at: "2021-06-21T02:05:00Z",
      by: "李四",
      percent: [100, 66],
      count: [3, 2],
      note: "undo:0",
    },
  ]);
  await seedReports(db, id("2.1"), [
    { kind: "percent", at: "2021-01-05T02:00:00Z", by: "张三", percent: [0, 40], note: "起草制度" },
    { kind: "complete", at: "2021-05-10T02:00:00Z", by: "张三", percent: [40, 100], note: "制度已印发" },
  ]);
  // Held, but without a task; a planned one and one in July do not count.
  await seedEvent(db, {
    kind: "event",
    topic: "环卫工人节慰问",
    startsAt: "2021-06-01T01:00:00Z",
    status: "held",
  });
  await seedEvent(db, { kind: "lecture", topic: "控烟讲座", startsAt: "2021-06-10T06:00:00Z" });
  await seedEvent(db, {
    kind: "press_conference",
    topic: "半年工作发布会",
    startsAt: "2021-07-02T02:00:00Z",
    status: "held",
  });

  const chat = "group:宣传科工作群";
  // 微博: decided after 5 h and 9 h (the rejected first version does not end it), one withdrawn.
  await seedDraft(db, {
    channel: "微博",
    title: "春季市容整治",
    by: "张三",
    chat,
    at: "2021-03-01T02:00:00Z",
    status: "approved",
    votes: [
      [2, "王科长", "approve", 1, 0],
      [5, "王局长", "approve", 1, 1],
    ],
  });
  await seedDraft(db, {
    channel: "微博",
    title: "垃圾分类进社区",
    by: "张三",
    chat,
    at: "2021-04-01T02:00:00Z",
    status: "published",
    version: 2,
    votes: [
      [1, "王科长", "reject", 1, 0],
      [3, "王科长", "approve", 2, 0],
      [9, "王局长", "approve", 2, 1],
    ],
  });
  await seedDraft(db, {
    channel: "微博",
    title: "撤回的稿件",
    by: "张三",
    chat,
    at: "2021-06-10T02:00:00Z",
    status: "withdrawn",
  });
  // 网站: rejected after 2 h; one expired.
  await seedDraft(db, {
    channel: "网站",
    title: "执法队伍风采",
    by: "李四",
    chat: "group:环卫处工作群",
    at: "2021-05-01T02:00:00Z",
    status: "rejected",
    votes: [[2, "赵处长", "reject", 1, 0]],
  });
  await seedDraft(db, {
    channel: "网站",
    title: "过期的稿件",
    by: "李四",
    chat,
    at: "2021-06-01T02:00:00Z",
    status: "expired",
  });
  await seedDraft(db, {
    channel: "微信公众号",
    title: "半年回顾",
    by: "张三",
    chat,
    at: "2021-06-29T02:00:00Z",
    status: "pending",
  });
  // Submitted in July: not in the first half.
  await seedDraft(db, {
    channel: "微博",
    title: "七月稿件",
    by: "张三",
    chat,
    at: "2021-07-02T02:00:00Z",
    status: "approved",
    votes: [[1, "王科长", "approve", 1, 0]],
  });
}
