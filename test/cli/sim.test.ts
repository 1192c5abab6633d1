import { createServer } from "node:net";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { runSim } from "../../src/cli/sim.ts";

/** `huibao sim` in-process: the real server against the loopback WeCom, fed from a string as stdin. */
async function sim(input: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runSim(
    ["--memory", ...argv],
    { input: Readable.from([input]), isTTY: false, out: (l) => out.push(l), err: (l) => err.push(l) },
    // No DATABASE_URL or platform settings from the developer's shell leak in.
    {},
  );
  return { code, out, err };
}

const servers = () => process.getActiveResourcesInfo().filter((r) => r === "TCPServerWrap").length;

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as { port: number };
  await new Promise((resolve) => s.close(resolve));
  return port;
}

// Every run opens a fresh PGlite and migrates it: seconds each, more on a busy machine.
describe("huibao sim", { timeout: 60_000 }, () => {
  it("answers 帮助 and 我是谁 through the simulated WeCom, once each, and shuts everything down", async () => {
    const before = servers();
    const port = await freePort();
    const { code, out } = await sim("帮助\n我是谁\n", "--port", String(port));
    expect(code).toBe(0);

    const fromWecom = out.filter((l) => l.startsWith("企业微信 → "));
    // With an empty directory the demo group is made up, and the reply door is the response_url.
    expect(fromWecom.every((l) => l.startsWith("企业微信 → 群「演示群」（回复）："))).toBe(true);
    expect(fromWecom.filter((l) => l.includes("汇报助手能做的事"))).toHaveLength(1);
    expect(fromWecom.filter((l) => l.includes("我是谁"))).not.toHaveLength(0);
    expect(fromWecom.filter((l) => l.includes("你还没有登记到通讯录。你的账号是 访客"))).toHaveLength(1);
    // The transcript is in conversation order: each reply follows its line.
    const help = out.findIndex((l) => l.includes("汇报助手能做的事"));
    const whoami = out.findIndex((l) => l.includes("你的账号是 访客"));
    expect(out.indexOf("访客> 帮助")).toBeLessThan(help);
    expect(help).toBeLessThan(out.indexOf("访客> 我是谁"));
    expect(out.indexOf("访客> 我是谁")).toBeLessThan(whoami);

    // Closed servers release their handles in the next turn of the event loop.
    for (let i = 0; i < 20 && servers() > before; i++) await new Promise((r) => setTimeout(r, 10));
    expect(servers()).toBe(before);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it("switches the speaker with 名字>: someone not in the directory speaks under their own name", async () => {
    const { code, out } = await sim("李四> 我是谁\n");
    expect(code).toBe(0);
    expect(out.filter((l) => l.includes("你的账号是 李四"))).toHaveLength(1);
  });

  it("refuses a group that does not exist, naming the ones there are", async () => {
    const missing = await sim("帮助\n", "--group", "没有这个群");
    expect(missing.code).toBe(2);
    expect(missing.err.join("\n")).toContain("没有叫「没有这个群」的企业微信群。可选：演示群");
  });
});
