import type { PlatformDeps, PlatformSetup } from "../setup-types.ts";
import { DingtalkApi } from "./api.ts";
import { decodeDingtalkMessage } from "./decode.ts";
import { DingtalkError } from "./errors.ts";
import { dingtalkReplyPlanner } from "./reply-planner.ts";
import { dingtalkRouter } from "./routes.ts";
import { dingtalkSenders } from "./senders.ts";
import { type DingtalkStream, startDingtalkStream } from "./stream-client.ts";

/** DingTalk's callback route or Stream connection, reply planner and outbox senders. */
export function setupDingtalk(deps: PlatformDeps): PlatformSetup {
  const { config, db, inbox, clock } = deps;
  const app = config.dingtalk.app;
  const logger = deps.logger.child({ platform: "dingtalk" });
  if (!app) return { routers: [], planners: {}, senders: {} };
  const api = new DingtalkApi({
    apiBase: config.dingtalk.apiBase,
    oapiBase: config.dingtalk.oapiBase,
    appKey: app.appKey,
    appSecret: app.appSecret,
    robotCode: app.robotCode,
    fetch: deps.fetch,
    clock,
    logger,
  });
  const routers =
    app.mode === "http"
      ? [
          dingtalkRouter({
            inbox,
            clock,
            logger,
            bodyLimitBytes: config.bodyLimitBytes,
            botNames: config.botNames,
            appSecret: app.appSecret,
            maxSkewSeconds: config.dingtalk.maxSkewSeconds,
            onRecorded: deps.onRecorded,
          }),
        ]
      : [];

  let stream: DingtalkStream | undefined;
  // Stream mode: store the callback like an HTTP one; the client acks the frame once this resolves.
  const onCallback = async (data: string) => {
    try {
      const decoded = decodeDingtalkMessage(data, { botNames: config.botNames, receivedAt: clock.now() });
      if ("ignored" in decoded) return;
      const { duplicate } = await inbox.record("dingtalk", decoded.message.botId, decoded.extras.dedupeKey, {
        message: decoded.message,
        extras: decoded.extras as unknown as Record<string, unknown>,
      });
      if (!duplicate) deps.onRecorded();
    } catch (err) {
      // A malformed callback will be malformed on every redelivery: drop it (the frame gets acked).
      // Anything else (the database) is thrown, so the frame stays un-acked and comes back.
      if (err instanceof DingtalkError)
        logger.warn({ reason: err.reason }, "dingtalk stream callback rejected");
      else throw err;
    }
  };

  return {
    routers,
    planners: { dingtalk: dingtalkReplyPlanner() },
    senders: dingtalkSenders({ api, db, clock }),
    ...(app.mode === "stream"
      ? {
          longConnection: {
            lease: `dingtalk.stream:${app.appKey}`,
            // Stream replies go out over HTTP (session webhook, OpenAPI): any replica can send them.
            channels: [],
            get connected() {
              return stream?.connected ?? false;
            },
            start() {
              if (stream) return;
              stream = startDingtalkStream({
                apiBase: config.dingtalk.apiBase,
                clientId: app.appKey,
                clientSecret: app.appSecret,
                clock,
                logger,
                fetch: deps.fetch,
                onCallback,
              });
            },
            async stop() {
              const closing = stream;
              stream = undefined;
              await closing?.close();
            },
          },
        }
      : {}),
  };
}
