import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { dingtalkSign, dingtalkSignUrlEncoded } from "../../../src/platforms/dingtalk/sign.ts";

describe("dingtalkSign", () => {
  it("reproduces the protocol's test vector", () => {
    expect(dingtalkSign("SECtestsecret", 1700000000000)).toBe("7LVwF0dAF3/+MRRulbpE4y72Ogzykc6bS2nG4I99T4s=");
    expect(dingtalkSign("SECtestsecret", "1700000000000")).toBe(
      "7LVwF0dAF3/+MRRulbpE4y72Ogzykc6bS2nG4I99T4s=",
    );
  });

  it("URL-encodes +, / and = for the webhook query string", () => {
    expect(dingtalkSignUrlEncoded("SECtestsecret", 1700000000000)).toBe(
      "7LVwF0dAF3%2F%2BMRRulbpE4y72Ogzykc6bS2nG4I99T4s%3D",
    );
  });

  it("signs `timestamp\\nsecret` with the secret as key (checked against a direct HMAC)", () => {
    const secret = "密钥-with-unicode";
    const expected = createHmac("sha256", secret).update(`1700000000001\n${secret}`).digest("base64");
    expect(dingtalkSign(secret, 1700000000001)).toBe(expected);
    expect(dingtalkSign(secret, 1700000000002)).not.toBe(expected);
  });
});
