import Router from "@koa/router";
import type { Context } from "koa";
import type { Inbox } from "../../jobs/inbox.ts";
import type { Clock } from "../../lib/clock.ts";
import type { Logger } from "../../lib/logger.ts";
import { readBody } from "../../web/body.ts";
import { readQueryParams, verifyAndDecrypt } from "./crypto.ts";
import { decodeAppMessage, decodeBotMessage, parseAppEnvelope, parseBotEnvelope } from "./decode.ts";
import { WecomError } from "./errors.ts";

/**
 * The WeCom callback routes. Each one only reads the raw request, verifies, decrypts, decodes,
 * records the message in the inbox and answers 200 with an empty body; the bot answers later from
 * the stored record (WeCom gives us 5 s and retries three times otherwise).
 */
export interface WecomRouteDeps {
  inbox: Inbox;
  clock: Clock;
  logger: Logger;
  bodyLimitBytes: number;
  botNames: readonly string[];
  maxSkewSeconds: number;
  bot?: { token: string; aesKey: string };
  app?: { corpId: string; token: string; aesKey: string; agentId?: string };
  /** Called once a new message is stored, after the response is on its way. */
  onRecorded: () => void;
}

interface Credentials {
  token: string;
  aesKey: string;
  receiveId: string;
}

const QUERY_NAMES = ["msg_signature", "timestamp", "nonce", "echostr"] as const;
const query = (ctx: Context) => readQueryParams(ctx.querystring, QUERY_NAMES);

/** A rejected request: the status WeCom sees, a log line saying why (never a secret), nothing stored. */
function reject(ctx: Context, log: Logger, err: unknown): void {
  if (err instanceof WecomError) {
    ctx.status = err.status === 500 ? 500 : err.status;
    ctx.body = "";
    log.warn({ code: err.code, reason: err.message, path: ctx.path }, "wecom callback rejected");
    return;
  }
  throw err;
}

export function wecomRouter(deps: WecomRouteDeps): Router {
  const router = new Router();

  const verifyUrl = (creds: Credentials) => async (ctx: Context) => {
    const q = query(ctx);
    try {
      const plain = verifyAndDecrypt({
        ...creds,
        query: q,
        encrypt: q.echostr ?? "",
        now: deps.clock.now(),
        maxSkewSeconds: deps.maxSkewSeconds,
      });
      ctx.type = "text/plain";
      ctx.body = plain;
    } catch (err) {
      reject(ctx, ctx.state.log ?? deps.logger, err);
    }
  };

  const accept = async (ctx: Context, platformBotId: string, dedupeKey: string, payload: object) => {
    const { duplicate } = await deps.inbox.record("wecom", platformBotId, dedupeKey, payload as never);
    ctx.status = 200;
    ctx.body = "";
    const log: Logger = ctx.state.log ?? deps.logger;
    if (duplicate) {
      log.info({ dedupeKey }, "wecom duplicate delivery acknowledged");
      return;
    }
    // The chat id is what an admin needs to add a new group to the directory.
    const m = (payload as { message: { chatId: string; chatType: string } }).message;
    log.info({ chatId: m.chatId, chatType: m.chatType }, "wecom message stored");
    setImmediate(deps.onRecorded);
  };

  type Decoded = { message: { botId: string }; extras: { dedupeKey: string } } | { ignored: string };
  const messageRoute =
    (
      creds: Credentials,
      envelope: (raw: string) => { encrypt: string },
      decode: (plain: string) => Decoded,
    ) =>
    async (ctx: Context) => {
      const log: Logger = ctx.state.log ?? deps.logger;
      const raw = await readBody(ctx, deps.bodyLimitBytes);
      let decoded: Decoded;
      try {
        const { encrypt } = envelope(raw);
        const now = deps.clock.now();
        const plain = verifyAndDecrypt({
          ...creds,
          query: query(ctx),
          encrypt,
          now,
          maxSkewSeconds: deps.maxSkewSeconds,
        });
        decoded = decode(plain);
      } catch (err) {
        return reject(ctx, log, err);
      }
      if ("ignored" in decoded) {
        log.info({ reason: decoded.ignored, path: ctx.path }, "wecom callback ignored");
        ctx.status = 200;
        ctx.body = "";
        return;
      }
      await accept(ctx, decoded.message.botId, decoded.extras.dedupeKey, decoded);
    };

  if (deps.bot) {
    const creds = { ...deps.bot, receiveId: "" };
    router.get("/wecom/bot", verifyUrl(creds));
    router.post(
      "/wecom/bot",
      messageRoute(creds, parseBotEnvelope, (plain) =>
        decodeBotMessage(plain, { botNames: deps.botNames, receivedAt: deps.clock.now() }),
      ),
    );
  }

  if (deps.app) {
    const app = deps.app;
    const creds = { token: app.token, aesKey: app.aesKey, receiveId: app.corpId };
    router.get("/wecom/app", verifyUrl(creds));
    router.post(
      "/wecom/app",
      messageRoute(creds, parseAppEnvelope, (plain) =>
        decodeAppMessage(plain, { receivedAt: deps.clock.now(), agentId: app.agentId }),
      ),
    );
  }
  return router;
}
