import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../../src/lib/backoff.ts";
import {
  fitUtf8,
  newReqId,
  parseFrame,
  sendMarkdownFrame,
  streamReplyFrame,
  subscribeFrame,
} from "../../../src/platforms/wecom/ws-frames.ts";

describe("parseFrame", () => {
  it("classifies callbacks, events and acks", () => {
    expect(parseFrame('{"cmd":"aibot_msg_callback","headers":{"req_id":"r1"},"body":{"msgid":"m"}}')).toEqual(
      {
        kind: "message",
        reqId: "r1",
        body: { msgid: "m" },
      },
    );
    expect(
      parseFrame(
        '{"cmd":"aibot_event_callback","headers":{"req_id":"r2"},"body":{"event":{"eventtype":"disconnected_event"}}}',
      ),
    ).toMatchObject({ kind: "event", reqId: "r2", eventType: "disconnected_event" });
    expect(parseFrame('{"headers":{"req_id":"ping_1"},"errcode":0,"errmsg":"ok"}')).toEqual({
      kind: "ack",
      reqId: "ping_1",
      errcode: 0,
      errmsg: "ok",
    });
  });

  it("treats an ack without errcode as a failure, like the SDK", () => {
    expect(parseFrame('{"headers":{"req_id":"x"}}')).toMatchObject({ kind: "ack", errcode: -1 });
  });

  it("never throws on garbage", () => {
    for (const raw of [
      "",
      "nope",
      "[]",
      "null",
      "42",
      '{"cmd":"aibot_msg_callback"}',
      '{"cmd":"aibot_msg_callback","headers":{"req_id":"r"}}',
      '{"cmd":"x","headers":{"req_id":"r"}}',
      '{"errcode":0}',
    ]) {
      expect(parseFrame(raw).kind).toBe("invalid");
    }
  });
});

describe("frame builders", () => {
  it("build the documented shapes", () => {
    expect(subscribeFrame("aibot_subscribe_1", "aib1", "sec")).toEqual({
      cmd: "aibot_subscribe",
      headers: { req_id: "aibot_subscribe_1" },
      body: { bot_id: "aib1", secret: "sec" },
    });
    expect(streamReplyFrame("cb1", "s1", "ok")).toEqual({
      cmd: "aibot_respond_msg",
      headers: { req_id: "cb1" },
      body: { msgtype: "stream", stream: { id: "s1", finish: true, content: "ok" } },
    });
    expect(sendMarkdownFrame("r", "wrG", "# hi").body).toEqual({
      chatid: "wrG",
      msgtype: "markdown",
      markdown: { content: "# hi" },
    });
    expect(newReqId("ping", 1700000000000)).toMatch(/^ping_1700000000000_[0-9a-f]{8}$/);
  });
});

describe("fitUtf8", () => {
  it("keeps short text and cuts long text at a character boundary within the budget", () => {
    expect(fitUtf8("短", 10)).toEqual({ text: "短", truncated: false });
    const cut = fitUtf8("汇报".repeat(10), 10);
    expect(cut.truncated).toBe(true);
    expect(Buffer.byteLength(cut.text)).toBeLessThanOrEqual(10);
    expect(cut.text).toBe("汇报…");
    expect(fitUtf8("😀😀😀", 9).text).toBe("😀…");
  });
});

describe("backoffDelay", () => {
  it("doubles from base, caps at max, and jitters downwards only", () => {
    const none = { baseMs: 1000, maxMs: 30_000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => backoffDelay(a, none))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
    expect(backoffDelay(10_000, none)).toBe(30000);
    expect(backoffDelay(3, { ...none, jitter: 0.5, random: () => 1 })).toBe(2000);
    expect(backoffDelay(3, { ...none, jitter: 0.5, random: () => 0 })).toBe(4000);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(4, { baseMs: 100, maxMs: 10_000, jitter: 0.3 });
      expect(d).toBeGreaterThanOrEqual(560);
      expect(d).toBeLessThanOrEqual(800);
    }
  });
});
