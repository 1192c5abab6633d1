import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineCommand, UserError } from "../../src/bot/command.ts";
import { startTestBot, type TestBot } from "../support/chat.ts";

const DIRECTORY = `
units:
  - name: 市城市管理局宣传科
    aliases: [宣传科]
people:
  - name: 张三
    unit: 宣传科
    roles: [admin]
  - name: 李四
    unit: 宣传科
    roles: [member]
groups:
  - name: 宣传科工作群
    platform: local
    chat_id: 宣传科工作群
    unit: 宣传科
`;

const progress = defineCommand({
  name: "进度",
  aliases: ["progress"],
  args: [
    { name: "code", type: "code", label: { zh: "任务编号", en: "task" } },
    { name: "percent", type: "percent", label: { zh: "百分比", en: "percent" } },
    { name: "note", type: "text", optional: true, label: { zh: "说明", en: "note" } },
  ],
  permission: "member",
  summary: { zh: "报告任务进度", en: "report progress" },
  help: { zh: "报告任务进度", en: "report progress" },
  examples: ["进度 2.2 50% 已开两场"],
  run: async ({ args }) => `已记录 ${args.code}：${args.percent}%${args.note ? `（${args.note}）` : ""}`,
});
const reset = defineCommand({
  ...progress,
  name: "重置",
  aliases: ["reset"],
  args: [],
  permission: "admin",
  run: async () => "已重置",
});
const broken = defineCommand({
  ...progress,
  name: "坏了",
  aliases: [],
  args: [],
  permission: "anyone",
  run: async () => {
    throw new Error("database exploded at line 42");
  },
});
const picky = defineCommand({
  ...progress,
  name: "挑剔",
  aliases: [],
  args: [],
  permission: "anyone",
  run: async () => {
    throw new UserError("任务 9.9 不存在。");
  },
});

let chat: TestBot;
beforeAll(async () => {
  chat = await startTestBot({ directory: DIRECTORY, extraCommands: [progress, reset, broken, picky] });
});
afterAll(() => chat.close());

const group = () => chat.group("宣传科工作群");

describe("help", () => {
  it("lists every command in Chinese by area, one line each, generated from the registry", async () => {
    const text = await group().as("李四").says("帮助").expectReply("汇报助手能做的事");
    const lines = text.split("\n");
    expect(lines[0]).toBe("汇报助手能做的事：");
    expect(lines).toContain("【其他】帮助 · 我是谁 · 单位 · 进度（单位成员） · 重置（管理员） · 坏了 · 挑剔");
    expect(lines.find((l) => l.startsWith("【审批】"))).toContain("送审 · 同意 · 驳回");
    // A phone screen: the overview stays short however many commands there are.
    expect(lines.length).toBeLessThanOrEqual(8);
    expect(lines.at(-1)).toMatch(/^发送「帮助 命令名」查看用法和例子/);
  });
  it("answers the English alias with the same list", async () => {
    const zh = await group().as("李四").says("帮助").replies();
    expect(await group().as("李四").says("help").replies()).toEqual(zh);
  });
  it("explains one command with usage, aliases and examples", async () => {
    const text = await group()
      .as("李四")
      .says("帮助 进度")
      .expectReply(/^进度 <任务编号> <百分比> \[说明\]/);
    expect(text).toContain("也可以写：progress");
    expect(text).toContain("进度 2.2 50% 已开两场");
    await group()
      .as("李四")
      .says("help progress")
      .expectReply(/^进度 <任务编号>/);
  });
  it("suggests the right command when help is asked for a typo", async () => {
    await group()
      .as("李四")
      .says("帮助 进渡")
      .expectReply(/没有「进渡」这个命令。你是想用「进度」吗？/);
  });
});

describe("reading what members type", () => {
  it("ignores the bot's @-mention, full-width characters and line breaks", async () => {
    await group()
      .as("李四")
      .says("@汇报 进度 ２．２ ５０％\n已开两场")
      .expectReply("已记录 2.2：50%（已开两场）");
    await group().as("李四").says("＠汇报助手\u3000进度2.2 50%").expectReply("已记录 2.2：50%");
  });
  it("greets a bare mention", async () => {
    await group().as("李四").says("@汇报").expectReply("发送「帮助」");
  });
  it("suggests the closest command for an unknown one", async () => {
    await group()
      .as("李四")
      .says("帮主")
      .expectReply("没听懂「帮主」。你是想用「帮助」吗？发送「帮助」查看全部命令。");
    await group()
      .as("李四")
      .says("今天天气怎么样")
      .expectReply(/^没听懂「今天天气怎么样」。发送「帮助」/);
  });
  it("explains a wrong argument with the usage", async () => {
    await group()
      .as("李四")
      .says("进度 2.2 一半")
      .expectReply(/百分比「一半」不对.*\n用法：进度/);
  });
});

describe("who may do what", () => {
  it("records an unknown sender and still answers read-only commands", async () => {
    await group().as("王五").says("我是谁").expectReply("你还没有登记到通讯录。你的账号是 王五");
    await group().as("王五").says("帮助").expectReply("汇报助手能做的事");
    const recorded = await chat.db.prisma.person.findMany({ where: { name: "王五" } });
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.placed).toBe(false);
  });
  it("refuses a write command from an unknown sender, and records them only once", async () => {
    await group()
      .as("王五")
      .says("进度 2.2 50%")
      .expectReply(/还没有登记到通讯录，只能查询，还不能用「进度」/);
    expect(await chat.db.prisma.person.count({ where: { name: "王五" } })).toBe(1);
  });
  it("checks roles", async () => {
    await group().as("李四").says("重置").expectReply("「重置」需要管理员权限。");
    await group().as("张三").says("重置").expectReply("已重置");
    await group().as("张三").says("我是谁").expectReply("张三，市城市管理局宣传科，管理员。");
  });
});

describe("failures", () => {
  it("turns an unexpected error into a short apology without details", async () => {
    const text = await group().as("李四").says("坏了").expectReply("抱歉，处理「坏了」时出了点问题");
    expect(text).not.toMatch(/database|line 42|Error/);
  });
  it("passes a user error through as the reply", async () => {
    await group().as("李四").says("挑剔").expectReply("任务 9.9 不存在。");
  });
});

describe("English locale", () => {
  it("answers in English when configured", async () => {
    const en = await startTestBot({ locale: "en" });
    try {
      await en.dm("Alice").says("help").expectReply("What huibao can do");
      await en.dm("Alice").says("units").expectReply("No units yet");
    } finally {
      await en.close();
    }
  });
});
