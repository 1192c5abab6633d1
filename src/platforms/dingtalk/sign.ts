import { createHmac } from "node:crypto";

/**
 * DingTalk's one HMAC, used both to sign custom-robot webhook URLs (key = the robot's secret) and
 * to check the enterprise robot's callback `sign` header (key = the appSecret):
 * base64(HmacSHA256(key = secret, msg = `${timestamp}\n${secret}`)), timestamp in milliseconds.
 *
 * The timestamp is signed as the decimal string DingTalk sees, so a header value is passed through
 * untouched (no Number round trip). Sign every request: a signature goes stale after an hour.
 */
export function dingtalkSign(secret: string, timestampMs: number | string): string {
  return createHmac("sha256", secret).update(`${timestampMs}\n${secret}`, "utf8").digest("base64");
}

/** The same signature for a query string (`robot/send?…&sign=`): `+`, `/` and `=` percent-encoded. */
export function dingtalkSignUrlEncoded(secret: string, timestampMs: number | string): string {
  return encodeURIComponent(dingtalkSign(secret, timestampMs));
}
