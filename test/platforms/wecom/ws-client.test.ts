import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../../src/lib/clock.ts";
import { createLogger } from "../../../src/lib/logger.ts";
import type { IncomingMessage } from "../../../src/platforms/types.ts";
import {
  startWecomLongConnection,
  type WecomLongConnection,
  type WecomLongConnectionOptions,
  type WecomReply,
  type WecomWsMeta,
} from "../../../src/platforms/wecom/ws-client.ts";
import { WecomWsError } from "../../../src/platforms/wecom/ws-errors.ts";
import { startWecomSim, type WecomSim } from "../../sim/wecom/index.ts";
import { waitFor } from "../../sim/wecom/wait.ts";

/** The real long-connection client against the loopback WeCom simulator. */

interface Heard {
  message: IncomingMessage;
  reply: WecomReply;
  meta: WecomWsMeta;
}

let sim: WecomSim;
let logs: string[];
let heard: Heard[];
let client: WecomLongConnection | undefined;
const clock = new FakeClock("2025-03-01T02:00:00Z");

beforeEach(async () => {
  sim = await startWecomSim({ clock });
  logs = [];
  heard = [];
});
afterEach(async () => {
  await client?.close();
  client = undefined;
  await sim.close();
});

function start(overrides: Partial<WecomLongConnectionOptions> = {}): WecomLongConnection {
  client = startWecomLongConnection({
    url: sim.wsUrl,
    botId: sim.aiBot.botId,
    secret: sim.aiBot.secret,
    botNames: ["汇报"],
    clock,
    logger: createLogger("debug", { write: (line: string) => void logs.push(line) }),
    backoff: { baseMs: 20, maxMs: 200, jitter: 0.5 },
    onMessage: async (message, reply, meta) => {
      heard.push({ message, reply, meta });
    },
    ...overrides,
  });
  return client;
}

const logText = () => logs.join("");

async function heardOne(): Promise<Heard> {
  const h = await waitFor(() => heard[0], 2000, "a message at the bot");
  heard.shift();
  return h;
}

describe("connecting", () => {
  it("subscribes with bot id and secret and reports connected", async () => {
    const c = start();
    expect(c.connected).toBe(false);
    await c.whenConnected(2000);
    expect(c.connected).toBe(true);
    expect(c.state).toBe("connected");
    expect(sim.ws.subscribes).toEqual([{ connId: 1, botId: sim.aiBot.botId, ok: true }]);
    expect(logText()).toContain("long connection subscribed");
  });

  it("reports a wrong secret clearly, keeps retrying with backoff, and never logs the secret", async () => {
    const secret = "s3cr3t-that-must-not-leak";
    const c = start({ secret });
    const failure = await c.whenConnected(300).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WecomWsError);
    expect(String((failure as Error).message)).toContain("853000");
    expect(c.connected).toBe(false);
    expect(c.lastError).toMatchObject({ errcode: 853000 });
    expect(logText()).toContain("WECOM_BOT_SECRET");
    expect(logText()).toContain('"errcode":853000');
    await waitFor(() => (sim.ws.subscribes.length >= 3 ? true : undefined), 3000, "3 subscribe attempts");
    expect(sim.ws.subscribes.every((s) => !s.ok)).toBe(true);
    expect(logText()).not.toContain(secret);
  });

  it("backs off while the gateway refuses upgrades, then connects", async () => {
    sim.ws.refuseNext(3);
    const c = start();
    await c.whenConnected(3000);
    expect(sim.ws.connectionsOpened).toBe(1);
    expect(logText().match(/long connection lost; reconnecting/g)?.length).toBe(3);
  });
});

describe("messages and replies", () => {
  it("decodes a group @-message and answers on the same req_id", async () => {
    const c = start();
    await c.whenConnected(2000);
    const body = sim.botTextMessage({
      chatid: "wrG1",
      userid: "zhangsan",
      content: "@汇报\u2005进度 2.1 50% 已开两场",
    });
    const reqId = sim.ws.pushMessage(body);
    const { message, reply, meta } = await heardOne();
    expect(message).toEqual({
      platform: "wecom",
      botId: sim.aiBot.botId,
      chatId: "wrG1",
      chatType: "group",
      sender: { userId: "zhangsan" },
      text: "进度 2.1 50% 已开两场",
      mentions: [],
      messageId: body.msgid,
      receivedAt: clock.now(),
    });
    expect(meta).toMatchObject({ reqId, responseUrl: body.response_url });
    expect(meta.dedupeKey).toContain("zhangsan");

    await reply({ format: "markdown", text: "已记录 **2.1** 50%", mentions: [{ userId: "zhangsan" }] });
    const response = await sim.ws.waitForResponse(reqId);
    expect(response.cmd).toBe("aibot_respond_msg");
    expect(response.body).toMatchObject({
      msgtype: "stream",
      stream: { finish: true, content: "<@zhangsan> 已记录 **2.1** 50%" },
    });
  });

  it("answers a single chat by userid and lets the handler reply twice in order", async () => {
    const c = start();
    await c.whenConnected(2000);
    const reqId = sim.ws.pushMessage(
      sim.botTextMessage({ chattype: "single", userid: "lisi", content: "帮助" }),
    );
    const { message, reply } = await heardOne();
    expect(message).toMatchObject({ chatType: "single", chatId: "lisi", text: "帮助" });
    await Promise.all([reply("第一段"), reply("第二段")]);
    const contents = sim.ws.responses
      .filter((r) => r.reqId === reqId)
      .map((r) => (r.body.stream as { content: string }).content);
    expect(contents).toEqual(["第一段", "第二段"]);
  });

  it("truncates a reply over 20480 bytes instead of having it refused", async () => {
    const c = start();
    await c.whenConnected(2000);
    const reqId = sim.ws.pushMessage(
      sim.botTextMessage({ chatid: "wrG1", userid: "u", content: "@汇报 导出" }),
    );
    await (await heardOne()).reply("长".repeat(8000));
    const content = ((await sim.ws.waitForResponse(reqId)).body.stream as { content: string }).content;
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(20480);
    expect(content.endsWith("…")).toBe(true);
  });

  it("rejects a reply WeCom refuses (errcode) or never acks (timeout); later replies still work", async () => {
    const c = start({ ackTimeoutMs: 150 });
    await c.whenConnected(2000);
    const reqId = sim.ws.pushMessage(
      sim.botTextMessage({ chatid: "wrG1", userid: "u", content: "@汇报 hi" }),
    );
    const { reply } = await heardOne();
    sim.ws.failNext("aibot_respond_msg", 846605);
    await expect(reply("一")).rejects.toMatchObject({ reason: "rejected", errcode: 846605 });
    sim.ws.failNext("aibot_respond_msg", undefined);
    await expect(reply("二")).rejects.toMatchObject({ reason: "ack-timeout" });
    await reply("三");
    expect(sim.ws.responses.filter((r) => r.reqId === reqId).map((r) => r.body.stream)).toMatchObject([
      { content: "三" },
    ]);
  });
});

describe("proactive sends", () => {
  it("pushes markdown to a chat with aibot_send_msg and resolves on the ack", async () => {
    const c = start();
    await c.whenConnected(2000);
    sim.ws.allowChat(sim.aiBot.botId, "wrG1");
    await c.sendToChat("wrG1", "## 本周进度\n- 2.1 50%");
    expect(sim.ws.sends).toHaveLength(1);
    expect(sim.ws.sends[0]?.body).toEqual({
      chatid: "wrG1",
      msgtype: "markdown",
      markdown: { content: "## 本周进度\n- 2.1 50%" },
    });
    expect(sim.ws.sends[0]?.reqId).toMatch(/^aibot_send_msg_\d+_[0-9a-f]{8}$/);
  });

  it("rejects with WeCom's errcode when refused, and with not-connected when down", async () => {
    const c = start();
    await c.whenConnected(2000);
    await expect(c.sendToChat("wrNever", "x")).rejects.toMatchObject({
      reason: "rejected",
      errcode: sim.codes.wsUnknownChat,
    });
    await c.close();
    await expect(c.sendToChat("wrG1", "x")).rejects.toMatchObject({ reason: "not-connected" });
  });
});

describe("keeping the connection", () => {
  it("sends heartbeats at the configured interval", async () => {
    const c = start({ heartbeatMs: 40 });
    await c.whenConnected(2000);
    await waitFor(() => (sim.ws.pings >= 3 ? true : undefined), 2000, "3 pings");
    expect(c.connected).toBe(true);
  });

  it("declares a connection dead after unanswered heartbeats and reconnects", async () => {
    const c = start({ heartbeatMs: 30, maxMissedPongs: 2 });
    await c.whenConnected(2000);
    sim.ws.ackPings = false;
    await waitFor(() => (sim.ws.connectionsOpened >= 2 ? true : undefined), 3000, "a new connection");
    sim.ws.ackPings = true;
    await sim.ws.waitForSubscribes(sim.aiBot.botId, 2);
    expect(logText()).toContain("heartbeats unanswered");
  });

  it("reconnects and resubscribes after dropWs(), then works as before", async () => {
    const c = start();
    await c.whenConnected(2000);
    sim.dropWs();
    await waitFor(() => (c.connected ? undefined : true), 1000, "the drop to be noticed");
    await sim.ws.waitForSubscribes(sim.aiBot.botId, 2);
    await c.whenConnected(2000);
    const reqId = sim.ws.pushMessage(
      sim.botTextMessage({ chatid: "wrG2", userid: "wangwu", content: "@汇报 进度" }),
    );
    await (await heardOne()).reply("好");
    expect((await sim.ws.waitForResponse(reqId)).body).toMatchObject({ stream: { content: "好" } });
    await c.sendToChat("wrG2", "after reconnect");
  });

  it("stops reconnecting when another connection takes the bot over", async () => {
    const c = start();
    await c.whenConnected(2000);
    sim.ws.kick(sim.aiBot.botId);
    await waitFor(() => (c.state === "kicked" ? true : undefined), 2000, "kicked state");
    await new Promise((r) => setTimeout(r, 150));
    expect(sim.ws.connectionsOpened).toBe(1);
    await expect(c.whenConnected(100)).rejects.toThrow(/kicked/);
  });

  it("close() ends everything: no reconnect afterwards", async () => {
    const c = start();
    await c.whenConnected(2000);
    await c.close();
    expect(c.state).toBe("closed");
    await new Promise((r) => setTimeout(r, 150));
    expect(sim.ws.openConnections).toBe(0);
    expect(sim.ws.connectionsOpened).toBe(1);
  });
});

describe("robustness", () => {
  it("survives malformed frames, undecodable callbacks and a throwing handler", async () => {
    let throwNext = true;
    const c = start({
      onMessage: async (message, reply, meta) => {
        if (throwNext) {
          throwNext = false;
          throw new Error("handler bug");
        }
        heard.push({ message, reply, meta });
      },
    });
    await c.whenConnected(2000);
    sim.ws.pushRaw("this is not json");
    sim.ws.pushRaw("[1,2,3]");
    sim.ws.pushRaw('{"cmd":"aibot_msg_callback"}');
    sim.ws.pushRaw('{"cmd":"something_new","headers":{"req_id":"x"}}');
    sim.ws.pushMessage({ aibotid: sim.aiBot.botId, msgtype: "text", text: { content: "no sender" } });
    sim.ws.pushMessage({
      aibotid: sim.aiBot.botId,
      msgid: "img",
      from: { userid: "u" },
      chattype: "group",
      chatid: "g",
      msgtype: "image",
    });
    sim.ws.pushMessage(sim.botTextMessage({ chatid: "wrG1", userid: "u", content: "@汇报 first" }));
    sim.ws.pushMessage(sim.botTextMessage({ chatid: "wrG1", userid: "u", content: "@汇报 second" }));
    const { message } = await heardOne();
    expect(message.text).toBe("second");
    expect(c.connected).toBe(true);
    expect(sim.ws.connectionsOpened).toBe(1);
    const text = logText();
    expect(text).toContain("malformed frame skipped");
    expect(text).toContain("not decodable");
    expect(text).toContain("handler bug");
  });
});
