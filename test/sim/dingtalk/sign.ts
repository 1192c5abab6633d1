import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * DingTalk's one HMAC, written again from the protocol (not imported from src/) so the simulator
 * checks our code instead of agreeing with it by construction:
 * `base64(HmacSHA256(key = secret, msg = timestamp + "\n" + secret))`.
 * The custom robot puts it URL-encoded in `sign=`; the callback puts it raw in the `sign` header
 * with the appSecret as the secret. Vector (shared/protocols.md): secret `SECtestsecret`, timestamp
 * `1700000000000` → `7LVwF0dAF3/+MRRulbpE4y72Ogzykc6bS2nG4I99T4s=`.
 */
export function dingSign(secret: string, timestamp: string | number): string {
  return createHmac("sha256", secret).update(`${timestamp}\n${secret}`).digest("base64");
}

/** Constant-time comparison of two signatures (different lengths are simply unequal). */
export function sameSign(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
