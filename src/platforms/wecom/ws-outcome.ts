import { permanent, retryLater, type SendFailure } from "../send-result.ts";
import { RATE_LIMIT_WAIT_MS } from "./api.ts";
import { WecomWsError } from "./ws-errors.ts";

/**
 * What a failed long-connection request means for the outbox:
 * - `failure`: a SendResult as it is: try again later (connection down, no ack, WeCom busy or rate
 *   limiting) or give up (the content itself is refused, so no other door would take it either).
 * - `closed`: WeCom refused the request for any other reason. For a reply that means its req_id can
 *   take no answer (unknown, expired, finished); the caller sends it through another door. The
 *   long connection's codes are mostly undocumented, so this is the default for unknown refusals.
 */
export type WsOutcome =
  | { kind: "failure"; result: SendFailure }
  | { kind: "closed"; reason: string; errcode: number };

// Documented global codes (developer.work.weixin.qq.com/document/path/90313), as api.ts reads them.
const BUSY = new Set([-1]);
const RATE = new Set([45009, 45033]);
const CONTENT = new Set([40008, 40035, 44004, 45002]);

export function wsOutcome(err: unknown): WsOutcome {
  if (!(err instanceof WecomWsError)) {
    // Not expected from the client; a retry is the safe reading (nothing is lost).
    return { kind: "failure", result: retryLater(err instanceof Error ? err.message : String(err)) };
  }
  if (err.reason !== "rejected") {
    // not-connected, closed, ack-timeout. After a lost ack the frame may have landed: see ws-senders.
    return { kind: "failure", result: retryLater(`long connection: ${err.reason}`) };
  }
  const errcode = err.errcode ?? -1;
  // errmsg is WeCom's text: no secret travels in these frames, but keep it short for the dashboard.
  const reason = `errcode ${errcode} ${(err.errmsg ?? "").slice(0, 100)}`.trim();
  if (BUSY.has(errcode)) return { kind: "failure", result: retryLater(reason) };
  if (RATE.has(errcode)) {
    return {
      kind: "failure",
      result: retryLater(reason, { rateLimited: true, afterMs: RATE_LIMIT_WAIT_MS }),
    };
  }
  if (CONTENT.has(errcode)) return { kind: "failure", result: permanent(reason) };
  return { kind: "closed", reason, errcode };
}
