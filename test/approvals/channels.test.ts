import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { exportDirectory } from "../../src/domain/directory/export.ts";
import { type DirectoryFile, parseDirectoryFile } from "../../src/domain/directory/file.ts";
import { formatSummary } from "../../src/domain/directory/summary.ts";
import { importDirectory } from "../../src/domain/directory/sync.ts";
import { DIRECTORY } from "./support.ts";

const BASE = `units:
  - { name: 市城市管理局宣传科, aliases: [宣传科] }
people:
  - { name: 张三, unit: 宣传科, roles: [member] }
  - { name: 李四, unit: 宣传科, roles: [leader] }
  - { name: 王五, roles: [leader] }
`;

function errorsOf(text: string): string[] {
  const r = parseDirectoryFile(text);
  return r.ok ? [] : r.errors;
}

function parse(text: string): DirectoryFile {
  const r = parseDirectoryFile(text);
  if (!r.ok) throw new Error(r.errors.join("\n"));
  return r.file;
}

describe("channels: in the directory file", () => {
  it("reads stages, modes, approvers and the deadline, with defaults", () => {
    const file = parse(`${BASE}channels:
  - name: 微博
    aliases: [weibo]
    stages:
      - name: 科室负责人
        mode: any
        approvers: [{ person: 李四 }, { role: leader, unit: 宣传科 }]
      - name: 分管领导
        mode: k
        k: 1
        approvers: [{ person: 王五 }]
`);
    expect(file.channels).toEqual([
      {
        name: "微博",
        aliases: ["weibo"],
        deadlineHours: 24,
        stages: [
          {
            name: "科室负责人",
            mode: "any",
            k: null,
            approvers: [{ person: "李四" }, { role: "leader", unit: "宣传科" }],
          },
          { name: "分管领导", mode: "k", k: 1, approvers: [{ person: "王五" }] },
        ],
      },
    ]);
    // A file without the section says nothing about channels (and an import leaves them alone).
    expect(parse(BASE).channels).toBeUndefined();
  });

  it("reports every mistake in an entry with its line", () => {
    const text = `${BASE}channels:
  - name: 微博
    stages:
      - name: 科室负责人
        mode: any
        approvers: [{ person: 李四 }]
      - name: 分管领导
        mode: most
        approvers: [{ person: 王五 }]
  - name: 网站
    stages: []
  - name: 简报
    deadline_hours: 一天
    stages:
      - { name: 一级, mode: any, approvers: [] }
      - { name: 三级, mode: k, k: 1, approvers: [{ person: 李四, role: leader }] }
`;
    expect(errorsOf(text)).toEqual([
      '第 14 行 channels[0].stages[1].mode：未知方式 "most"（可选：any、all、k）',
      "第 17 行 channels[1].stages：至少要有一级审批",
      "第 19 行 channels[2].deadline_hours：deadline_hours 应为整数",
      "第 21 行 channels[2].stages[0].approvers：至少要有一位审批人",
      "第 22 行 channels[2].stages[1].approvers[0]：审批人应写成 { person: 姓名 } 或 { role: 角色, unit: 单位 }",
    ]);
  });

  it("reports unknown people, a quorum that cannot be reached and a name used twice", () => {
    const text = `${BASE}channels:
  - name: 微博
    stages:
      - name: 科室负责人
        mode: k
        k: 3
        approvers: [{ person: 李四 }, { person: 赵六 }]
  - name: weibo
    aliases: [微博]
    stages:
      - { name: 一级, mode: any, approvers: [{ person: 李四 }] }
`;
    expect(errorsOf(text)).toEqual([
      "第 12 行 channels[0].stages[0].k：k 为 3，但这一级只有 1 位审批人，永远凑不够",
      '第 13 行 channels[0].stages[0].approvers[1].person：未知人员 "赵六"（people 里没有这个姓名）',
      '第 15 行 channels[1].aliases[0]：别名 "微博" 重复（已被 channels[0] 使用）',
    ]);
  });

  it("reports a role nobody holds, an unknown unit, and k with the wrong mode", () => {
    const text = `${BASE}channels:
  - name: 微博
    stages:
      - { name: 一级, mode: all, k: 1, approvers: [{ role: approver }] }
      - { name: 二级, mode: k, approvers: [{ role: leader, unit: 办公室 }] }
`;
    expect(errorsOf(text)).toEqual([
      "第 10 行 channels[0].stages[0].approvers[0].role：没有人担任 approver（审批人），这条审批人找不到人",
      "第 10 行 channels[0].stages[0].k：只有 mode: k 才写 k（现在是 mode: all）",
      '第 11 行 channels[0].stages[1].approvers[0].unit：未知单位 "办公室"（units 里没有这个名称或别名）',
      "第 11 行 channels[0].stages[1].k：mode: k 需要写 k（这一级要几人同意）",
    ]);
  });
});

describe("channels: import and export", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase("pglite:memory://");
    await database.migrate();
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.prisma.$executeRawUnsafe(
      "TRUNCATE units, people, groups, approval_channels RESTART IDENTITY CASCADE",
    );
  });

  it("stores the rules with units by full name, and a second import changes nothing", async () => {
    const db = database.prisma;
    const first = await importDirectory(db, parse(DIRECTORY));
    expect(first.channels).toMatchObject({ created: 3 });
    expect(formatSummary(first)).toContain("审批渠道：新增 3，更新 0，未变 0");
    const weibo = await db.approvalChannel.findUniqueOrThrow({ where: { name: "微博" } });
    expect(weibo).toMatchObject({ aliases: ["weibo"], deadlineHours: 24 });
    expect(weibo.stages).toEqual([
      { name: "科室负责人", mode: "any", approvers: [{ role: "leader", unit: "宣传科" }] },
      {
        name: "分管领导",
        mode: "k",
        k: 2,
        approvers: [{ person: "赵六" }, { person: "钱七" }, { person: "管理员" }],
      },
    ]);
    const again = await importDirectory(db, parse(DIRECTORY));
    expect(again.changes).toEqual([]);
    expect(again.channels).toMatchObject({ unchanged: 3 });
  });

  it("updates a changed rule, keeps the ones missing from the file, removes them with --prune", async () => {
    const db = database.prisma;
    await importDirectory(db, parse(DIRECTORY));
    const file = parse(DIRECTORY);
    file.channels = (file.channels ?? []).filter((c) => c.name !== "简报");
    const weibo = file.channels.find((c) => c.name === "微博");
    if (weibo) weibo.deadlineHours = 12;
    const kept = await importDirectory(db, file);
    expect(kept.changes).toEqual([
      { entity: "channel", action: "updated", name: "微博", fields: ["deadline_hours"] },
      { entity: "channel", action: "notInFile", name: "简报", fields: [] },
    ]);
    expect(await db.approvalChannel.count()).toBe(3);
    const pruned = await importDirectory(db, file, { prune: true });
    expect(pruned.channels).toMatchObject({ removed: 1 });
    expect((await db.approvalChannel.findMany()).map((c) => c.name).sort()).toEqual(["微博", "网站"]);
    // A file without channels: leaves them alone, even with --prune.
    const none = parse(DIRECTORY);
    delete none.channels;
    await importDirectory(db, none, { prune: true });
    expect(await db.approvalChannel.count()).toBe(2);
  });

  it("exports the rules so that they import back unchanged", async () => {
    const db = database.prisma;
    await importDirectory(db, parse(DIRECTORY));
    const yaml = await exportDirectory(db);
    expect(yaml).toContain("        approvers: [{role: leader, unit: 宣传科}]");
    const s = await importDirectory(db, parse(yaml), { prune: true });
    expect(s.changes).toEqual([]);
  });

  it("leaves out of the export a rule whose approvers left the directory, and says why", async () => {
    const db = database.prisma;
    await importDirectory(db, parse(DIRECTORY));
    await db.person.updateMany({ where: { name: "赵六" }, data: { placed: false } });
    const yaml = await exportDirectory(db);
    expect(yaml).toContain('#   微博：未知人员 "赵六"（people 里没有这个姓名）');
    const file = parse(yaml);
    expect(file.channels?.map((c) => c.name)).toEqual(["网站", "简报"]);
  });
});
