import { type RunningServer, startServer } from "../../src/cli/serve.ts";
import { loadConfig } from "../../src/config.ts";
import { parseDirectoryFile } from "../../src/domain/directory/file.ts";
import { importDirectory } from "../../src/domain/directory/sync.ts";
import type { Clock } from "../../src/lib/clock.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { createMessaging, type Messaging } from "../../src/platforms/messaging.ts";
import { type Runtime, startRuntime } from "../../src/runtime.ts";
import type { DingtalkSim } from "../sim/dingtalk/index.ts";

/** The real huibao server configured for a DingTalk simulator (enterprise robot, HTTP or Stream). */
export const DING_GROUP = "cidGroupXuanchuan==";
export const ROBOT_TOKEN = "sim-custom-robot-token";
export const ROBOT_SECRET = "SECsimcustomrobotsecret";

export const DING_DIRECTORY = `
units:
  - name: 市城市管理局宣传科
    aliases: [宣传科]
people:
  - name: 李四
    unit: 宣传科
    roles: [member]
    dingtalk: "0456"
groups:
  - name: 宣传科钉钉群
    platform: dingtalk
    chat_id: "${DING_GROUP}"
    unit: 宣传科
    webhook_key: ${ROBOT_TOKEN}
    webhook_secret: ${ROBOT_SECRET}
`;

export interface DingtalkBot {
  url: string;
  runtime: Runtime;
  messaging: Messaging;
  running: RunningServer;
  stop(): Promise<void>;
}

export async function startDingtalkBot(
  sim: DingtalkSim,
  opts: {
    clock: Clock;
    mode?: "http" | "stream";
    /** Directory YAML instead of DING_DIRECTORY. */
    directory?: string;
    /** The bot's outgoing HTTP (e.g. timeoutFetch for a shorter client timeout). */
    fetch?: typeof fetch;
    env?: Record<string, string>;
  },
): Promise<DingtalkBot> {
  const config = loadConfig({
    DATABASE_URL: "pglite:memory://",
    PORT: "0",
    HOST: "127.0.0.1",
    DINGTALK_APP_KEY: sim.app.appKey,
    DINGTALK_APP_SECRET: sim.app.appSecret,
    DINGTALK_ROBOT_CODE: sim.app.robotCode,
    DINGTALK_MODE: opts.mode ?? "http",
    DINGTALK_API_BASE: sim.apiUrl,
    DINGTALK_OAPI_BASE: sim.oapiUrl,
    ...opts.env,
  });
  const runtime = await startRuntime(config, createLogger("silent"), opts.clock);
  const parsed = parseDirectoryFile(opts.directory ?? DING_DIRECTORY);
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  await importDirectory(runtime.db.prisma, parsed.file);
  const messaging = createMessaging(runtime, opts.fetch ? { fetch: opts.fetch } : {});
  const running = await startServer(runtime, messaging.routers, () => messaging.stop());
  messaging.start();
  return { url: running.url, runtime, messaging, running, stop: () => running.stop() };
}
