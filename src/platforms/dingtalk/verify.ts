import { timingSafeEqual } from "node:crypto";
import { DingtalkVerifyError } from "./errors.ts";
import { dingtalkSign } from "./sign.ts";

/**
 * Verification of the enterprise robot's HTTP callback, a pure function of (secret, headers, now).
 *
 * Note what the sign proves: it covers the timestamp and the secret, not the body. It shows that the
 * sender knows the appSecret, and the window limits how long a captured header pair can be replayed;
 * it does not protect the body from tampering in transit (HTTPS does), and replays of one message
 * within the window are caught by the inbox's msgId dedupe.
 */

export interface DingtalkCallbackInput {
  appSecret: string;
  /** The `timestamp` header (milliseconds, decimal); "" or undefined when absent. */
  timestamp: string | undefined;
  /** The `sign` header: raw base64, exactly as received. */
  sign: string | undefined;
  now: Date;
  /** Allowed |now − timestamp| (DINGTALK_MAX_SKEW_S, DingTalk's own window is 1 h). */
  maxSkewSeconds: number;
}

export type DingtalkVerifyResult =
  | { ok: true; timestampMs: number }
  | { ok: false; error: DingtalkVerifyError };

// Up to 15 digits stays within Number.MAX_SAFE_INTEGER; milliseconds have 13 today.
const MS_TIMESTAMP = /^\d{1,15}$/;

const fail = (reason: DingtalkVerifyError["reason"], message: string): DingtalkVerifyResult => ({
  ok: false,
  error: new DingtalkVerifyError(reason, message),
});

/** Constant-time string comparison; timingSafeEqual throws on unequal lengths, so check those first. */
function sameSign(given: string, expected: string): boolean {
  const a = Buffer.from(given, "utf8");
  const b = Buffer.from(expected, "utf8");
  // The length of a base64 SHA-256 (44) is public, so an early length answer leaks nothing.
  return a.length === b.length && timingSafeEqual(a, b);
}

export function verifyDingtalkCallback(input: DingtalkCallbackInput): DingtalkVerifyResult {
  const { timestamp, sign } = input;
  if (!timestamp || !sign) {
    return fail("missing-header", `missing header: ${!timestamp ? "timestamp" : "sign"}`);
  }
  if (!MS_TIMESTAMP.test(timestamp)) return fail("invalid-timestamp", "timestamp is not a number");
  // Signature before freshness: a forged request is reported as forged, whatever its timestamp.
  if (!sameSign(sign, dingtalkSign(input.appSecret, timestamp))) {
    return fail("signature", "sign does not match");
  }
  const timestampMs = Number(timestamp);
  const skewMs = Math.abs(input.now.getTime() - timestampMs);
  if (skewMs > input.maxSkewSeconds * 1000) {
    return fail(
      "stale-timestamp",
      `timestamp ${Math.round(skewMs / 1000)} s away from now (window ${input.maxSkewSeconds} s)`,
    );
  }
  return { ok: true, timestampMs };
}
