import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runWhen } from "../../src/cli/when.ts";

const NOW = "2021-03-10T09:00:00+08:00";

async function run(argv: string[], stdin = "") {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runWhen(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readStdin: async () => stdin,
    now: () => new Date(NOW),
  });
  return { code, out, err: err.join("\n") };
}

describe("runWhen", () => {
  it("prints each expression, a tab and the ISO time in the zone", async () => {
    expect(await run(["明天上午10点", "下午3点"])).toEqual({
      code: 0,
      out: ["明天上午10点\t2021-03-11T10:00:00+08:00", "下午3点\t2021-03-10T15:00:00+08:00"],
      err: "",
    });
  });

  it("reads one expression per line from stdin when none is given, skipping blank lines", async () => {
    const r = await run([], "明天上午10点\r\n\n  两小时后  \n");
    expect(r.out).toEqual(["明天上午10点\t2021-03-11T10:00:00+08:00", "两小时后\t2021-03-10T11:00:00+08:00"]);
    expect(r.code).toBe(0);
  });

  it("prints a Chinese reason for a refused expression and exits 2", async () => {
    const r = await run(["明天上午10点", "2月30日上午9点"]);
    expect(r.code).toBe(2);
    expect(r.out[0]).toBe("明天上午10点\t2021-03-11T10:00:00+08:00");
    expect(r.out[1]).toBe("2月30日上午9点\tERROR: 没有2月30日这一天");
  });

  it("honours --now and --tz", async () => {
    const r = await run(["明天上午10点", "--now", "2021-12-31T20:00:00+08:00", "--tz", "America/New_York"]);
    expect(r.out).toEqual(["明天上午10点\t2022-01-01T10:00:00-05:00"]);
    // Without an offset, --now is a wall time in --tz, not in the machine's zone.
    const wall = await run(["1小时后", "--now", "2021-03-10T09:00", "--tz", "America/New_York"]);
    expect(wall.out).toEqual(["1小时后\t2021-03-10T10:00:00-05:00"]);
  });

  it("answers a bad --now, a bad --tz, an unknown option or no expression with usage and exit 2", async () => {
    for (const argv of [
      ["明天", "--now", "yesterday"],
      ["明天", "--tz", "Mars/Base"],
      ["--frobnicate"],
      [],
    ]) {
      const r = await run(argv);
      expect(r.code).toBe(2);
      expect(r.out).toEqual([]);
      expect(r.err).toContain("用法：huibao when");
    }
  });
});

describe("huibao when (a real process)", () => {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const spawn = (args: string[], env: Record<string, string>, input?: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ["bin/huibao.js", "when", ...args],
        { cwd: root, env: { ...process.env, BOT_TIMEZONE: "Asia/Shanghai", ...env } },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout, stderr }),
      );
      child.stdin?.end(input ?? "");
    });

  it("prints 明天上午10点 as the ISO time and exits 0", async () => {
    const r = await spawn(["明天上午10点", "--now", NOW], {});
    expect(r).toMatchObject({ code: 0, stdout: "明天上午10点\t2021-03-11T10:00:00+08:00\n" });
  });

  it("resolves the whole fixture from stdin the same way under TZ=America/New_York, exit 2 for the refusals", async () => {
    const rows = readFileSync(new URL("../fixtures/dates-zh.tsv", import.meta.url), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "" && !l.startsWith("#"))
      .map((l) => l.split("\t"));
    const r = await spawn(["--now", NOW], { TZ: "America/New_York" }, rows.map((x) => x[0]).join("\n"));
    expect(r.code).toBe(2);
    const got = r.stdout.trimEnd().split("\n");
    expect(got).toHaveLength(rows.length);
    got.forEach((line, i) => {
      const [expression, expected] = rows[i] ?? [];
      expect(line.startsWith(`${expression}\t${expected === "ERROR" ? "ERROR: " : expected}`)).toBe(true);
    });
  });

  it("skips the days off of HOLIDAYS_FILE for 下个工作日, as the bot does, and refuses a file it cannot read", async () => {
    const dir = mkdtempSync(join(tmpdir(), "huibao-when-holidays-"));
    try {
      const file = join(dir, "holidays.yaml");
      // Test data for a year no calendar has: Monday 2099-02-09 to Sunday 02-15 off, Saturday 02-07 worked.
      writeFileSync(
        file,
        "2099:\n  holidays:\n    - 2099-02-09 至 2099-02-15\n  workdays:\n    - 2099-02-07\n",
      );
      const args = ["下个工作日上午9点", "--now", "2099-02-07T10:00:00+08:00"];
      const plain = await spawn(args, {});
      expect(plain.stdout).toBe("下个工作日上午9点\t2099-02-09T09:00:00+08:00\n");
      const withFile = await spawn(args, { HOLIDAYS_FILE: file });
      expect(withFile).toMatchObject({ code: 0, stdout: "下个工作日上午9点\t2099-02-16T09:00:00+08:00\n" });
      const missing = await spawn(args, { HOLIDAYS_FILE: join(dir, "none.yaml") });
      expect(missing).toMatchObject({ code: 2, stdout: "" });
      expect(missing.stderr.trim()).toBe(`配置错误：HOLIDAYS_FILE 找不到文件：${join(dir, "none.yaml")}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
