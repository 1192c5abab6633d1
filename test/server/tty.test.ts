import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

/**
 * `huibao chat` on a terminal: a greeting and a `名字> ` prompt, which piped input never gets (see
 * process.test.ts). util-linux `script` gives the command a pseudo-terminal; on end of input it ends the
 * session as Ctrl-D would.
 */
const onTerminal = (command: string, input: string) =>
  spawnSync("script", ["-qec", `${process.execPath} bin/huibao.js ${command}`, "/dev/null"], {
    env: { ...process.env, DATABASE_URL: "pglite:memory://" },
    input,
    encoding: "utf8",
    timeout: 90_000,
  });

describe("huibao chat and sim on a terminal", () => {
  it("greets, prompts with the speaker's name before each line, and answers", () => {
    const r = onTerminal("chat --as 李四", "帮助\n");
    expect(r.error).toBeUndefined(); // `script` (util-linux) must be installed
    expect(r.status).toBe(0);
    const out = r.stdout.replace(/\r/g, "");
    expect(out).toMatch(/和汇报助手对话（群「[^」]+」），当前身份：李四。输入「帮助」开始/);
    // One prompt before the line is read, one after the answer.
    expect(out.match(/李四> /g)).toHaveLength(2);
    expect(out).toContain("bot> 汇报助手能做的事：");
    expect(out.indexOf("当前身份")).toBeLessThan(out.indexOf("bot> 汇报助手能做的事："));
  }, 90_000);

  it("sim: says where the simulated WeCom listens, prompts, and shows the reply in the group", () => {
    const r = onTerminal("sim --memory --as 李四", "帮助\n");
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    const out = r.stdout.replace(/\r/g, "");
    expect(out).toMatch(
      /模拟企业微信已启动，机器人地址 http:\/\/127\.0\.0\.1:\d+\/wecom\/bot；你在群「演示群」，当前身份：李四。/,
    );
    expect(out.match(/李四> /g)).toHaveLength(2);
    expect(out).toContain("企业微信 → 群「演示群」（回复）：汇报助手能做的事：");
  }, 120_000);
});
