import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../src/lib/clock.ts";
import { wsChatEntry } from "../../src/platforms/wecom/reply-planner.ts";
import { startWecomSim, type WecomSim } from "../sim/wecom/index.ts";
import type { WsFrameRecord } from "../sim/wecom/ws-server.ts";
import { eventually, GROUP_CHAT, GROUP_KEY, startWecomBot, type WecomBot } from "../support/wecom-bot.ts";

/**
 * WECOM_BOT_MODE=ws end to end: the real server on the simulator's long connection. Messages come in
 * as aibot_msg_callback frames, go through the inbox, and are answered from the outbox on their
 * req_id (aibot_respond_msg) or pushed to the chat (aibot_send_msg).
 */

let sim: WecomSim;
let bot: WecomBot;
const clock = new FakeClock("2026-11-26T02:00:00Z");
const HELP = "汇报助手能做的事";

beforeAll(async () => {
  sim = await startWecomSim({ clock });
  sim.addWebhook(GROUP_KEY, "宣传科工作群");
  bot = await startWecomBot(sim, {
    clock,
    env: {
      WECOM_BOT_MODE: "ws",
      WECOM_BOT_ID: sim.aiBot.botId,
      WECOM_BOT_SECRET: sim.aiBot.secret,
      WECOM_WS_URL: sim.wsUrl,
    },
  });
  // Generous: on a loaded machine the first connect can take a while.
  await sim.ws.waitForSubscribes(sim.aiBot.botId, 1, 30_000);
});
afterAll(async () => {
  await bot?.stop();
  await sim?.close();
});
beforeEach(async () => {
  await bot.runtime.db.prisma.$executeRawUnsafe("TRUNCATE inbox_messages, outbox_messages");
});

const botId = () => sim.aiBot.botId;
const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));
const contentOf = (f: WsFrameRecord) =>
  String((f.body.stream as { content?: string } | undefined)?.content ?? "");
const pushedContent = (f: WsFrameRecord) =>
  String((f.body.markdown as { content?: string } | undefined)?.content ?? "");

function groupMessage(content: string, userid = "zhangsan") {
  return sim.botTextMessage({ chatid: GROUP_CHAT, userid, content });
}

/** Call before the drop; resolves once the bot has subscribed once more since then. */
function resubscribed(timeoutMs = 10_000): () => Promise<number> {
  const before = sim.ws.subscribes.filter((s) => s.ok).length;
  return () => sim.ws.waitForSubscribes(botId(), before + 1, timeoutMs);
}

describe("WeCom AI bot over the long connection", () => {
  it("answers a member's 帮助 exactly once, on the callback's req_id", async () => {
    const message = groupMessage("@汇报 帮助");
    const reqId = sim.ws.pushMessage(message);
    const response = await sim.ws.waitForResponse(reqId, 10_000);
    expect(contentOf(response)).toContain(HELP);
    expect(response.body).toMatchObject({ msgtype: "stream", stream: { finish: true } });
    await settle();
    expect(sim.ws.responses.filter((r) => r.reqId === reqId)).toHaveLength(1);
    // The reply door of ws mode is the req_id: the response_url that came along stays unused.
    expect(sim.responseUrls.get(String(message.response_url)).attempts).toHaveLength(0);
    const stored = await bot.runtime.db.prisma.inboxMessage.findMany();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.status).toBe("done");
  });

  it("answers once when the same message arrives twice (a re-push, or on a new req_id)", async () => {
    const message = groupMessage("@汇报 我是谁");
    const first = sim.ws.pushMessage(message);
    const again = sim.ws.pushMessage(message);
    const sameReqId = sim.ws.pushMessage(message, { reqId: first });
    expect(sameReqId).toBe(first);
    await eventually(() => sim.ws.responses.some((r) => r.reqId === first || r.reqId === again));
    await settle(600);
    const answers = sim.ws.responses.filter((r) => r.reqId === first || r.reqId === again);
    expect(answers).toHaveLength(1);
    expect(contentOf(answers[0] as WsFrameRecord)).toContain("张三");
    expect(await bot.runtime.db.prisma.inboxMessage.count()).toBe(1);
    expect(sim.ws.sends).toHaveLength(0);
  });

  it("reconnects after the connection drops and answers the next message", async () => {
    const opened = sim.ws.connectionsOpened;
    const back = resubscribed();
    sim.dropWs();
    await back();
    expect(sim.ws.connectionsOpened).toBe(opened + 1);
    const reqId = sim.ws.pushMessage(groupMessage("@汇报 我是谁"));
    expect(contentOf(await sim.ws.waitForResponse(reqId, 10_000))).toContain("张三");
  });

  it("pushes the reply to the chat with aibot_send_msg when WeCom no longer takes the req_id", async () => {
    sim.ws.failNext("aibot_respond_msg", sim.codes.wsInvalidReqId);
    const sendsBefore = sim.ws.sends.length;
    const reqId = sim.ws.pushMessage(groupMessage("@汇报 帮助"));
    const pushed = await eventually(() => sim.ws.sends.slice(sendsBefore)[0]);
    expect(pushed.body).toMatchObject({ chatid: GROUP_CHAT, msgtype: "markdown" });
    expect(pushedContent(pushed)).toContain(HELP);
    await settle();
    expect(sim.ws.responses.filter((r) => r.reqId === reqId)).toHaveLength(0);
    expect(sim.ws.sends.length - sendsBefore).toBe(1);
    const rows = await bot.runtime.db.prisma.outboxMessage.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.channel, r.status])).toEqual([
      ["wecom.ws", "rerouted"],
      ["wecom.ws_send", "sent"],
    ]);
    expect(rows[0]?.lastError).toContain(String(sim.codes.wsInvalidReqId));
  });

  it("delivers a proactive announcement (wsChatEntry) as aibot_send_msg", async () => {
    const chat = "wrAnnounceGroup";
    sim.ws.allowChat(botId(), chat);
    const sendsBefore = sim.ws.sends.length;
    await bot.messaging.outbox.enqueue([wsChatEntry(botId(), chat, "## 本周通知\n- 周五前交进度")]);
    const pushed = await eventually(() => sim.ws.sends.slice(sendsBefore)[0]);
    expect(pushed.body).toEqual({
      chatid: chat,
      msgtype: "markdown",
      markdown: { content: "## 本周通知\n- 周五前交进度" },
    });
    const row = await eventually(async () => {
      const r = await bot.runtime.db.prisma.outboxMessage.findFirst();
      return r?.status === "sent" ? r : undefined;
    });
    expect(row.destination).toBe(`wecom.ws:${botId()}`);
  });

  it("sends an announcement WeCom refuses on the connection through the group robot instead", async () => {
    const robot = sim.webhooks.get(GROUP_KEY);
    const before = robot.messages.length;
    sim.ws.failNext("aibot_send_msg", sim.codes.wsUnknownChat);
    await bot.messaging.outbox.enqueue([wsChatEntry(botId(), GROUP_CHAT, "**明早 9 点**开会")]);
    await eventually(() => robot.messages.length > before);
    expect(robot.messages.at(-1)?.content).toBe("**明早 9 点**开会");
    await settle();
    const rows = await bot.runtime.db.prisma.outboxMessage.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.channel, r.status])).toEqual([
      ["wecom.ws_send", "rerouted"],
      ["wecom.webhook", "sent"],
    ]);
  });

  it("keeps an announcement queued while the connection is down and sends it after reconnecting", async () => {
    // The gateway refuses the first two reconnects (≥ 2.1 s of backoff before the third), longer
    // than the outbox takes to look again (it polls every 2 s).
    sim.ws.refuseNext(2);
    const sendsBefore = sim.ws.sends.length;
    const back = resubscribed();
    sim.dropWs();
    await eventually(() => sim.ws.openConnections === 0);
    await bot.messaging.outbox.enqueue([wsChatEntry(botId(), GROUP_CHAT, "断线期间的通知")]);
    await settle(2_500);
    // It waits for the connection without using up its delivery attempts (a long outage must not
    // fail it for good).
    const waiting = await bot.runtime.db.prisma.outboxMessage.findFirst();
    expect(waiting).toMatchObject({ status: "queued", attempts: 0 });
    expect(sim.ws.sends.length).toBe(sendsBefore);
    await back();
    const pushed = await eventually(() => sim.ws.sends.slice(sendsBefore)[0]);
    expect(pushedContent(pushed)).toBe("断线期间的通知");
    const sent = await eventually(async () => {
      const row = await bot.runtime.db.prisma.outboxMessage.findFirst();
      return row?.status === "sent" ? row : undefined;
    });
    expect(sent.attempts).toBe(1);
  }, 30_000);

  it("closes the connection when the server stops, and does not come back", async () => {
    expect(sim.ws.subscribed).toContain(botId());
    const opened = sim.ws.connectionsOpened;
    await bot.stop();
    await eventually(() => sim.ws.openConnections === 0);
    expect(sim.ws.subscribed).not.toContain(botId());
    await settle(1_500); // longer than the first reconnect delay
    expect(sim.ws.connectionsOpened).toBe(opened);
  });
});
