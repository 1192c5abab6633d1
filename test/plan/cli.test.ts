import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPlan } from "../../src/cli/plan.ts";
import { FakeClock } from "../../src/lib/clock.ts";
import { EXPECTED, SAMPLE_PATH, useDb } from "./db.ts";

const t = useDb();
const clock = new FakeClock("2021-03-01T02:00:00Z");
const dir = mkdtempSync(join(tmpdir(), "huibao-plan-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runPlan(argv, { db: t.db, out: (l) => out.push(l), err: (l) => err.push(l), clock });
  return { code, out, err };
}

describe("huibao plan import", () => {
  it("imports the document, prints a summary in Chinese and progress per section on stderr", async () => {
    const r = await run("import", SAMPLE_PATH);
    expect(r.code).toBe(0);
    expect(r.out.slice(0, 3)).toEqual([
      "导入完成。",
      "《滨江市城市管理局2021年宣传工作要点》（2021 年）：4 个部分，12 项任务，11 个计数目标。",
      "任务：新增 12，修改 0，未变 0，移除 0",
    ]);
    expect(r.out).toContain("  + 1.2 开展专题讲座｜目标 2 讲座｜截止 2021-12-31｜牵头 宣传科｜配合 各分局");
    expect(r.out).toContain("  + 2.4 加强舆情监测");
    expect(r.err).toEqual([
      "  第 1/4 部分「加强学习教育，提升队伍素质」：3 项",
      "  第 2/4 部分「做好新闻发布，营造良好氛围」：4 项",
      "  第 3/4 部分「开展文化活动，讲好城管故事」：3 项",
      "  第 4/4 部分「压实工作责任，强化督查考核」：2 项",
    ]);
    expect(await t.db.task.count()).toBe(12);

    const again = await run("import", SAMPLE_PATH);
    expect(again.out).toContain("没有变化：数据库里的计划和文件一致。");
    expect(again.out.at(-1)).toMatch(/^通讯录里还没有单位.*huibao directory import/);
  });

  it("prints exactly the parsed structure with --json, and the summary on stderr", async () => {
    const r = await run("import", SAMPLE_PATH, "--json", "--dry-run");
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    expect(JSON.parse(r.out[0] ?? "")).toEqual(EXPECTED);
    expect(r.err).toContain("试运行：下面是导入将做的修改，数据库没有改动。");
    expect(await t.db.plan.count()).toBe(0);
  });

  it("takes the year from --year", async () => {
    const r = await run("import", SAMPLE_PATH, "--year", "2022", "--json", "--dry-run");
    const plan = JSON.parse(r.out[0] ?? "");
    expect(plan.year).toBe(2022);
    expect(plan.sections[0].items[0].due).toBe("2022-12-31");
  });

  it("reads CRLF files and plans numbered （一）", async () => {
    const path = file(
      "crlf.txt",
      "2021年工作要点\r\n\r\n一、宣传\r\n\r\n（一）开放日。全年组织两次开放日活动。\r\n",
    );
    const r = await run("import", path, "--json", "--dry-run");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out[0] ?? "").sections[0].items[0]).toMatchObject({
      code: "1.1",
      title: "开放日",
      targets: [{ kind: "event", count: 2 }],
    });
  });

  it("explains in one Chinese line why a file cannot be imported, and exits 1", async () => {
    const cases: [string, string][] = [
      [join(dir, "missing.txt"), "找不到文件"],
      [dir, "是一个目录"],
      [file("empty.txt", ""), "文件是空的"],
      [file("blank.txt", "\n \n"), "文件是空的"],
      [file("minutes.txt", "会议纪要\n\n今天讨论了宣传工作。\n"), "看起来不是工作要点或工作计划"],
      [
        file("gbk.txt", Buffer.from("b9a4d7f7d2aab5e30ad2bba1a2", "hex")),
        "文件不是 UTF-8 编码（可能是 GBK），请另存为 UTF-8 后再导入",
      ],
      [
        file(
          "word.docx",
          Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0xc3, 0x28]),
        ),
        "不是文本文件",
      ],
    ];
    for (const [path, message] of cases) {
      const r = await run("import", path);
      expect(r.code, path).toBe(1);
      expect(r.out).toEqual([]);
      expect(r.err, path).toHaveLength(1);
      expect(r.err[0]).toContain(message);
    }
    expect(await t.db.plan.count()).toBe(0);
  });

  it("exits 2 with the usage on wrong usage", async () => {
    for (const argv of [
      [],
      ["export"],
      ["import"],
      ["import", SAMPLE_PATH, "extra"],
      ["import", SAMPLE_PATH, "--year", "21"],
      ["import", SAMPLE_PATH, "--force"],
    ]) {
      const r = await run(...argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.err.join("\n")).toContain("用法：huibao plan import");
    }
  });
});

describe("the huibao command", () => {
  it("prints the parsed plan from a real process", () => {
    const r = spawnSync(
      process.execPath,
      ["bin/huibao.js", "plan", "import", SAMPLE_PATH, "--json", "--dry-run"],
      {
        cwd: new URL("../..", import.meta.url).pathname,
        env: { ...process.env, DATABASE_URL: "pglite:memory://", LOG_LEVEL: "silent" },
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect(r.stderr).toContain("试运行");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(EXPECTED);
  }, 120_000);
});
