/**
 * The outcome of one delivery attempt, shared by every platform client. The outbox reads only this:
 * `retry: true` → try again later (after `afterMs` when the platform said how long), `retry: false`
 * → give up on this door. Platform clients never throw for a failed delivery, so a network hiccup
 * cannot escape as a stack trace.
 *
 * `reason` is short English for logs. It must never carry a token, key, secret or response_url:
 * reasons are stored in the outbox and shown on the dashboard.
 */

export type SendOk = { ok: true };

export type SendRetry = {
  ok: false;
  retry: true;
  /** Wait at least this long before the next attempt (e.g. a platform frequency limit). */
  afterMs?: number;
  reason: string;
  /** The platform refused because of its frequency limit: the sender should slow down, not just wait. */
  rateLimited?: boolean;
  /**
   * The request may have reached the platform although we got no answer (a timeout, a connection
   * reset after sending): the attempt counts against the rate limit as if it had been delivered.
   */
  unconfirmed?: boolean;
};

export type SendPermanent = {
  ok: false;
  retry: false;
  reason: string;
  /** Our configuration is wrong (bad webhook key, secret, agent id): an operator must act. */
  configError?: boolean;
  /**
   * A single-use reply door (WeCom response_url, DingTalk sessionWebhook) is used up or expired.
   * The message itself is fine: the caller should deliver it through another door (the group webhook).
   */
  doorClosed?: boolean;
};

export type SendFailure = SendRetry | SendPermanent;
export type SendResult = SendOk | SendFailure;

export const sent = (): SendOk => ({ ok: true });

export function retryLater(
  reason: string,
  extra: { afterMs?: number; rateLimited?: boolean; unconfirmed?: boolean } = {},
): SendRetry {
  return { ok: false, retry: true, reason, ...extra };
}

export function permanent(
  reason: string,
  extra: { configError?: boolean; doorClosed?: boolean } = {},
): SendPermanent {
  return { ok: false, retry: false, reason, ...extra };
}

/**
 * The error's code, for logs: never the message, which may quote a URL. undici hides the socket
 * error in `cause` (ECONNRESET, UND_ERR_SOCKET…).
 */
export function errorCode(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === "string") return cause.code;
  return err instanceof Error ? err.name : "unknown";
}

// Failures before a single byte of the request left: the platform cannot have seen it.
const NEVER_SENT = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** A request that threw: a timeout (ours) or a network error; either way, try again later. */
export function requestFailed(err: unknown, timedOut: boolean, timeoutMs: number): SendRetry {
  if (timedOut) return retryLater(`timeout after ${timeoutMs} ms`, { unconfirmed: true });
  const code = errorCode(err);
  return retryLater(`network error (${code})`, NEVER_SENT.has(code) ? {} : { unconfirmed: true });
}
