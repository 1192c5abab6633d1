import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/lib/clock.ts";
import { startWecomSim } from "../sim/wecom/index.ts";
import { BOT, DIRECTORY, eventually, GROUP_CHAT, GROUP_KEY } from "../support/wecom-bot.ts";

const dir = mkdtempSync(join(tmpdir(), "huibao-kill-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function serve(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["bin/huibao.js", "serve"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /已启动：(http:\/\/\S+?)（/.exec(out);
      if (m?.[1] && out.includes("按 Ctrl-C 停止")) resolve({ child, url: m[1] });
    });
    child.once("exit", (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
}

describe("a server killed right after acknowledging", () => {
  it("answers the member once after it is restarted", async () => {
    const sim = await startWecomSim({ clock: systemClock });
    sim.addWebhook(GROUP_KEY, "宣传科工作群");
    const env = {
      ...process.env,
      DATABASE_URL: `pglite:${join(dir, "pglite")}`,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      WECOM_API_BASE: sim.url,
      WECOM_BOT_TOKEN: BOT.token,
      WECOM_BOT_AES_KEY: BOT.aesKey,
    };
    writeFileSync(join(dir, "directory.yaml"), DIRECTORY);
    spawnSync(process.execPath, ["bin/huibao.js", "directory", "import", join(dir, "directory.yaml")], {
      env,
    });
    try {
      const first = await serve(env);
      const message = sim.botTextMessage({ chatid: GROUP_CHAT, userid: "zhangsan", content: "@汇报 帮助" });
      const exited = new Promise((r) => first.child.once("exit", r));
      const delivery = await sim.deliverBotMessage({
        url: `${first.url}/wecom/bot`,
        ...BOT,
        message,
        attempts: 1,
      });
      first.child.kill("SIGKILL");
      await exited;
      expect(delivery.attempts[0]?.status).toBe(200);

      const second = await serve(env);
      try {
        const record = sim.responseUrls.get(String(message.response_url));
        await eventually(() => record.body, 30_000);
        await new Promise((r) => setTimeout(r, 1000));
        expect(record.attempts.filter((a) => a.errcode === 0)).toHaveLength(1);
        expect(JSON.stringify(record.body)).toContain("汇报助手能做的事");
        expect(sim.webhooks.get(GROUP_KEY).messages).toHaveLength(0);
      } finally {
        second.child.kill("SIGTERM");
        await new Promise((r) => second.child.once("exit", r));
      }
    } finally {
      await sim.close();
    }
  }, 90_000);
});
