import { dingSign } from "./sign.ts";

/**
 * Plays DingTalk towards our HTTP callback: POSTs the robot message JSON with headers `timestamp`
 * (ms) and `sign` = base64(HmacSHA256(appSecret, timestamp + "\n" + appSecret)), raw in the header.
 * Whether and when DingTalk redelivers in HTTP mode is not documented (UNVERIFIED): call again with
 * the same body to play a redelivery.
 */

export interface CallbackDelivery {
  url: string;
  appSecret: string;
  /** The message JSON (object), or a string to send malformed JSON on purpose. */
  body: unknown;
  /** ms since the epoch, as a string or number; defaults to now. */
  timestamp?: string | number;
  /** Replaces the computed sign (to play a forged request). */
  sign?: string;
  /** How long to wait for our answer. */
  timeoutMs?: number;
}

export interface CallbackResult {
  status?: number;
  body?: string;
  error?: "timeout" | "network";
  ms: number;
  /** The headers that were sent. */
  sent: { timestamp: string; sign: string };
}

export async function deliverCallback(d: CallbackDelivery): Promise<CallbackResult> {
  const timestamp = String(d.timestamp ?? Date.now());
  const sign = d.sign ?? dingSign(d.appSecret, timestamp);
  const started = Date.now();
  const sent = { timestamp, sign };
  try {
    const res = await fetch(d.url, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8", timestamp, sign },
      body: typeof d.body === "string" ? d.body : JSON.stringify(d.body),
      signal: AbortSignal.timeout(d.timeoutMs ?? 5000),
    });
    return { status: res.status, body: await res.text(), ms: Date.now() - started, sent };
  } catch (err) {
    const name = (err as Error).name;
    const error = name === "TimeoutError" || name === "AbortError" ? "timeout" : "network";
    return { error, ms: Date.now() - started, sent };
  }
}
