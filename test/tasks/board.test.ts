import { describe, expect, it } from "vitest";
import { type SeedTask, seedPlan, seedTasks, taskState } from "../support/tasks.ts";
import { TASKS, useTaskChat } from "./fixture.ts";

// 2.2 and 1.1 from the fixture, 3.1 for 环卫处, and sixteen more 宣传科 tasks in section 4 (4.1 … 4.16)
// so the unit's list runs over one page.
const MANY: SeedTask[] = [
  ...TASKS,
  ...Array.from({ length: 16 }, (_, i) => ({
    code: `4.${i + 1}`,
    title: `第${i + 1}项常规宣传工作任务内容较长的标题`,
    due: i < 2 ? "2021-03-09" : "2021-11-30",
    lead: ["宣传科"],
    percent: i === 2 ? 40 : 0,
    done: i === 3,
  })),
];

const t = useTaskChat(MANY);
const group = (name = "宣传科工作群") => t.chat.group(name);

describe("任务", () => {
  it("lists the group's unit in plan order with bars, due dates and marks", async () => {
    const text = await group()
      .as("张三")
      .says("任务")
      .expectReply(/^宣传科的任务（共 18 项，第 1\/2 页）：/);
    const lines = text.split("\n");
    expect(lines[1]).toBe("1.1 加强理论学习 ░░░░░░░░░░ 0% 截止 6月30日");
    expect(lines[2]).toBe("2.2 规范新闻发布 ░░░░░░░░░░ 0/4 截止 12月31日");
    expect(lines[3]).toBe("4.1 第1项常规宣传工作任务内容… ░░░░░░░░░░ 0% 截止 3月9日 ⚠️逾期");
    expect(lines[5]).toBe("4.3 第3项常规宣传工作任务内容… ▓▓▓▓░░░░░░ 40% 截止 11月30日");
    expect(lines[6]).toBe("4.4 第4项常规宣传工作任务内容… ▓▓▓▓▓▓▓▓▓▓ 100% 截止 11月30日 ✅");
    expect(lines).toHaveLength(1 + 15 + 1);
    expect(lines.at(-1)).toBe("下一页：发「任务 2」");
    expect(text).not.toContain("3.1");
  });

  it("pages on, and says when a page does not exist", async () => {
    const text = await group()
      .as("张三")
      .says("任务 2")
      .expectReply(/^宣传科的任务（共 18 项，第 2\/2 页）：/);
    expect(text.split("\n").slice(1)).toEqual([
      "4.14 第14项常规宣传工作任务内… ░░░░░░░░░░ 0% 截止 11月30日",
      "4.15 第15项常规宣传工作任务内… ░░░░░░░░░░ 0% 截止 11月30日",
      "4.16 第16项常规宣传工作任务内… ░░░░░░░░░░ 0% 截止 11月30日",
    ]);
    await group().as("张三").says("任务 3").expectReply("没有第 3 页，只有 2 页。发「任务 2」看最后一页。");
  });

  it("lists all tasks or another unit's, by name or alias, and marks supporting tasks", async () => {
    await group()
      .as("张三")
      .says("任务 全部")
      .expectReply(/^全部任务（共 19 项，第 1\/2 页）：[\s\S]*下一页：发「任务 全部 2」$/);
    await group()
      .as("张三")
      .says("tasks all 2")
      .expectReply(/^全部任务（共 19 项，第 2\/2 页）：/);
    const hw = await group()
      .as("张三")
      .says("任务 市城市管理局环境卫生管理处")
      .expectReply(/^环卫处的任务（共 2 项）：/);
    expect(hw).toContain("1.1 加强理论学习（配合） ░░░░░░░░░░ 0%");
    expect(hw).toContain("3.1 开展垃圾分类宣传 ░░░░░░░░░░ 0% 截止 9月30日");
    await group()
      .as("张三")
      .says("任务 财务科")
      .expectReply(/没有叫「财务科」的单位或任务/);
  });

  it("uses the person's unit one-to-one and in a group without a unit", async () => {
    await t.chat
      .dm("王五")
      .says("任务")
      .expectReply(/^环卫处的任务（共 2 项）：/);
    await group("闲聊群")
      .as("王五")
      .says("任务")
      .expectReply(/^环卫处的任务/);
  });

  it("shows one task with owners, target, state and history in the configured zone", async () => {
    await group().as("张三").says("进度 2.2 +1 第一场已召开").expectReply(/1\/4/);
    t.chat.clock.advance(26 * 3_600_000 + 30 * 60_000); // 3月11日 11:30 in Shanghai
    await group().as("李四").says("进度 2.2 +1").expectReply(/2\/4/);
    const text = await group()
      .as("王五")
      .says("任务 2.2")
      .expectReply(/^2.2 规范新闻发布\n/);
    expect(text.split("\n")).toEqual([
      "2.2 规范新闻发布",
      "内容：全年召开新闻发布会4场，由宣传科牵头，各分局配合。",
      "负责：宣传科；配合：各分局",
      "目标：4（新闻发布会4场）",
      "截止：12月31日",
      "现状：▓▓▓▓▓░░░░░ 2/4",
      "进度记录（2 条）：",
      "· 3月10日 09:00 张三 +1 → 1 第一场已召开",
      "· 3月11日 11:30 李四 +1 → 2",
    ]);
  });

  it("says how to report on a task nobody reported on yet", async () => {
    const text = await group()
      .as("张三")
      .says("任务 1.1")
      .expectReply(/还没有人汇报。/);
    expect(text).toContain("负责：宣传科；配合：环卫处");
    expect(text).toContain("目标：按百分比汇报");
  });
});

describe("several plans", () => {
  it("works on the newest plan; an older task is read with its year", async () => {
    const db = t.chat.db.prisma;
    await seedTasks(db, await seedPlan(db, { year: 2020 }), [
      { code: "2.2", title: "去年的发布会", lead: ["宣传科"] },
    ]);
    await group()
      .as("张三")
      .says("任务 2.2")
      .expectReply(/^2.2 规范新闻发布\n/);
    await group()
      .as("张三")
      .says("任务 2020 2.2")
      .expectReply(/^2.2 去年的发布会\n/);
    await group().as("张三").says("任务 2019 2.2").expectReply("没有 2019 年的工作计划。");
    await group()
      .as("张三")
      .says("进度 2.2 +1")
      .expectReply(/规范新闻发布：1\/4/);
    expect(await taskState(db, "2.2")).toMatchObject({ count: 1 });
  });
});

describe("我的任务", () => {
  it("lists my unit's open tasks, soonest due first", async () => {
    const text = await t.chat
      .dm("王五")
      .says("我的任务")
      .expectReply(/^环卫处未完成的任务（共 2 项）：/);
    expect(text.split("\n").slice(1)).toEqual([
      "1.1 加强理论学习（配合） ░░░░░░░░░░ 0% 截止 6月30日",
      "3.1 开展垃圾分类宣传 ░░░░░░░░░░ 0% 截止 9月30日",
    ]);
    const mine = await group()
      .as("张三")
      .says("我的任务")
      .expectReply(/^宣传科未完成的任务（共 17 项，第 1\/2 页）：/);
    expect(mine.split("\n")[1]).toMatch(/^4\.1 .*截止 3月9日 ⚠️逾期$/);
    expect(mine).not.toContain("✅");
  });
});

describe("逾期", () => {
  it("lists tasks past their due date by lead unit, with the days late", async () => {
    t.chat.clock.set("2021-07-01T16:30:00Z"); // 7月2日 00:30 in Shanghai: 6月30日 has passed
    const text = await group()
      .as("张三")
      .says("逾期")
      .expectReply(/^逾期未完成 3 项（今天 7月2日）：/);
    expect(text.split("\n").slice(1)).toEqual([
      "【宣传科】",
      "4.1 第1项常规宣传工作任务内容… ░░░░░░░░░░ 0% 截止 3月9日 逾期115天",
      "4.2 第2项常规宣传工作任务内容… ░░░░░░░░░░ 0% 截止 3月9日 逾期115天",
      "1.1 加强理论学习 ░░░░░░░░░░ 0% 截止 6月30日 逾期2天",
    ]);
  });

  it("uses the calendar day of the configured zone, not UTC", async () => {
    t.chat.clock.set("2021-06-30T15:59:00Z"); // 6月30日 23:59 in Shanghai: still the due day
    await group()
      .as("张三")
      .says("逾期")
      .expectReply(/^逾期未完成 2 项/);
    t.chat.clock.set("2021-06-30T16:00:00Z"); // 7月1日 00:00
    await group()
      .as("张三")
      .says("逾期")
      .expectReply(/^逾期未完成 3 项/);
  });

  it("drops a task once it is complete and filters by unit", async () => {
    t.chat.clock.set("2021-10-08T02:00:00Z");
    await group().as("张三").says("进度 1.1 完成").expectReply(/✅/);
    const text = await group()
      .as("张三")
      .says("逾期")
      .expectReply(/^逾期未完成 3 项/);
    expect(text).toContain("【环卫处】\n3.1 开展垃圾分类宣传 ░░░░░░░░░░ 0% 截止 9月30日 逾期8天");
    expect(text).not.toContain("1.1");
    await group()
      .as("张三")
      .says("逾期 环卫处")
      .expectReply(/^环卫处逾期未完成 1 项/);
    t.chat.clock.set("2021-03-01T02:00:00Z");
    await group().as("张三").says("逾期").expectReply("没有逾期的任务（今天 3月1日）。");
  });
});
