import { describe, expect, it } from "vitest";
import { DingtalkVerifyError } from "../../../src/platforms/dingtalk/errors.ts";
import { dingtalkSign } from "../../../src/platforms/dingtalk/sign.ts";
import {
  type DingtalkCallbackInput,
  verifyDingtalkCallback,
} from "../../../src/platforms/dingtalk/verify.ts";

const SECRET = "SECtestsecret";
const TS = 1700000000000;
const now = new Date(TS);

function input(overrides: Partial<DingtalkCallbackInput> = {}): DingtalkCallbackInput {
  return {
    appSecret: SECRET,
    timestamp: String(TS),
    sign: dingtalkSign(SECRET, TS),
    now,
    maxSkewSeconds: 3600,
    ...overrides,
  };
}

function reasonOf(overrides: Partial<DingtalkCallbackInput>): string {
  const result = verifyDingtalkCallback(input(overrides));
  if (result.ok) throw new Error("expected a rejection");
  expect(result.error).toBeInstanceOf(DingtalkVerifyError);
  expect(result.error.status).toBe(401);
  // Neither the secret nor any sign may reach a log line.
  expect(result.error.message).not.toContain(SECRET);
  expect(result.error.message).not.toContain(dingtalkSign(SECRET, TS));
  return result.error.reason;
}

describe("verifyDingtalkCallback", () => {
  it("accepts the protocol's vector", () => {
    expect(verifyDingtalkCallback(input({ sign: "7LVwF0dAF3/+MRRulbpE4y72Ogzykc6bS2nG4I99T4s=" }))).toEqual({
      ok: true,
      timestampMs: TS,
    });
  });

  it("accepts a timestamp at the edge of the window, in either direction", () => {
    for (const ts of [TS - 3_600_000, TS + 3_600_000]) {
      const result = verifyDingtalkCallback(input({ timestamp: String(ts), sign: dingtalkSign(SECRET, ts) }));
      expect(result.ok).toBe(true);
    }
  });

  it("rejects a tampered or foreign sign", () => {
    const good = dingtalkSign(SECRET, TS);
    const flipped = `${good[0] === "A" ? "B" : "A"}${good.slice(1)}`;
    expect(reasonOf({ sign: flipped })).toBe("signature");
    expect(reasonOf({ sign: dingtalkSign("another-secret", TS) })).toBe("signature");
    // A sign for another timestamp does not carry over.
    expect(reasonOf({ sign: dingtalkSign(SECRET, TS + 1) })).toBe("signature");
  });

  it("rejects signs of another length without throwing (timingSafeEqual needs equal lengths)", () => {
    expect(reasonOf({ sign: "short" })).toBe("signature");
    expect(reasonOf({ sign: `${dingtalkSign(SECRET, TS)}AAAA` })).toBe("signature");
    // URL-encoded instead of raw: same meaning, different bytes, rejected.
    expect(reasonOf({ sign: encodeURIComponent(dingtalkSign(SECRET, TS)) })).toBe("signature");
    // Multi-byte characters: equal character count, different byte count.
    expect(reasonOf({ sign: "签".repeat(44) })).toBe("signature");
  });

  it("rejects missing headers", () => {
    expect(reasonOf({ timestamp: undefined })).toBe("missing-header");
    expect(reasonOf({ timestamp: "" })).toBe("missing-header");
    expect(reasonOf({ sign: undefined })).toBe("missing-header");
    expect(reasonOf({ sign: "" })).toBe("missing-header");
  });

  it("rejects a timestamp older than the window, though correctly signed", () => {
    const ts = TS - 3_600_001;
    expect(reasonOf({ timestamp: String(ts), sign: dingtalkSign(SECRET, ts) })).toBe("stale-timestamp");
    // The window is the configured one, not a fixed hour.
    const ten = TS - 11_000;
    expect(reasonOf({ timestamp: String(ten), sign: dingtalkSign(SECRET, ten), maxSkewSeconds: 10 })).toBe(
      "stale-timestamp",
    );
  });

  it("rejects a timestamp too far in the future", () => {
    const ts = TS + 3_600_001;
    expect(reasonOf({ timestamp: String(ts), sign: dingtalkSign(SECRET, ts) })).toBe("stale-timestamp");
  });

  it("rejects non-numeric timestamps, even when the sign matches them", () => {
    for (const ts of ["abc", "1700000000000.5", "-1700000000000", " 1700000000000", "1e12", "0x10"]) {
      expect(reasonOf({ timestamp: ts, sign: dingtalkSign(SECRET, ts) })).toBe("invalid-timestamp");
    }
  });
});

describe("the one-hour window (issue 4)", () => {
  it("accepts a callback signed 59:59 ago and refuses one signed an hour and a second ago", () => {
    const at = (msAgo: number) => ({ now: new Date(TS + msAgo) });
    expect(verifyDingtalkCallback(input(at(3_599_000))).ok).toBe(true);
    expect(reasonOf(at(3_601_000))).toBe("stale-timestamp");
  });
});
