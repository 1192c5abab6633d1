import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../src/lib/clock.ts";
import { webhookEntry } from "../../src/platforms/wecom/reply-planner.ts";
import { fault, startWecomSim, type WecomSim } from "../sim/wecom/index.ts";
import {
  APP,
  BOT,
  eventually,
  GROUP_CHAT,
  GROUP_KEY,
  startWecomBot,
  type WecomBot,
} from "../support/wecom-bot.ts";

let sim: WecomSim;
let bot: WecomBot;
const clock = new FakeClock("2026-11-26T02:00:00Z");

beforeAll(async () => {
  sim = await startWecomSim({ clock });
  sim.addWebhook(GROUP_KEY, "宣传科工作群");
  bot = await startWecomBot(sim, { clock });
});
afterAll(async () => {
  await bot?.stop();
  await sim?.close();
});
beforeEach(async () => {
  await bot.runtime.db.prisma.$executeRawUnsafe("TRUNCATE inbox_messages, outbox_messages");
  sim.faults.clear();
});

const botUrl = () => `${bot.url}/wecom/bot`;
const appUrl = () => `${bot.url}/wecom/app`;

function groupMessage(content: string, extra: Record<string, unknown> = {}) {
  return { ...sim.botTextMessage({ chatid: GROUP_CHAT, userid: "zhangsan", content }), ...extra };
}

async function replyOf(message: Record<string, unknown>) {
  const record = sim.responseUrls.get(String(message.response_url));
  return eventually(() => record.body && record);
}

describe("WeCom AI bot callback", () => {
  it("answers URL verification with the plaintext, with + and / in echostr either way", async () => {
    for (const plusEncoding of ["raw", "percent"] as const) {
      // WeCom wants the answer within 1 s; that is a benchmark matter, not a test's (a busy CI machine).
      const r = await sim.verifyUrl({
        url: botUrl(),
        ...BOT,
        receiveId: "",
        plusEncoding,
        timeoutMs: 10_000,
      });
      expect(r.status).toBe(200);
      expect(r.body).toBe(r.expected);
    }
  });

  it("answers a member's 帮助 in the group exactly once, through the response_url", async () => {
    const message = groupMessage("@汇报 帮助");
    const delivery = await sim.deliverBotMessage({ url: botUrl(), ...BOT, message });
    expect(delivery.attempts.map((a) => a.status)).toEqual([200]);
    const record = await replyOf(message);
    const markdown = record.body?.markdown as { content: string };
    expect(markdown.content).toContain("汇报助手能做的事");
    await new Promise((r) => setTimeout(r, 300));
    expect(record.attempts).toHaveLength(1);
  });

  it("answers once when WeCom delivers the same message three times, one after another or at once", async () => {
    const message = groupMessage("@汇报 我是谁");
    for (let i = 0; i < 3; i++) {
      const d = await sim.deliverBotMessage({ url: botUrl(), ...BOT, message });
      expect(d.attempts[0]?.status).toBe(200);
    }
    const concurrent = groupMessage("@汇报 单位");
    const results = await Promise.all(
      [1, 2, 3].map(() => sim.deliverBotMessage({ url: botUrl(), ...BOT, message: concurrent })),
    );
    expect(results.map((r) => r.attempts[0]?.status)).toEqual([200, 200, 200]);
    expect((await replyOf(message)).body?.markdown).toMatchObject({
      content: expect.stringContaining("张三"),
    });
    expect((await replyOf(concurrent)).body?.markdown).toMatchObject({
      content: expect.stringContaining("单位"),
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(sim.responseUrls.get(String(message.response_url)).attempts).toHaveLength(1);
    expect(sim.responseUrls.get(String(concurrent.response_url)).attempts).toHaveLength(1);
    expect(await bot.runtime.db.prisma.inboxMessage.count()).toBe(2);
  });

  it("falls back to the group robot when the response_url has expired", async () => {
    const message = groupMessage("@汇报 帮助");
    const before = sim.webhooks.get(GROUP_KEY).messages.length;
    await bot.messaging.stop(); // the workers are down while the hour passes
    await sim.deliverBotMessage({ url: botUrl(), ...BOT, message });
    clock.advance(61 * 60_000);
    bot.messaging.start();
    await eventually(() => sim.webhooks.get(GROUP_KEY).messages.length > before);
    expect(sim.webhooks.get(GROUP_KEY).messages.at(-1)?.content).toContain("汇报助手能做的事");
    expect(sim.responseUrls.get(String(message.response_url)).attempts).toHaveLength(0);
  });

  it("rejects bad requests and stores nothing", async () => {
    const message = groupMessage("@汇报 帮助");
    const tampered = await sim.deliverBotMessage({
      url: botUrl(),
      token: "wrong-token",
      aesKey: BOT.aesKey,
      message,
    });
    expect(tampered.attempts.map((a) => a.status)).toEqual([401, 401, 401]);
    const otherKey = await sim.deliverBotMessage({
      url: botUrl(),
      token: BOT.token,
      aesKey: APP.aesKey,
      message,
    });
    expect(otherKey.attempts[0]?.status).toBe(400);
    const malformed = await sim.deliverBotMessage({ url: botUrl(), ...BOT, message: "{not json" });
    expect(malformed.attempts[0]?.status).toBe(400);
    const huge = await fetch(botUrl(), {
      method: "POST",
      body: JSON.stringify({ encrypt: "A".repeat(70_000) }),
    });
    expect(huge.status).toBe(413);
    expect(await bot.runtime.db.prisma.inboxMessage.count()).toBe(0);
  });
});

describe("WeCom self-built app callback", () => {
  it("answers a direct message through message/send", async () => {
    const xml = `<xml><ToUserName><![CDATA[${sim.app.corpId}]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1795700000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[我是谁]]></Content><MsgId>7480000000000000123</MsgId><AgentID>${sim.app.agentId}</AgentID></xml>`;
    const d = await sim.deliverAppMessage({ url: appUrl(), ...APP, corpId: sim.app.corpId, xml });
    expect(d.attempts[0]?.status).toBe(200);
    const got = await eventually(() => sim.appMessages.to("zhangsan").at(-1));
    expect(got.content).toContain("张三，市城市管理局宣传科，管理员");
  });

  it("refuses a message encrypted for another corp (receiveid) with 400", async () => {
    const xml = `<xml><ToUserName><![CDATA[other]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[帮助]]></Content><MsgId>1</MsgId><AgentID>${sim.app.agentId}</AgentID></xml>`;
    const d = await sim.deliverAppMessage({ url: appUrl(), ...APP, corpId: "wwSomeoneElse", xml });
    expect(d.attempts[0]?.status).toBe(400);
    expect(await bot.runtime.db.prisma.inboxMessage.count()).toBe(0);
  });
});

describe("group robot rate limit", () => {
  it("delivers every announcement, never more than 20 a minute, and waits when WeCom says 45009", async () => {
    clock.advance(61_000); // earlier tests used this robot: start from an empty window
    const robot = sim.webhooks.get(GROUP_KEY);
    const start = robot.messages.length;
    const entries = Array.from({ length: 25 }, (_, i) =>
      webhookEntry(GROUP_CHAT, { msgtype: "text", text: { content: `通知 ${i + 1}` } }),
    );
    sim.faults.next(1, fault.errcode(45009, "api freq out of limit"), "webhook/send");
    await bot.messaging.outbox.enqueue(entries);
    bot.messaging.start();
    // WeCom said "too frequent": the whole robot waits out the minute, not just that one message.
    await eventually(() => sim.faults.applied.length === 1);
    await new Promise((r) => setTimeout(r, 500));
    // Sends already in flight on the other workers (up to 3) go through; nothing new starts.
    const early = robot.messages.length - start;
    expect(early).toBeLessThanOrEqual(3);
    clock.advance(61_000);
    await eventually(() => robot.messages.length - start >= Math.min(25, early + 20));
    await new Promise((r) => setTimeout(r, 500));
    expect(robot.messages.length - start).toBeLessThanOrEqual(early + 20);
    clock.advance(61_000);
    await eventually(() => robot.messages.length - start === 25);
    const sentTimes = robot.messages.slice(start).map((m) => m.at.getTime());
    for (const t of sentTimes)
      expect(sentTimes.filter((u) => u > t - 60_000 && u <= t).length).toBeLessThanOrEqual(20);
    expect(robot.rateLimitHits).toBe(0);
    const contents = robot.messages.slice(start).map((m) => m.content);
    expect(new Set(contents).size).toBe(25);
  });
});

describe("crash after acknowledging", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("handles the stored message after a restart and answers once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "huibao-crash-"));
    dirs.push(dir);
    const databaseUrl = `pglite:${join(dir, "pglite")}`;
    // The first server acknowledges but its workers never run: as if it died right after the 200.
    const first = await startWecomBot(sim, { clock, databaseUrl, workers: false });
    const message = groupMessage("@汇报 帮助");
    const d = await sim.deliverBotMessage({ url: `${first.url}/wecom/bot`, ...BOT, message });
    expect(d.attempts[0]?.status).toBe(200);
    await first.stop();
    const second = await startWecomBot(sim, { clock, databaseUrl });
    try {
      const record = await replyOf(message);
      expect(record.body?.markdown).toMatchObject({ content: expect.stringContaining("汇报助手能做的事") });
      await new Promise((r) => setTimeout(r, 500));
      expect(record.attempts).toHaveLength(1);
    } finally {
      await second.stop();
    }
  }, 60_000);
});
