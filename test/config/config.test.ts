import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, environmentWithDotenv, loadConfig } from "../../src/config.ts";

const load = (env: Record<string, string>) => loadConfig(env);
const reason = (env: Record<string, string>) => {
  try {
    load(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error("expected a ConfigError");
};

describe("loadConfig", () => {
  it("gives working defaults for an empty environment", () => {
    const c = load({});
    expect(c.databaseUrl).toBe("pglite:./data/pglite");
    expect(c.port).toBe(3000);
    expect(c.timezone).toBe("Asia/Shanghai");
    expect(c.locale).toBe("zh");
    expect(c.wecom.bot).toBeUndefined();
    expect(c.dingtalk.app).toBeUndefined();
  });

  it("names the variable and the reason for a bad value", () => {
    expect(reason({ PORT: "abc" })).toBe('配置错误：PORT 必须是 0–65535 之间的整数（当前值 "abc"）');
    expect(reason({ PORT: "70000" })).toContain("PORT");
    expect(reason({ BOT_TIMEZONE: "Asia/Beijing" })).toContain("BOT_TIMEZONE 不是有效的 IANA 时区名");
    expect(reason({ DATABASE_URL: "mysql://x" })).toContain("DATABASE_URL");
    expect(reason({ LOG_LEVEL: "loud" })).toContain("LOG_LEVEL");
  });

  it("never echoes a secret value in the error", () => {
    const msg = reason({ WECOM_BOT_TOKEN: "tok", WECOM_BOT_AES_KEY: "short-secret-key" });
    expect(msg).toContain("WECOM_BOT_AES_KEY");
    expect(msg).not.toContain("short-secret-key");
    expect(reason({ ADMIN_TOKEN: "tiny" })).not.toContain("tiny");
  });

  it("requires the settings of a platform together", () => {
    expect(reason({ WECOM_BOT_TOKEN: "t" })).toContain("WECOM_BOT_AES_KEY 未设置");
    expect(reason({ DINGTALK_APP_KEY: "k" })).toContain("DINGTALK_APP_SECRET 未设置");
    expect(reason({ DINGTALK_MODE: "stream" })).toContain("DINGTALK_APP_KEY");
  });

  it("parses platform settings and defaults the DingTalk robot code to the app key", () => {
    const c = load({
      WECOM_BOT_TOKEN: "tok",
      WECOM_BOT_AES_KEY: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
      DINGTALK_APP_KEY: "dingkey",
      DINGTALK_APP_SECRET: "dingsecret",
      WECOM_API_BASE: "http://127.0.0.1:9999/",
    });
    expect(c.wecom.bot?.mode).toBe("http");
    expect(c.wecom.apiBase).toBe("http://127.0.0.1:9999");
    expect(c.dingtalk.app?.robotCode).toBe("dingkey");
  });
});

describe(".env file", () => {
  it("fills in settings the environment does not have, and the environment wins", () => {
    const dir = mkdtempSync(join(tmpdir(), "huibao-env-"));
    try {
      const file = join(dir, ".env");
      writeFileSync(file, "PORT=4100\nBOT_LOCALE=en\n# a comment\nLOG_LEVEL=debug\n");
      const c = loadConfig(environmentWithDotenv({ LOG_LEVEL: "warn" }, file));
      expect(c.port).toBe(4100);
      expect(c.locale).toBe("en");
      expect(c.logLevel).toBe("warn");
      expect(loadConfig(environmentWithDotenv({}, join(dir, "missing.env"))).port).toBe(3000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("huibao with a bad setting", () => {
  it("exits with code 2 and one line naming the variable, no stack trace", () => {
    const r = spawnSync(process.execPath, ["bin/huibao.js", "chat"], {
      env: { ...process.env, PORT: "x", DATABASE_URL: "pglite:memory://" },
      input: "",
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('配置错误：PORT 必须是 0–65535 之间的整数（当前值 "x"）');
    expect(r.stdout).toBe("");
  });
});
