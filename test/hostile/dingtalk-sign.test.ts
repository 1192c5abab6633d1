import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeDingtalkMessage } from "../../src/platforms/dingtalk/decode.ts";
import { DingtalkError, DingtalkVerifyError } from "../../src/platforms/dingtalk/errors.ts";
import { dingtalkSign, dingtalkSignUrlEncoded } from "../../src/platforms/dingtalk/sign.ts";
import { verifyDingtalkCallback } from "../../src/platforms/dingtalk/verify.ts";
import { dingSign } from "../sim/dingtalk/sign.ts";
import { hostileText, runs, tampered } from "./arbitraries.ts";

/**
 * The DingTalk callback check under random and tampered headers: it answers, never throws, and
 * accepts only the sign made with our appSecret for a timestamp inside the window.
 */

const SECRET = "hostile-app-secret-0123456789abcdef";
const NOW = new Date("2026-11-26T02:00:00Z");
const WINDOW_S = 3600;

const verify = (timestamp: string | undefined, sign: string | undefined, appSecret = SECRET) =>
  verifyDingtalkCallback({ appSecret, timestamp, sign, now: NOW, maxSkewSeconds: WINDOW_S });

// Timestamps inside the window, as DingTalk writes them (milliseconds, decimal).
const freshTimestamp = fc
  .integer({ min: -WINDOW_S * 1000, max: WINDOW_S * 1000 })
  .map((skew) => String(NOW.getTime() + skew));
const header = fc.option(
  fc.oneof(hostileText(50), fc.stringMatching(/^\d{1,20}$/), fc.base64String({ maxLength: 60 })),
  { nil: undefined },
);

describe("DingTalk callback signatures", () => {
  it("answers random headers with a rejection, never an exception", () => {
    fc.assert(
      fc.property(header, header, (timestamp, sign) => {
        const r = verify(timestamp, sign);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error).toBeInstanceOf(DingtalkVerifyError);
      }),
      runs(),
    );
  });

  it("accepts the sign of our secret for any timestamp inside the window", () => {
    fc.assert(
      fc.property(freshTimestamp, (timestamp) => {
        // The simulator computes the sign independently, from the protocol.
        expect(verify(timestamp, dingSign(SECRET, timestamp))).toEqual({
          ok: true,
          timestampMs: Number(timestamp),
        });
      }),
      runs(),
    );
  });

  it("rejects the request once any character of the sign or the timestamp changes", () => {
    fc.assert(
      fc.property(
        freshTimestamp.chain((ts) =>
          fc.oneof(
            tampered(dingSign(SECRET, ts)).map((sign) => ({ ts, sign })),
            tampered(ts).map((changed) => ({ ts: changed, sign: dingSign(SECRET, ts) })),
          ),
        ),
        ({ ts, sign }) => {
          const r = verify(ts, sign);
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.error.status).toBe(401);
        },
      ),
      runs(),
    );
  });

  it("rejects a sign made with any other secret, and a valid sign outside the window", () => {
    fc.assert(
      fc.property(
        freshTimestamp,
        hostileText(40),
        fc.integer({ min: WINDOW_S * 1000 + 1, max: 400 * 86_400_000 }),
        fc.boolean(),
        (ts, other, late, past) => {
          fc.pre(other !== SECRET);
          expect(verify(ts, dingSign(other, ts)).ok).toBe(false);
          const stale = String(NOW.getTime() + (past ? -late : late));
          const r = verify(stale, dingSign(SECRET, stale));
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.error.reason).toBe("stale-timestamp");
        },
      ),
      runs(),
    );
  });

  it("signs custom-robot URLs exactly as the protocol describes, for any secret", () => {
    fc.assert(
      fc.property(hostileText(40), fc.oneof(fc.nat(), freshTimestamp), (secret, ts) => {
        expect(dingtalkSign(secret, ts)).toBe(dingSign(secret, ts));
        expect(decodeURIComponent(dingtalkSignUrlEncoded(secret, ts))).toBe(dingSign(secret, ts));
        expect(dingtalkSignUrlEncoded(secret, ts)).toMatch(/^[A-Za-z0-9%]+$/u);
      }),
      runs(),
    );
  });
});

describe("DingTalk callback bodies", () => {
  const value = fc.oneof(
    hostileText(20),
    fc.constantFrom("\u0000", "\ud800", "text", "1", "2", "picture"),
    fc.integer(),
    fc.constant(null),
    fc.array(fc.record({ staffId: hostileText(5), dingtalkId: hostileText(5) }), { maxLength: 2 }),
  );
  const body = fc
    .record(
      {
        msgId: value,
        msgtype: fc.oneof(value, fc.constant("text")),
        senderStaffId: value,
        senderId: value,
        senderNick: value,
        robotCode: value,
        chatbotUserId: value,
        conversationType: fc.oneof(value, fc.constantFrom("1", "2", 1, 2)),
        conversationId: value,
        conversationTitle: value,
        text: fc.oneof(value, fc.record({ content: value }, { requiredKeys: [] })),
        atUsers: value,
        sessionWebhook: value,
        sessionWebhookExpiredTime: value,
      },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o));

  it("decodes any body into a message, an ignored one or a 400", () => {
    fc.assert(
      fc.property(fc.oneof(body, hostileText(80), fc.json()), (json) => {
        try {
          const r = decodeDingtalkMessage(json, { botNames: ["汇报"], receivedAt: NOW });
          if ("message" in r) expect(r.message.text).toBe(r.message.text.trim());
        } catch (err) {
          expect(err).toBeInstanceOf(DingtalkError);
          expect((err as DingtalkError).status).toBe(400);
        }
      }),
      runs(),
    );
  });
});
