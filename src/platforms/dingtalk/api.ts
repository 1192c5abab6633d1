import { createHmac } from "node:crypto";
import type { Clock } from "../../lib/clock.ts";
import type { Json } from "../../lib/json.ts";
import { type Logger, safeUrl } from "../../lib/logger.ts";
import { type HttpCall, type HttpClient, httpCall, httpClient, scrubSecrets } from "../http-call.ts";
import { permanent, retryLater, type SendFailure, type SendResult, sent } from "../send-result.ts";
import { type FetchedToken, TokenCache, TokenError } from "../token-cache.ts";

/**
 * DingTalk's outgoing HTTP doors: the app access token (cached), the enterprise robot's
 * groupMessages/send and oToMessages/batchSend (api.dingtalk.com), the sessionWebhook of a callback
 * and the custom robot webhook (oapi.dingtalk.com). Every send ends in a SendResult, classified here
 * once, so the outbox only decides *when* to try again. fetch and the clock are injected (tests point
 * the bases at the loopback simulator). The HTTP plumbing and the token cache are shared with WeCom;
 * DingTalk's codes and URLs live here.
 *
 * The two hosts fail differently: api.dingtalk.com answers an HTTP error status with
 * `{code, message, requestid}`; oapi.dingtalk.com answers HTTP 200 with `{errcode, errmsg}`.
 */

export interface DingtalkApiOptions {
  /** https://api.dingtalk.com (DINGTALK_API_BASE), without a trailing slash. */
  apiBase: string;
  /** https://oapi.dingtalk.com (DINGTALK_OAPI_BASE). */
  oapiBase: string;
  appKey: string;
  appSecret: string;
  robotCode: string;
  fetch?: typeof fetch;
  clock: Clock;
  logger: Logger;
  /** Per request, body included. */
  timeoutMs?: number;
  /** Refresh the token this long before it expires (at most half its lifetime). */
  refreshEarlyMs?: number;
}

/** An enterprise robot message: msgKey sampleText {content} / sampleMarkdown {title, text}, … */
export interface RobotMessage {
  msgKey: string;
  /** The template parameters; DingTalk wants them as a JSON string, objects are stringified. */
  msgParam: string | Record<string, unknown>;
}

export class DingtalkTokenError extends TokenError {
  override readonly name = "DingtalkTokenError";
}

/** api.dingtalk.com throttles per second/minute (QPS limits): a minute is a safe pause. */
export const RATE_LIMIT_WAIT_MS = 60_000;
/** Custom robot: after 20 messages in a minute DingTalk refuses everything for 10 minutes. */
export const CUSTOM_ROBOT_LOCKOUT_MS = 10 * 60_000;

/** The api.dingtalk.com code for a missing, unknown or expired access token (status 400 or 401 seen). */
const TOKEN_REJECTED = "InvalidAuthentication";
const SIGN_REJECTED_REASON =
  "errcode 310000: signature/timestamp/keyword rejected: check webhook_secret and the robot's security settings";

/** oapi robot errcodes (shared/protocols.md; 300001 and -1 as reported by users of the live service). */
const ROBOT_ERRCODES: Record<number, (errcode: number) => SendFailure> = {
  [-1]: () => retryLater("errcode -1 (system busy)"),
  130101: () =>
    retryLater("errcode 130101 (send too fast: robot locked for 10 minutes)", {
      rateLimited: true,
      afterMs: CUSTOM_ROBOT_LOCKOUT_MS,
    }),
  310000: () => permanent(SIGN_REJECTED_REASON, { configError: true }),
  460101: () => permanent("errcode 460101 (message over 20000 bytes)"),
  300001: () =>
    permanent("errcode 300001 (robot access_token unknown: check webhook_url)", { configError: true }),
  40035: () => permanent("errcode 40035 (malformed message body)"),
};
/** Refusals about the message itself, not the door: the same body fails through any door. */
const CONTENT_ERRCODES = new Set([460101, 40035]);

/** The app has one token: its cache key. */
const APP_TOKEN = "app";

export class DingtalkApi {
  private readonly apiBase: string;
  private readonly oapiBase: string;
  private readonly http: HttpClient;
  private readonly log: Logger;
  private readonly tokens: TokenCache;

  constructor(private readonly options: DingtalkApiOptions) {
    this.apiBase = options.apiBase.replace(/\/+$/, "");
    this.oapiBase = options.oapiBase.replace(/\/+$/, "");
    this.http = httpClient({ ...options, rateLimitedOn429: true });
    this.log = options.logger.child({ component: "dingtalk-api" });
    this.tokens = new TokenCache(options.clock, options.refreshEarlyMs);
  }

  /** A valid app access token; throws DingtalkTokenError when DingTalk will not give one. */
  async accessToken(): Promise<string> {
    const got = await this.token();
    if (!got.ok) throw new DingtalkTokenError(got.result);
    return got.token;
  }

  invalidateToken(): void {
    this.tokens.forget();
  }

  /** Enterprise robot message into a group (the callback's conversationId is the openConversationId). */
  sendGroup(openConversationId: string, msg: RobotMessage): Promise<SendResult> {
    return this.robotCall("/v1.0/robot/groupMessages/send", { openConversationId, ...robotFields(msg) });
  }

  /**
   * Enterprise robot one-to-one message. DingTalk accepts the call and lists the users it skipped:
   * nobody reached → failure; some reached → sent, the rest logged (a retry would repeat the message
   * for the others, so callers that care send one user per call).
   */
  sendOneToOne(userIds: readonly string[], msg: RobotMessage): Promise<SendResult> {
    if (userIds.length === 0) return Promise.resolve(permanent("no recipient"));
    return this.robotCall("/v1.0/robot/oToMessages/batchSend", { userIds, ...robotFields(msg) }, (json) =>
      this.batchOutcome(userIds, json),
    );
  }

  /**
   * The sessionWebhook of a callback (text / markdown body). Past `expiresAt`
   * (sessionWebhookExpiredTime) it is not even tried. A refusal that is neither transient nor about
   * the content means the door is closed: the caller falls back to groupMessages/send.
   */
  async postSessionWebhook(url: string, body: Json, expiresAt?: number): Promise<SendResult> {
    if (!URL.canParse(url)) return permanent("sessionWebhook is not a URL", { doorClosed: true });
    if (expiresAt !== undefined && this.options.clock.now().getTime() >= expiresAt) {
      return permanent("sessionWebhook expired", { doorClosed: true });
    }
    const session = new URL(url).searchParams.get("session") ?? "";
    const call = await this.post(url, {}, body, [session]);
    if (!call.ok) {
      const r = call.result;
      return r.retry ? r : permanent(`sessionWebhook refused: ${r.reason}`, { doorClosed: true });
    }
    if (call.status >= 300) return permanent(`sessionWebhook HTTP ${call.status}`, { doorClosed: true });
    const errcode = errcodeOf(call.json);
    if (errcode === undefined) return retryLater(`unreadable answer (HTTP ${call.status})`);
    if (errcode === 0) return sent();
    const result = robotFailure(errcode);
    if (result.retry || CONTENT_ERRCODES.has(errcode)) return result;
    return permanent(`sessionWebhook closed: errcode ${errcode}`, { doorClosed: true });
  }

  /**
   * Custom robot webhook. Every request is signed afresh with the clock's time: a signature is only
   * good for an hour, so one computed at start-up fails later with 310000 (trap 5). Without a secret
   * the robot must use another security setting (keywords or IP list) and no signature is sent.
   */
  async sendCustomRobot(accessToken: string, secret: string | undefined, body: Json): Promise<SendResult> {
    let url = `${this.oapiBase}/robot/send?access_token=${encodeURIComponent(accessToken)}`;
    if (secret) {
      const timestamp = String(this.options.clock.now().getTime());
      url += `&timestamp=${timestamp}&sign=${encodeURIComponent(signDingtalk(secret, timestamp))}`;
    }
    const call = await this.post(url, {}, body, [accessToken, secret ?? ""]);
    if (!call.ok) return call.result;
    // oapi answers HTTP 200 for every robot-level refusal; another status means a wrong URL.
    if (call.status >= 300) return permanent(`HTTP ${call.status}: check webhook_url`, { configError: true });
    const errcode = errcodeOf(call.json);
    if (errcode === undefined) return retryLater(`unreadable answer (HTTP ${call.status})`);
    return errcode === 0 ? sent() : robotFailure(errcode);
  }

  /** POST to an api.dingtalk.com robot route; a rejected token is refreshed and the call retried once. */
  private async robotCall(
    path: string,
    fields: Json,
    outcome: (json: Json) => SendResult = () => sent(),
  ): Promise<SendResult> {
    const body = { robotCode: this.options.robotCode, ...fields };
    for (let attempt = 1; ; attempt++) {
      const got = await this.token();
      if (!got.ok) return got.result;
      const call = await this.post(
        `${this.apiBase}${path}`,
        { "x-acs-dingtalk-access-token": got.token },
        body,
        [got.token],
      );
      if (!call.ok) return call.result;
      if (call.status >= 200 && call.status < 300) {
        return call.json ? outcome(call.json) : retryLater(`unreadable answer (HTTP ${call.status})`);
      }
      const code = typeof call.json?.code === "string" ? call.json.code : "";
      if (code !== TOKEN_REJECTED) return apiFailure(call.status, code);
      this.tokens.rejected(APP_TOKEN, got.token);
      if (attempt >= 2) {
        return retryLater(`HTTP ${call.status} ${code} (token rejected after refresh)`, {
          afterMs: RATE_LIMIT_WAIT_MS,
        });
      }
    }
  }

  private batchOutcome(userIds: readonly string[], json: Json): SendResult {
    const invalid = stringList(json.invalidStaffIdList);
    const throttled = stringList(json.flowControlledStaffIdList);
    const reached = userIds.filter((u) => !invalid.includes(u) && !throttled.includes(u));
    if (reached.length === userIds.length) return sent();
    this.log.warn(
      { reached: reached.length, invalid: invalid.length, flowControlled: throttled.length },
      "batchSend skipped some users",
    );
    if (reached.length > 0) return sent();
    if (throttled.length > 0) {
      return retryLater("batchSend: recipients flow-controlled", {
        rateLimited: true,
        afterMs: RATE_LIMIT_WAIT_MS,
      });
    }
    return permanent("batchSend: no valid recipient (userIds not in the organisation)");
  }

  private token() {
    return this.tokens.get(APP_TOKEN, () => this.fetchToken());
  }

  private async fetchToken(): Promise<FetchedToken> {
    const { appKey, appSecret } = this.options;
    const call = await this.post(`${this.apiBase}/v1.0/oauth2/accessToken`, {}, { appKey, appSecret }, [
      appSecret,
    ]);
    const failure = tokenFailure(call);
    if (failure) return { ok: false, result: failure };
    const json = (call as { json: Json }).json;
    this.log.debug({ appKey }, "dingtalk access token refreshed");
    return { ok: true, token: json.accessToken as string, ttlMs: (json.expireIn as number) * 1000 };
  }

  /** One HTTP exchange. Network failures and 5xx are classified here; other statuses go back up. */
  private async post(
    url: string,
    headers: Record<string, string>,
    body: Json,
    secrets: string[],
  ): Promise<HttpCall> {
    const where = logUrl(url);
    const call = await httpCall(this.http, url, { method: "POST", headers, body });
    if (!call.ok) {
      this.log.warn({ url: where, reason: call.result.reason }, "dingtalk api call failed");
      return call;
    }
    const { status, json } = call;
    if (status >= 300 || (typeof json?.errcode === "number" && json.errcode !== 0)) {
      const code = json?.code ?? json?.errcode;
      const message = json?.message ?? json?.errmsg;
      this.log.warn(
        { url: where, status, code, message: scrubSecrets(String(message ?? ""), secrets) },
        "dingtalk api refused",
      );
    } else {
      this.log.debug({ url: where, status }, "dingtalk api ok");
    }
    return call;
  }
}

/** base64(HmacSHA256(key = secret, msg = timestamp + "\n" + secret)), not yet URL-encoded. */
function signDingtalk(secret: string, timestamp: string): string {
  return createHmac("sha256", secret).update(`${timestamp}\n${secret}`).digest("base64");
}

function robotFields(msg: RobotMessage): Json {
  const msgParam = typeof msg.msgParam === "string" ? msg.msgParam : JSON.stringify(msg.msgParam);
  return { msgKey: msg.msgKey, msgParam };
}

function robotFailure(errcode: number): SendFailure {
  return ROBOT_ERRCODES[errcode]?.(errcode) ?? permanent(`errcode ${errcode}`);
}

/** An api.dingtalk.com refusal (not 5xx/408/429, not the token) → what the outbox should do. */
function apiFailure(status: number, code: string): SendFailure {
  const reason = `HTTP ${status}${code ? ` ${code}` : ""}`;
  // Throttling codes (Forbidden.AccessDenied.QpsLimitForApi…) come with 403: UNVERIFIED spelling.
  if (/qpslimit|throttl|flowcontrol|ratelimit/i.test(code)) {
    return retryLater(reason, { rateLimited: true, afterMs: RATE_LIMIT_WAIT_MS });
  }
  // 401/403: permissions, IP allow-list, app not allowed to use the robot; 404: a wrong base URL.
  if (status === 401 || status === 403 || status === 404) return permanent(reason, { configError: true });
  // A robotCode that is not this app's robot is a setting, not a bad message.
  if (/robot/i.test(code)) return permanent(`${reason}: check DINGTALK_ROBOT_CODE`, { configError: true });
  return permanent(reason);
}

function tokenFailure(call: HttpCall): SendFailure | undefined {
  if (!call.ok) return call.result;
  if (call.status >= 300) {
    const code = typeof call.json?.code === "string" ? ` ${call.json.code}` : "";
    return permanent(
      `accessToken refused (HTTP ${call.status}${code}): check DINGTALK_APP_KEY and DINGTALK_APP_SECRET`,
      { configError: true },
    );
  }
  const json = call.json;
  if (typeof json?.accessToken !== "string" || json.accessToken === "") {
    return retryLater("accessToken answer without accessToken");
  }
  if (typeof json.expireIn !== "number" || !(json.expireIn > 0)) {
    return retryLater("accessToken answer without expireIn");
  }
  return undefined;
}

const errcodeOf = (json: Json | undefined): number | undefined =>
  typeof json?.errcode === "number" ? json.errcode : undefined;

const stringList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === "string") : []);

/** safeUrl, plus the session id of a sessionWebhook: whoever holds it can post into the chat. */
const logUrl = (url: string) => safeUrl(url).replace(/([?&]session=)[^&]*/gi, "$1***");
