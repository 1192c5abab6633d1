import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { z } from "zod";
import type { DomainSettings } from "./bot/command.ts";

/**
 * All settings, parsed once from the environment (plus an optional .env file) at start-up.
 * Every other module receives the typed Config; nothing else reads process.env.
 */

const isZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const intIn = (min: number, max: number, def: number) =>
  z
    .string()
    .trim()
    .default(String(def))
    .refine((v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max, {
      message: `必须是 ${min}–${max} 之间的整数`,
    })
    .transform(Number);

const aesKey = optionalText.refine((v) => v === undefined || /^[A-Za-z0-9+/]{43}$/.test(v), {
  message: "必须是 43 个字符的 EncodingAESKey（字母、数字、+、/）",
});

const httpUrl = (def: string) =>
  z
    .string()
    .trim()
    .default(def)
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v), { message: "必须是 http:// 或 https:// 开头的地址" })
    .transform((v) => v.replace(/\/+$/, ""));

// A WebSocket address is kept as written: its path may matter (a test gateway lives under /ws).
const wsUrl = (def: string) =>
  z
    .string()
    .trim()
    .default(def)
    .refine((v) => /^wss?:\/\/[^\s/]+(\/[^\s]*)?$/.test(v), { message: "必须是 ws:// 或 wss:// 开头的地址" });

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "7d,1d,2h" → milliseconds, largest first. Empty means none. */
const durations = (def: string) =>
  z
    .string()
    .trim()
    .default(def)
    .refine((v) => v === "" || v.split(/[,，]/).every((p) => /^\s*\d{1,4}\s*[mhd]\s*$/.test(p)), {
      message: "必须是用逗号分开的时长，例如 7d,1d,2h（d 天、h 小时、m 分钟）",
    })
    .transform((v) =>
      v === ""
        ? []
        : v
            .split(/[,，]/)
            .map((p) => p.trim())
            .map((p) => Number(p.slice(0, -1)) * (UNIT_MS[p.slice(-1)] ?? 0))
            .sort((a, b) => b - a),
    );

const WEEKDAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];

/** "MON 09:00" → ISO weekday and time; "off" → no weekly digest. */
const weeklyAt = (def: string) =>
  z
    .string()
    .trim()
    .default(def)
    .refine((v) => /^(off|(mon|tue|wed|thu|fri|sat|sun)\s+([01]?\d|2[0-3]):[0-5]\d)$/i.test(v), {
      message: "必须是“星期 时:分”，例如 MON 09:00（MON…SUN）；off 表示不发",
    })
    .transform((v) => {
      const m = /^(\w{3})\s+(\d{1,2}):(\d{2})$/.exec(v);
      if (!m) return null;
      const weekday = WEEKDAYS.indexOf((m[1] as string).toUpperCase()) + 1;
      return { weekday, hour: Number(m[2]), minute: Number(m[3]) };
    });

const schema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .default("pglite:./data/pglite")
    .refine((v) => /^(pglite:|postgres(ql)?:\/\/)/.test(v), {
      message: "必须以 pglite:（内置数据库）或 postgresql:// 开头",
    }),
  PORT: intIn(0, 65535, 3000),
  HOST: z.string().trim().default("0.0.0.0"),
  BOT_TIMEZONE: z
    .string()
    .trim()
    .default("Asia/Shanghai")
    .refine(isZone, { message: "不是有效的 IANA 时区名（例如 Asia/Shanghai）" }),
  BOT_LOCALE: z.enum(["zh", "en"], { message: "只能是 zh 或 en" }).default("zh"),
  BOT_NAMES: z
    .string()
    .default("汇报,汇报助手,huibao")
    .transform((v) =>
      v
        .split(/[,，]/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ADMIN_TOKEN: optionalText.refine((v) => v === undefined || v.length >= 16, {
    message: "太短：至少 16 个字符",
  }),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      message: "只能是 fatal、error、warn、info、debug、trace 或 silent",
    })
    .default("info"),
  BODY_LIMIT_KB: intIn(1, 10240, 256),
  SHUTDOWN_TIMEOUT_MS: intIn(100, 60000, 8000),
  OUTBOX_RATE_PER_MIN: intIn(1, 10000, 20),
  OUTBOX_MAX_ATTEMPTS: intIn(1, 100, 8),
  INBOX_MAX_ATTEMPTS: intIn(1, 20, 3),
  LEADER_LEASE_S: intIn(3, 600, 30),
  EVENT_REMIND_BEFORE: durations("7d,1d,2h"),
  EVENT_REMIND_BEFORE_LECTURE: optionalText.pipe(durations("").optional()),
  EVENT_REMIND_BEFORE_PRESS_CONFERENCE: optionalText.pipe(durations("").optional()),
  EVENT_REMIND_WORKDAYS_ONLY: z
    .enum(["true", "false"], { message: "只能是 true 或 false" })
    .default("true")
    .transform((v) => v === "true"),
  APPROVAL_REMIND_AFTER: durations("2h"),
  APPROVAL_REMIND_BEFORE_DEADLINE: durations("1h"),
  DIGEST_SCHEDULE: weeklyAt("MON 09:00"),
  HOLIDAYS_FILE: optionalText,
  REPORTS_DIR: z
    .string()
    .trim()
    .default("./reports")
    .refine((v) => v !== "", { message: "不能为空" }),

  WECOM_API_BASE: httpUrl("https://qyapi.weixin.qq.com"),
  WECOM_BOT_MODE: z.enum(["http", "ws"], { message: "只能是 http 或 ws" }).default("http"),
  WECOM_BOT_TOKEN: optionalText,
  WECOM_BOT_AES_KEY: aesKey,
  WECOM_BOT_ID: optionalText,
  WECOM_BOT_SECRET: optionalText,
  WECOM_WS_URL: wsUrl("wss://openws.work.weixin.qq.com"),
  WECOM_MAX_SKEW_S: intIn(0, 86400 * 365, 0),
  WECOM_CORP_ID: optionalText,
  WECOM_APP_TOKEN: optionalText,
  WECOM_APP_AES_KEY: aesKey,
  WECOM_APP_SECRET: optionalText,
  WECOM_AGENT_ID: optionalText.refine((v) => v === undefined || /^\d+$/.test(v), { message: "必须是数字" }),

  DINGTALK_MODE: z.enum(["http", "stream"], { message: "只能是 http 或 stream" }).default("http"),
  DINGTALK_APP_KEY: optionalText,
  DINGTALK_APP_SECRET: optionalText,
  DINGTALK_ROBOT_CODE: optionalText,
  DINGTALK_MAX_SKEW_S: intIn(1, 86400, 3600),
  DINGTALK_API_BASE: httpUrl("https://api.dingtalk.com"),
  DINGTALK_OAPI_BASE: httpUrl("https://oapi.dingtalk.com"),
});

type Raw = z.output<typeof schema>;

export interface Config {
  databaseUrl: string;
  port: number;
  host: string;
  timezone: string;
  locale: "zh" | "en";
  botNames: string[];
  adminToken: string | undefined;
  logLevel: Raw["LOG_LEVEL"];
  bodyLimitBytes: number;
  shutdownTimeoutMs: number;
  outbox: { ratePerMinute: number; maxAttempts: number };
  inbox: { maxAttempts: number };
  /** The administrator's holiday file (src/lib/holiday-file.ts), read at start-up. */
  holidaysFile: string | undefined;
  /** How long a replica holds a long connection without renewing before another may take it over. */
  leaderLeaseMs: number;
  settings: DomainSettings;
  wecom: {
    apiBase: string;
    maxSkewSeconds: number;
    bot?: {
      mode: "http" | "ws";
      token?: string;
      aesKey?: string;
      botId?: string;
      secret?: string;
      /** The long connection's gateway (WECOM_WS_URL), used when mode is "ws". */
      wsUrl: string;
    };
    app?: { corpId: string; token: string; aesKey: string; secret?: string; agentId?: string };
  };
  dingtalk: {
    apiBase: string;
    oapiBase: string;
    maxSkewSeconds: number;
    app?: { mode: "http" | "stream"; appKey: string; appSecret: string; robotCode: string };
  };
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`配置错误：${variable} ${reason}`);
    this.name = "ConfigError";
  }
}

/** Names of settings that must never be printed. */
export const SECRET_SETTINGS = [
  "ADMIN_TOKEN",
  "WECOM_BOT_TOKEN",
  "WECOM_BOT_AES_KEY",
  "WECOM_BOT_SECRET",
  "WECOM_APP_TOKEN",
  "WECOM_APP_AES_KEY",
  "WECOM_APP_SECRET",
  "DINGTALK_APP_SECRET",
] as const;

function requireTogether(raw: Raw, names: (keyof Raw)[], what: string): boolean {
  const present = names.filter((n) => raw[n] !== undefined);
  if (present.length === 0) return false;
  const missing = names.find((n) => raw[n] === undefined);
  if (missing)
    throw new ConfigError(missing, `未设置：配置${what}时它是必需的（已设置 ${present.join("、")}）`);
  return true;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = String(issue?.path[0] ?? "?");
    const value = env[variable];
    const shown =
      value === undefined || (SECRET_SETTINGS as readonly string[]).includes(variable)
        ? ""
        : `（当前值 "${value}"）`;
    throw new ConfigError(variable, `${issue?.message ?? "无效"}${shown}`);
  }
  const raw = result.data;
  const botHttp =
    raw.WECOM_BOT_MODE === "http" &&
    requireTogether(raw, ["WECOM_BOT_TOKEN", "WECOM_BOT_AES_KEY"], "企业微信智能机器人（HTTP 回调）");
  const botWs =
    raw.WECOM_BOT_MODE === "ws" &&
    requireTogether(raw, ["WECOM_BOT_ID", "WECOM_BOT_SECRET"], "企业微信智能机器人（长连接）");
  if (raw.WECOM_BOT_MODE === "ws" && !botWs) {
    throw new ConfigError("WECOM_BOT_ID", "未设置：WECOM_BOT_MODE=ws 需要 WECOM_BOT_ID 和 WECOM_BOT_SECRET");
  }
  const app = requireTogether(
    raw,
    ["WECOM_CORP_ID", "WECOM_APP_TOKEN", "WECOM_APP_AES_KEY"],
    "企业微信自建应用回调",
  );
  const ding = requireTogether(raw, ["DINGTALK_APP_KEY", "DINGTALK_APP_SECRET"], "钉钉机器人");
  if (raw.DINGTALK_MODE === "stream" && !ding) {
    throw new ConfigError(
      "DINGTALK_APP_KEY",
      "未设置：DINGTALK_MODE=stream 需要 DINGTALK_APP_KEY 和 DINGTALK_APP_SECRET",
    );
  }
  return {
    databaseUrl: raw.DATABASE_URL,
    port: raw.PORT,
    host: raw.HOST,
    timezone: raw.BOT_TIMEZONE,
    locale: raw.BOT_LOCALE,
    botNames: raw.BOT_NAMES,
    adminToken: raw.ADMIN_TOKEN,
    logLevel: raw.LOG_LEVEL,
    bodyLimitBytes: raw.BODY_LIMIT_KB * 1024,
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS,
    outbox: { ratePerMinute: raw.OUTBOX_RATE_PER_MIN, maxAttempts: raw.OUTBOX_MAX_ATTEMPTS },
    inbox: { maxAttempts: raw.INBOX_MAX_ATTEMPTS },
    leaderLeaseMs: raw.LEADER_LEASE_S * 1000,
    holidaysFile: raw.HOLIDAYS_FILE,
    settings: {
      eventRemindBefore: {
        default: raw.EVENT_REMIND_BEFORE,
        ...(raw.EVENT_REMIND_BEFORE_LECTURE ? { lecture: raw.EVENT_REMIND_BEFORE_LECTURE } : {}),
        ...(raw.EVENT_REMIND_BEFORE_PRESS_CONFERENCE
          ? { press_conference: raw.EVENT_REMIND_BEFORE_PRESS_CONFERENCE }
          : {}),
      },
      eventRemindWorkdaysOnly: raw.EVENT_REMIND_WORKDAYS_ONLY,
      approvalRemindAfter: raw.APPROVAL_REMIND_AFTER,
      approvalRemindBeforeDeadline: raw.APPROVAL_REMIND_BEFORE_DEADLINE,
      digestSchedule: raw.DIGEST_SCHEDULE,
      reportsDir: raw.REPORTS_DIR,
    },
    wecom: {
      apiBase: raw.WECOM_API_BASE,
      maxSkewSeconds: raw.WECOM_MAX_SKEW_S,
      bot:
        botHttp || botWs
          ? {
              mode: raw.WECOM_BOT_MODE,
              token: raw.WECOM_BOT_TOKEN,
              aesKey: raw.WECOM_BOT_AES_KEY,
              botId: raw.WECOM_BOT_ID,
              secret: raw.WECOM_BOT_SECRET,
              wsUrl: raw.WECOM_WS_URL,
            }
          : undefined,
      app: app
        ? {
            corpId: raw.WECOM_CORP_ID as string,
            token: raw.WECOM_APP_TOKEN as string,
            aesKey: raw.WECOM_APP_AES_KEY as string,
            secret: raw.WECOM_APP_SECRET,
            agentId: raw.WECOM_AGENT_ID,
          }
        : undefined,
    },
    dingtalk: {
      apiBase: raw.DINGTALK_API_BASE,
      oapiBase: raw.DINGTALK_OAPI_BASE,
      maxSkewSeconds: raw.DINGTALK_MAX_SKEW_S,
      app: ding
        ? {
            mode: raw.DINGTALK_MODE,
            appKey: raw.DINGTALK_APP_KEY as string,
            appSecret: raw.DINGTALK_APP_SECRET as string,
            robotCode: raw.DINGTALK_ROBOT_CODE ?? (raw.DINGTALK_APP_KEY as string),
          }
        : undefined,
    },
  };
}

/**
 * The environment with a .env file merged under it (real environment variables win), so that
 * `npm start` picks up local settings without a dependency.
 */
export function environmentWithDotenv(
  env: NodeJS.ProcessEnv = process.env,
  file = ".env",
): Record<string, string | undefined> {
  if (!existsSync(file)) return env;
  const fromFile = parseEnv(readFileSync(file, "utf8"));
  return { ...fromFile, ...env };
}

/** Which platforms are configured, for the start-up banner (never shows secrets). */
export function describePlatforms(config: Config): string[] {
  const out: string[] = [];
  if (config.wecom.bot)
    out.push(`企业微信智能机器人（${config.wecom.bot.mode === "ws" ? "长连接" : "HTTP 回调 /wecom/bot"}）`);
  if (config.wecom.app) out.push("企业微信自建应用（/wecom/app）");
  if (config.dingtalk.app)
    out.push(
      `钉钉机器人（${config.dingtalk.app.mode === "stream" ? "Stream 模式" : "HTTP 回调 /dingtalk/bot"}）`,
    );
  return out;
}
