import type { PlatformDeps, PlatformSetup } from "../setup-types.ts";
import { WecomApi } from "./api.ts";
import { wecomReplyPlanner } from "./reply-planner.ts";
import { wecomRouter } from "./routes.ts";
import { wecomSenders } from "./senders.ts";
import { wecomWsGateway } from "./ws-gateway.ts";
import { WS_CHANNELS } from "./ws-senders.ts";

// Reconnecting would only kick the other connection back, and so on: a person has to choose.
const KICKED =
  "企业微信智能机器人的长连接被另一处连接顶掉了：同一个机器人（WECOM_BOT_ID）在别的地方也在运行。" +
  "请停掉那一处，再重启本服务；在这之前，要经长连接发出的消息会一直排队。";

export type { PlatformDeps, PlatformSetup } from "../setup-types.ts";

/** WeCom's routes, reply planner and outbox senders, from the configuration. */
export function setupWecom(deps: PlatformDeps): PlatformSetup {
  const { config, db, inbox, clock } = deps;
  const logger = deps.logger.child({ platform: "wecom" });
  const api = new WecomApi({ baseUrl: config.wecom.apiBase, fetch: deps.fetch, clock, logger });
  const appConfig = config.wecom.app;
  const app =
    appConfig?.agentId && appConfig.secret
      ? { corpId: appConfig.corpId, agentId: appConfig.agentId, secret: appConfig.secret }
      : undefined;
  if (appConfig && !app) {
    logger.warn(
      "WeCom app callback is configured without WECOM_APP_SECRET or WECOM_AGENT_ID: it can hear, not answer",
    );
  }
  const bot = config.wecom.bot;
  const router = wecomRouter({
    inbox,
    clock,
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    botNames: config.botNames,
    maxSkewSeconds: config.wecom.maxSkewSeconds,
    bot:
      bot?.mode === "http" && bot.token && bot.aesKey ? { token: bot.token, aesKey: bot.aesKey } : undefined,
    app: appConfig
      ? {
          corpId: appConfig.corpId,
          token: appConfig.token,
          aesKey: appConfig.aesKey,
          agentId: appConfig.agentId,
        }
      : undefined,
    onRecorded: deps.onRecorded,
  });
  // WECOM_BOT_MODE=ws: the long connection takes the place of the /wecom/bot route.
  const ws =
    bot?.mode === "ws" && bot.botId && bot.secret
      ? {
          botId: bot.botId,
          gateway: wecomWsGateway({
            url: bot.wsUrl,
            botId: bot.botId,
            secret: bot.secret,
            botNames: config.botNames,
            inbox,
            clock,
            logger,
            onRecorded: deps.onRecorded,
          }),
        }
      : undefined;
  return {
    routers: [router],
    planners: { wecom: wecomReplyPlanner(app, ws ? { botId: ws.botId } : undefined) },
    senders: wecomSenders({
      api,
      db,
      clock,
      app,
      ...(ws ? { wsConnection: () => ws.gateway.connection } : {}),
    }),
    ...(ws
      ? {
          longConnection: {
            lease: `wecom.ws:${ws.botId}`,
            channels: WS_CHANNELS,
            get connected() {
              return ws.gateway.connection?.connected ?? false;
            },
            get problem() {
              return ws.gateway.connection?.state === "kicked" ? KICKED : undefined;
            },
            start: () => ws.gateway.start(),
            stop: () => ws.gateway.stop(),
          },
        }
      : {}),
  };
}
