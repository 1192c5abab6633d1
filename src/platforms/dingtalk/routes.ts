import Router from "@koa/router";
import type { Context } from "koa";
import type { Inbox } from "../../jobs/inbox.ts";
import type { Clock } from "../../lib/clock.ts";
import type { Logger } from "../../lib/logger.ts";
import { readBody } from "../../web/body.ts";
import { decodeDingtalkMessage } from "./decode.ts";
import { DingtalkError } from "./errors.ts";
import { verifyDingtalkCallback } from "./verify.ts";

/**
 * The enterprise robot's HTTP callback. The route only reads the raw body, verifies the signed
 * headers, decodes, records the message in the inbox and answers 200 with an empty body (which
 * DingTalk takes as "received, no synchronous reply"); the bot answers later from the stored record
 * through the sessionWebhook or the OpenAPI. HTTP-mode redelivery is undocumented: the inbox's
 * dedupe key makes a repeat harmless either way.
 */
export interface DingtalkRouteDeps {
  inbox: Inbox;
  clock: Clock;
  logger: Logger;
  bodyLimitBytes: number;
  botNames: readonly string[];
  appSecret: string;
  maxSkewSeconds: number;
  /** Called once a new message is stored, after the response is on its way. */
  onRecorded: () => void;
}

/** A rejected request: the status DingTalk sees, a log line saying why (never a secret or sign). */
function reject(ctx: Context, log: Logger, err: unknown): void {
  if (!(err instanceof DingtalkError)) throw err;
  ctx.status = err.status;
  ctx.body = "";
  log.warn({ reason: err.reason, detail: err.message, path: ctx.path }, "dingtalk callback rejected");
}

export function dingtalkRouter(deps: DingtalkRouteDeps): Router {
  const router = new Router();
  router.post("/dingtalk/bot", async (ctx) => {
    const log: Logger = ctx.state.log ?? deps.logger;
    const raw = await readBody(ctx, deps.bodyLimitBytes);
    const now = deps.clock.now();
    const verified = verifyDingtalkCallback({
      appSecret: deps.appSecret,
      timestamp: ctx.get("timestamp"),
      sign: ctx.get("sign"),
      now,
      maxSkewSeconds: deps.maxSkewSeconds,
    });
    if (!verified.ok) return reject(ctx, log, verified.error);

    let decoded: ReturnType<typeof decodeDingtalkMessage>;
    try {
      decoded = decodeDingtalkMessage(raw, { botNames: deps.botNames, receivedAt: now });
    } catch (err) {
      return reject(ctx, log, err);
    }
    if ("ignored" in decoded) {
      log.info({ reason: decoded.ignored, path: ctx.path }, "dingtalk callback ignored");
      ctx.status = 200;
      ctx.body = "";
      return;
    }

    const { message, extras } = decoded;
    const { duplicate } = await deps.inbox.record("dingtalk", message.botId, extras.dedupeKey, {
      message,
      extras: { ...extras },
    });
    // Only now: a 200 tells DingTalk the message is safe with us.
    ctx.status = 200;
    ctx.body = "";
    if (duplicate) {
      log.info({ dedupeKey: extras.dedupeKey }, "dingtalk duplicate delivery acknowledged");
      return;
    }
    // The conversation id is what an admin needs to add a new group to the directory.
    log.info(
      { chatId: message.chatId, chatType: message.chatType, chatName: message.chatName },
      "dingtalk message stored",
    );
    setImmediate(deps.onRecorded);
  });
  return router;
}
