import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDataDir(): string {
  const d = mkdtempSync(join(tmpdir(), "huibao-proc-"));
  dirs.push(d);
  return join(d, "data", "pglite");
}

function waitForUrl(child: ChildProcess): Promise<{ url: string; output: string }> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`no banner within 60 s:\n${output}`)), 60_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const m = /已启动：(http:\/\/\S+)（/.exec(output);
      if (m?.[1] && output.includes("按 Ctrl-C 停止")) {
        clearTimeout(timer);
        resolve({ url: m[1], output });
      }
    });
    child.once("exit", (code) => reject(new Error(`exited early with ${code}:\n${output}`)));
  });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, ms: Date.now() - started })));
}

describe("huibao serve as a process", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`serves health on PGlite, prints its banner, and exits 0 on ${signal}`, async () => {
      const env = { ...process.env, PORT: "0", HOST: "127.0.0.1", DATABASE_URL: `pglite:${tempDataDir()}` };
      const child = spawn(process.execPath, ["bin/huibao.js", "serve"], {
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      const { url, output } = await waitForUrl(child);
      expect(output).toContain("数据库：PGlite (");
      expect(output).toContain("已配置平台：无");
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const exited = exitOf(child);
      child.kill(signal);
      const { code, ms } = await exited;
      expect(code).toBe(0);
      expect(ms).toBeLessThan(10_000);
    }, 90_000);
  }
});

describe("huibao chat with piped input", () => {
  it("prints the command list in Chinese for 帮助 and for help", () => {
    const env = { ...process.env, DATABASE_URL: "pglite:memory://" };
    const r = spawnSync(process.execPath, ["bin/huibao.js", "chat"], {
      env,
      input: "帮助\nhelp\n",
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines.filter((l) => l === "bot> 汇报助手能做的事：")).toHaveLength(2);
    expect(lines.every((l) => l === "" || l.startsWith("bot> "))).toBe(true);
  }, 90_000);

  it("switches the speaker with 名字> and turns \\n into a line break", () => {
    const env = { ...process.env, DATABASE_URL: "pglite:memory://" };
    const r = spawnSync(process.execPath, ["bin/huibao.js", "chat", "--as", "李四"], {
      env,
      input: "我是谁\n王五> 我是谁\n我是谁\n帮助\\n我是谁\n",
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    const replies = r.stdout.split("\n").filter((l) => l.startsWith("bot> 你还没有登记"));
    expect(replies.map((l) => /账号是 (\S+?)（/.exec(l)?.[1])).toEqual(["李四", "王五", "王五"]);
    expect(r.stdout).toContain("bot> 显示你在通讯录里的姓名");
  }, 90_000);

  it("shows where a command's notices go: the group summary and the approver's one-to-one copy", () => {
    const dir = mkdtempSync(join(tmpdir(), "huibao-chat-notices-"));
    try {
      const env = { ...process.env, DATABASE_URL: `pglite:${join(dir, "db")}` };
      const imported = spawnSync(
        process.execPath,
        ["bin/huibao.js", "directory", "import", "examples/directory.yaml"],
        {
          env,
          encoding: "utf8",
          timeout: 60_000,
        },
      );
      expect(imported.status).toBe(0);
      const r = spawnSync(process.execPath, ["bin/huibao.js", "chat", "--as", "陈静"], {
        env,
        input: "送审 微博 标题：讲座预告 正文：周三下午两点专题讲座。\n",
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(r.status).toBe(0);
      const lines = r.stdout.split("\n");
      expect(lines[0]).toMatch(/^bot> 已送审 #1：微博《讲座预告》/);
      expect(lines).toContain("bot → 私聊 李秀英> #1 请你审批：微博《讲座预告》（第1版）");
      expect(lines.some((l) => l.startsWith("bot → 宣传科工作群> @李秀英 #1 待审批"))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
