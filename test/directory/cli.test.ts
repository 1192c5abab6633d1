import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runDirectoryCommand } from "../../src/domain/directory/cli.ts";
import { EXAMPLE, parse, snapshot, useDb } from "./db.ts";

const t = useDb();
const dir = mkdtempSync(join(tmpdir(), "huibao-directory-"));
const examplePath = join(dir, "directory.yaml");
writeFileSync(examplePath, EXAMPLE);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runDirectoryCommand(argv, {
    db: t.db,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out, err };
}

describe("huibao directory import", () => {
  it("imports a file and prints a summary in Chinese", async () => {
    const r = await run("import", examplePath);
    expect(r).toMatchObject({ code: 0, err: [] });
    expect(r.out.slice(0, 4)).toEqual([
      "导入完成。",
      "单位：新增 6，更新 0，未变 0",
      "人员：新增 12，更新 0，未变 0",
      "群：新增 4，更新 0，未变 0",
    ]);
    expect(r.out).toContain("  + 新增人员「张伟」");
    expect(await t.db.person.count()).toBe(12);

    const again = await run("import", examplePath);
    expect(again.out).toContain("通讯录与文件一致，没有需要修改的。");
  });

  it("changes nothing with --dry-run", async () => {
    const r = await run("import", examplePath, "--dry-run");
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe("试运行：下面是导入将做的修改，数据库没有改动。");
    expect(r.out[1]).toBe("单位：新增 6，更新 0，未变 0");
    expect(await t.db.unit.count()).toBe(0);
  });

  it("unplaces people missing from the file with --prune, and says so", async () => {
    await run("import", examplePath);
    const smaller = join(dir, "smaller.yaml");
    writeFileSync(smaller, EXAMPLE.replace(/ {2}- name: 郑芳\n(?: {4}.*\n)+/, ""));
    const kept = await run("import", smaller);
    expect(kept.out).toContain("  ? 人员「郑芳」不在文件中，已保留");
    expect(kept.out.at(-1)).toMatch(/加 --prune 会删除/);
    const pruned = await run("import", smaller, "--prune");
    expect(pruned.out).toContain("人员：新增 0，更新 0，未变 11，设为未登记 1");
    expect(pruned.out).toContain("  - 设为未登记人员「郑芳」");
  });

  it("prints every error of an invalid file, exits 2 and imports nothing", async () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(
      bad,
      EXAMPLE.replace("roles: [admin] # 负责维护这份通讯录", "roles: [boss]").replace(
        "unit: 城东分局",
        "unit: 城北分局",
      ),
    );
    const r = await run("import", bad);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err[0]).toBe(`${bad} 有 2 处错误，没有导入任何内容：`);
    expect(r.err.slice(1)).toEqual([
      expect.stringMatching(/^ {2}第 \d+ 行 people\[2\]\.roles\[0\]：未知角色 "boss"/),
      expect.stringMatching(/^ {2}第 \d+ 行 people\[9\]\.unit：未知单位 "城北分局"/),
    ]);
    const line = readFileSync(bad, "utf8").split("\n").indexOf("    roles: [boss]") + 1;
    expect(r.err[1]).toContain(`第 ${line} 行`);
    expect(await snapshot(t.db)).toEqual({ units: [], people: [], groups: [] });
  });

  it("says in one line that a file does not exist", async () => {
    const missing = join(dir, "nope.yaml");
    const r = await run("import", missing);
    expect(r).toEqual({ code: 1, out: [], err: [`找不到文件：${missing}`] });
  });

  it("exits 2 with usage for a missing file argument, an unknown option or subcommand", async () => {
    for (const argv of [["import"], ["import", examplePath, "--purge"], ["sync"], []]) {
      const r = await run(...argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.err.join("\n")).toContain("huibao directory import 文件.yaml");
    }
    expect(await t.db.unit.count()).toBe(0);
  });
});

describe("huibao directory export", () => {
  it("prints the directory to stdout as a file import reads back", async () => {
    await run("import", examplePath);
    const r = await run("export");
    expect(r.code).toBe(0);
    const file = parse(r.out.join("\n"));
    expect(file.people.map((p) => p.name)).toContain("黄海");
    expect(file.unplaced.map((p) => p.name)).toEqual(["小刘"]);
  });

  it("writes --out for its owner only, since it holds webhook secrets", async () => {
    await run("import", examplePath);
    const target = join(dir, "export.yaml");
    const r = await run("export", "--out", target);
    expect(r).toEqual({
      code: 0,
      out: [`已导出到 ${target}：单位 6 个，已登记人员 11 人，群 4 个。`],
      err: [],
    });
    expect(readFileSync(target, "utf8")).toBe(`${(await run("export")).out.join("\n")}\n`);
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it("reports a folder that does not exist in one line", async () => {
    const target = join(dir, "no-such-dir", "x.yaml");
    expect(await run("export", "--out", target)).toEqual({
      code: 1,
      out: [],
      err: [`无法写入 ${target}：目录不存在`],
    });
  });
});
