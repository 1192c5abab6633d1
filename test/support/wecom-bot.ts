import { type RunningServer, startServer } from "../../src/cli/serve.ts";
import { loadConfig } from "../../src/config.ts";
import { parseDirectoryFile } from "../../src/domain/directory/file.ts";
import { importDirectory } from "../../src/domain/directory/sync.ts";
import type { Clock } from "../../src/lib/clock.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { createMessaging, type Messaging } from "../../src/platforms/messaging.ts";
import { type Runtime, startRuntime } from "../../src/runtime.ts";
import type { WecomSim } from "../sim/wecom/index.ts";

/** The real huibao server, configured for a WeCom simulator: AI bot callback plus self-built app. */
export const BOT = { token: "botToken123", aesKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG" };
export const APP = { token: "appToken456", aesKey: "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut" };
export const GROUP_CHAT = "wrGroupXuanchuan";
export const GROUP_KEY = "sim-webhook-key-xuanchuan";

export const DIRECTORY = `
units:
  - name: 市城市管理局宣传科
    aliases: [宣传科]
people:
  - name: 张三
    unit: 宣传科
    roles: [admin]
    wecom: zhangsan
groups:
  - name: 宣传科工作群
    platform: wecom
    chat_id: ${GROUP_CHAT}
    unit: 宣传科
    webhook_key: ${GROUP_KEY}
`;

export interface WecomBot {
  url: string;
  runtime: Runtime;
  messaging: Messaging;
  running: RunningServer;
  stop(): Promise<void>;
}

export async function startWecomBot(
  sim: WecomSim,
  opts: {
    clock: Clock;
    databaseUrl?: string;
    workers?: boolean;
    env?: Record<string, string>;
    /** Directory YAML instead of DIRECTORY. */
    directory?: string;
    /** The bot's outgoing HTTP (e.g. timeoutFetch for a shorter client timeout). */
    fetch?: typeof fetch;
  },
): Promise<WecomBot> {
  const config = loadConfig({
    DATABASE_URL: opts.databaseUrl ?? "pglite:memory://",
    PORT: "0",
    HOST: "127.0.0.1",
    BODY_LIMIT_KB: "64",
    WECOM_API_BASE: sim.url,
    WECOM_BOT_TOKEN: BOT.token,
    WECOM_BOT_AES_KEY: BOT.aesKey,
    WECOM_CORP_ID: sim.app.corpId,
    WECOM_APP_TOKEN: APP.token,
    WECOM_APP_AES_KEY: APP.aesKey,
    WECOM_APP_SECRET: sim.app.secret,
    WECOM_AGENT_ID: sim.app.agentId,
    ...opts.env,
  });
  const runtime = await startRuntime(config, createLogger("silent"), opts.clock);
  const parsed = parseDirectoryFile(opts.directory ?? DIRECTORY);
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  await importDirectory(runtime.db.prisma, parsed.file);
  const messaging = createMessaging(runtime, opts.fetch ? { fetch: opts.fetch } : {});
  const running = await startServer(runtime, messaging.routers, () => messaging.stop());
  if (opts.workers !== false) messaging.start();
  return { url: running.url, runtime, messaging, running, stop: () => running.stop() };
}

/** Polls until check() is truthy (the workers deliver asynchronously). */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 15_000,
): Promise<NonNullable<T>> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() - started > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * fetch that gives up after `ms` (on top of the client's own timeout, 10 s in production): lets a
 * test make "slower than the client waits" cost a second instead of ten. The clients see the abort
 * as a network error and retry, exactly as after their own timeout. The body is read here, under the
 * same limit, so that `onFailure` hears of every attempt whose answer the client never got (with the
 * request body): the only attempts a retry, and so a second copy, can follow.
 */
export function timeoutFetch(ms: number, onFailure?: (requestBody: string) => void): typeof fetch {
  return async (input, init) => {
    const limit = AbortSignal.timeout(ms);
    try {
      const res = await fetch(input, {
        ...init,
        signal: init?.signal ? AbortSignal.any([init.signal, limit]) : limit,
      });
      const text = await res.text();
      return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
    } catch (err) {
      onFailure?.(typeof init?.body === "string" ? init.body : "");
      throw err;
    }
  };
}
