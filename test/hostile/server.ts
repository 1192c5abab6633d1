import { type RunningServer, startServer } from "../../src/cli/serve.ts";
import { loadConfig } from "../../src/config.ts";
import { parseDirectoryFile } from "../../src/domain/directory/file.ts";
import { importDirectory } from "../../src/domain/directory/sync.ts";
import type { Clock } from "../../src/lib/clock.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { createMessaging } from "../../src/platforms/messaging.ts";
import { type Runtime, startRuntime } from "../../src/runtime.ts";
import type { WecomSim } from "../sim/wecom/index.ts";
import { APP, BOT, DIRECTORY } from "../support/wecom-bot.ts";

/**
 * The real server with every callback door open at once (WeCom AI bot and app, DingTalk HTTP), with
 * its error log kept for the test to read.
 */

export const DING = { appKey: "dingHostileKey", appSecret: "hostile-app-secret-0123456789abcdef" };
export const BODY_LIMIT_KB = 64;

export interface LogLine {
  level: number;
  msg?: string;
  err?: { type?: string; message?: string; stack?: string };
}

export interface HostileServer {
  url: string;
  port: number;
  runtime: Runtime;
  /** The error lines of its log. */
  log: LogLine[];
  stop(): Promise<void>;
}

export async function startHostileServer(sim: WecomSim, clock: Clock): Promise<HostileServer> {
  const config = loadConfig({
    DATABASE_URL: "pglite:memory://",
    PORT: "0",
    HOST: "127.0.0.1",
    BODY_LIMIT_KB: String(BODY_LIMIT_KB),
    WECOM_API_BASE: sim.url,
    WECOM_BOT_TOKEN: BOT.token,
    WECOM_BOT_AES_KEY: BOT.aesKey,
    WECOM_CORP_ID: sim.app.corpId,
    WECOM_APP_TOKEN: APP.token,
    WECOM_APP_AES_KEY: APP.aesKey,
    WECOM_APP_SECRET: sim.app.secret,
    WECOM_AGENT_ID: sim.app.agentId,
    DINGTALK_APP_KEY: DING.appKey,
    DINGTALK_APP_SECRET: DING.appSecret,
    DINGTALK_MODE: "http",
    // Nothing may be stored, so nothing is ever sent; a closed port makes any attempt fail loudly.
    DINGTALK_API_BASE: "http://127.0.0.1:9",
    DINGTALK_OAPI_BASE: "http://127.0.0.1:9",
  });
  const log: LogLine[] = [];
  const destination = {
    write(line: string) {
      log.push(JSON.parse(line) as LogLine);
    },
  };
  // Errors only: a log line per request would cost more than the request. Statuses come from /metrics.
  const runtime = await startRuntime(config, createLogger("error", destination), clock);
  const parsed = parseDirectoryFile(DIRECTORY);
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  await importDirectory(runtime.db.prisma, parsed.file);
  const messaging = createMessaging(runtime);
  const running: RunningServer = await startServer(runtime, messaging.routers, () => messaging.stop());
  messaging.start();
  return {
    url: running.url,
    port: Number(new URL(running.url).port),
    runtime,
    log,
    stop: () => running.stop(),
  };
}
