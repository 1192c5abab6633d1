import { createHash } from "node:crypto";
import type { Clock } from "../../lib/clock.ts";
import { type Logger, safeUrl } from "../../lib/logger.ts";
import { type HttpClient, httpCall, httpClient, scrubSecrets } from "../http-call.ts";
import { permanent, retryLater, type SendFailure, type SendResult, sent } from "../send-result.ts";
import { type FetchedToken, TokenCache, TokenError } from "../token-cache.ts";

/**
 * WeCom's outgoing HTTP APIs: access token (cached), app message/send, group robot webhook, the AI
 * bot's response_url. Every call ends in a SendResult: failures are classified here, once, so the
 * outbox only decides *when* to try again. fetch and the clock are injected (tests point baseUrl at
 * the loopback simulator). The HTTP plumbing and the token cache are shared with DingTalk; WeCom's
 * errcodes and URLs live here.
 */

export interface WecomApiOptions {
  /** https://qyapi.weixin.qq.com (or the simulator), without a trailing slash. */
  baseUrl: string;
  fetch?: typeof fetch;
  clock: Clock;
  logger: Logger;
  /** Per request, body included. */
  timeoutMs?: number;
  /** Refresh a token this long before WeCom says it expires (at most half its lifetime). */
  refreshEarlyMs?: number;
}

export interface AppMessage {
  corpId: string;
  secret: string;
  agentId: string | number;
  /** One userid, or several joined by "|". */
  toUser: string;
  msgtype: "text" | "markdown";
  content: string;
}

export class WecomTokenError extends TokenError {
  override readonly name = "WecomTokenError";
}

/** WeCom's frequency limits count per minute (the webhook: 20 per minute per robot). */
export const RATE_LIMIT_WAIT_MS = 60_000;

type Kind = "retry" | "rate" | "config" | "content" | "permanent";

/** errcodes we know (developer.work.weixin.qq.com/document/path/90313); any other non-zero is permanent. */
const ERRCODES: Record<number, { label: string; kind: Kind }> = {
  [-1]: { label: "system busy", kind: "retry" },
  45009: { label: "frequency limit", kind: "rate" },
  45033: { label: "concurrency limit", kind: "rate" },
  40001: { label: "invalid secret", kind: "config" },
  40013: { label: "invalid corpid", kind: "config" },
  40056: { label: "invalid agentid", kind: "config" },
  48002: { label: "API forbidden for this app", kind: "config" },
  60020: { label: "server IP not trusted by the app", kind: "config" },
  93000: { label: "invalid webhook key", kind: "config" },
  40008: { label: "invalid msgtype", kind: "content" },
  40035: { label: "invalid parameter", kind: "content" },
  44004: { label: "empty content", kind: "content" },
  45002: { label: "content too long", kind: "content" },
  81013: { label: "no valid recipient", kind: "permanent" },
};

/** The token we sent is stale (42001) or unknown (40014, e.g. the secret was reset). */
const TOKEN_REJECTED = new Set([40014, 42001]);

function classify(errcode: number): { result: SendFailure; kind: Kind } {
  const known = ERRCODES[errcode];
  const kind = known?.kind ?? "permanent";
  const reason = known ? `errcode ${errcode} (${known.label})` : `errcode ${errcode}`;
  switch (kind) {
    case "retry":
      return { kind, result: retryLater(reason) };
    case "rate":
      return { kind, result: retryLater(reason, { rateLimited: true, afterMs: RATE_LIMIT_WAIT_MS }) };
    case "config":
      return { kind, result: permanent(reason, { configError: true }) };
    default:
      return { kind, result: permanent(reason) };
  }
}

type Answer = Record<string, unknown> & { errcode: number };
type Call = { ok: true; answer: Answer } | { ok: false; result: SendFailure };

/** safeUrl, plus the response_code: whoever holds it can answer in our name once. */
const logUrl = (url: string) => safeUrl(url).replace(/([?&]response_code=)[^&]*/gi, "$1***");

export class WecomApi {
  private readonly base: string;
  private readonly http: HttpClient;
  private readonly logger: Logger;
  private readonly tokens: TokenCache;

  constructor(options: WecomApiOptions) {
    this.base = options.baseUrl.replace(/\/+$/, "");
    this.http = httpClient(options);
    this.logger = options.logger;
    this.tokens = new TokenCache(options.clock, options.refreshEarlyMs);
  }

  /** A valid access token for the app; throws WecomTokenError when WeCom will not give one. */
  async accessToken(corpId: string, secret: string): Promise<string> {
    const got = await this.token(corpId, secret);
    if (!got.ok) throw new WecomTokenError(got.result);
    return got.token;
  }

  /** Forgets one app's token, or every token when called without arguments. */
  invalidate(corpId?: string, secret?: string): void {
    this.tokens.forget(corpId === undefined || secret === undefined ? undefined : appKey(corpId, secret));
  }

  /** `message/send` to members; a rejected token is refreshed and the message retried once. */
  async sendAppMessage(msg: AppMessage): Promise<SendResult> {
    const key = appKey(msg.corpId, msg.secret);
    for (let attempt = 1; ; attempt++) {
      const got = await this.token(msg.corpId, msg.secret);
      if (!got.ok) return got.result;
      const call = await this.post(
        `${this.base}/cgi-bin/message/send?access_token=${encodeURIComponent(got.token)}`,
        appBody(msg),
        [got.token, msg.secret],
      );
      if (!call.ok) return call.result;
      const { errcode } = call.answer;
      if (errcode === 0) return sent();
      if (!TOKEN_REJECTED.has(errcode)) return classify(errcode).result;
      this.tokens.rejected(key, got.token);
      if (attempt >= 2) {
        return retryLater(`errcode ${errcode} (token rejected after refresh)`, {
          afterMs: RATE_LIMIT_WAIT_MS,
        });
      }
    }
  }

  /** Group robot webhook. body: `{ msgtype, [msgtype]: {…} }` (see render.ts wecomBody). */
  async sendWebhook(key: string, body: Record<string, unknown>): Promise<SendResult> {
    const call = await this.post(`${this.base}/cgi-bin/webhook/send?key=${encodeURIComponent(key)}`, body, [
      key,
    ]);
    if (!call.ok) return call.result;
    return call.answer.errcode === 0 ? sent() : classify(call.answer.errcode).result;
  }

  /**
   * The AI bot's response_url: one POST, within an hour. What WeCom answers for a used or expired
   * url is not documented (UNVERIFIED), so we do not match codes: any refusal that is not about the
   * content or transient means this door is closed, and the caller should use the group webhook.
   * Beware: after a timeout the first POST may have landed; a retry then reads "closed".
   */
  async postResponseUrl(url: string, body: Record<string, unknown>): Promise<SendResult> {
    if (!URL.canParse(url)) return permanent("response_url is not a URL", { doorClosed: true });
    const code = new URL(url).searchParams.get("response_code") ?? "";
    const call = await this.post(url, body, [code]);
    if (!call.ok) {
      const r = call.result;
      return r.retry || r.configError
        ? r
        : permanent(`response_url refused: ${r.reason}`, { doorClosed: true });
    }
    const { errcode } = call.answer;
    if (errcode === 0) return sent();
    const { kind, result } = classify(errcode);
    if (result.retry || kind === "content") return result;
    return permanent(`response_url closed: ${result.reason}`, { doorClosed: true });
  }

  private token(corpId: string, secret: string) {
    const key = appKey(corpId, secret);
    return this.tokens.get(key, () => this.fetchToken(corpId, secret, key));
  }

  private async fetchToken(corpId: string, secret: string, key: string): Promise<FetchedToken> {
    const url = `${this.base}/cgi-bin/gettoken?corpid=${encodeURIComponent(corpId)}&corpsecret=${encodeURIComponent(secret)}`;
    const call = await this.request("GET", url, undefined, [secret]);
    const failure = tokenFailure(call);
    if (failure) return { ok: false, result: failure };
    const answer = (call as { answer: Answer }).answer;
    this.logger.debug({ corpId, app: key }, "wecom access token refreshed");
    return { ok: true, token: answer.access_token as string, ttlMs: (answer.expires_in as number) * 1000 };
  }

  private post(url: string, body: unknown, secrets: readonly string[]): Promise<Call> {
    return this.request("POST", url, body, secrets);
  }

  /** One HTTP exchange → a WeCom answer with a numeric errcode, or a classified failure. */
  private async request(
    method: "GET" | "POST",
    url: string,
    body: unknown,
    secrets: readonly string[],
  ): Promise<Call> {
    const where = logUrl(url);
    const fail = (result: SendFailure): Call => {
      this.logger.warn({ url: where, reason: result.reason }, "wecom api call failed");
      return { ok: false, result };
    };
    const call = await httpCall(this.http, url, { method, body });
    if (!call.ok) return fail(call.result);
    if (call.status >= 400) return fail(permanent(`HTTP ${call.status}`));
    const answer = call.json;
    // A proxy's HTML page or a truncated body: WeCom itself did not answer, so try again.
    if (typeof answer?.errcode !== "number")
      return fail(retryLater(`unreadable answer (HTTP ${call.status})`));
    if (answer.errcode !== 0) {
      const errmsg = typeof answer.errmsg === "string" ? scrubSecrets(answer.errmsg, secrets) : undefined;
      this.logger.warn({ url: where, errcode: answer.errcode, errmsg }, "wecom api refused");
    } else {
      this.logger.debug({ url: where }, "wecom api ok");
    }
    return { ok: true, answer: answer as Answer };
  }
}

/** Cache key per app: the corpid plus a digest, so the secret itself never sits in a key or a log. */
function appKey(corpId: string, secret: string): string {
  return `${corpId}/${createHash("sha256").update(secret).digest("hex").slice(0, 12)}`;
}

function appBody(msg: AppMessage): Record<string, unknown> {
  // WeCom's agentid is an integer; config may hand it over as a string.
  const agentid =
    typeof msg.agentId === "string" && /^\d+$/.test(msg.agentId) ? Number(msg.agentId) : msg.agentId;
  return { touser: msg.toUser, msgtype: msg.msgtype, agentid, [msg.msgtype]: { content: msg.content } };
}

function tokenFailure(call: Call): SendFailure | undefined {
  if (!call.ok) return call.result;
  const { answer } = call;
  if (answer.errcode !== 0) return classify(answer.errcode).result;
  if (typeof answer.access_token !== "string" || answer.access_token === "") {
    return retryLater("gettoken answer without access_token");
  }
  if (typeof answer.expires_in !== "number" || !(answer.expires_in > 0)) {
    return retryLater("gettoken answer without expires_in");
  }
  return undefined;
}
