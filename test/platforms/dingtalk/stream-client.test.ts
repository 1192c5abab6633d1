import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../../src/lib/clock.ts";
import { createLogger } from "../../../src/lib/logger.ts";
import {
  type DingtalkStream,
  type DingtalkStreamOptions,
  type StreamHeaders,
  startDingtalkStream,
} from "../../../src/platforms/dingtalk/stream-client.ts";
import { type DingtalkSim, startDingtalkSim, TOPIC_ROBOT } from "../../sim/dingtalk/index.ts";
import { sleep, waitFor } from "../../sim/dingtalk/wait.ts";

/** The real Stream client against the loopback DingTalk simulator (gateway + WebSocket). */

const REDELIVER_MS = 200;

let clock: FakeClock;
let sim: DingtalkSim;
let logs: string[];
let heard: Array<{ data: string; headers: StreamHeaders }>;
let client: DingtalkStream | undefined;

beforeEach(async () => {
  clock = new FakeClock("2025-03-01T02:00:00Z");
  sim = await startDingtalkSim({ clock, stream: { redeliverAfterMs: REDELIVER_MS } });
  logs = [];
  heard = [];
});
afterEach(async () => {
  await client?.close();
  client = undefined;
  await sim.close();
});

function start(overrides: Partial<DingtalkStreamOptions> = {}): DingtalkStream {
  client = startDingtalkStream({
    apiBase: sim.apiUrl,
    clientId: sim.app.appKey,
    clientSecret: sim.app.appSecret,
    clock,
    logger: createLogger("debug", { write: (line: string) => void logs.push(line) }),
    backoff: { baseMs: 20, maxMs: 200, jitter: 0.5 },
    onCallback: async (data, headers) => {
      heard.push({ data, headers });
    },
    ...overrides,
  });
  return client;
}

const message = (content: string) =>
  sim.textMessage({
    conversationId: "cidGroup1",
    conversationType: "2",
    senderStaffId: "zhangsan",
    senderNick: "张三",
    content,
  });
const logText = () => logs.join("");

describe("connecting", () => {
  it("registers the robot callback topic with clientId/clientSecret and connects with the ticket", async () => {
    const c = start();
    expect(c.connected).toBe(false);
    await c.whenConnected(2000);
    expect(c.connected).toBe(true);
    expect(sim.gateway.opens).toEqual([
      {
        clientId: sim.app.appKey,
        ok: true,
        subscriptions: [{ type: "CALLBACK", topic: TOPIC_ROBOT }],
        at: clock.now(),
      },
    ]);
    expect(sim.stream.openConnections).toBe(1);
    expect(logText()).toContain("ticket=***");
  });

  it("wrong credentials: keeps retrying with backoff, logs a clear error, never logs the secret", async () => {
    const secret = "s3cr3t-that-must-not-leak";
    const c = start({ clientSecret: secret });
    const failure = await c.whenConnected(300).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(String(failure)).toMatch(/HTTP 401 authFailed/);
    // It keeps trying (poll rather than assume how many retries fit in a time window on a busy machine).
    for (let i = 0; i < 100 && sim.gateway.opens.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(sim.gateway.opens.length).toBeGreaterThanOrEqual(2);
    expect(logText()).toContain("check DINGTALK_APP_KEY and DINGTALK_APP_SECRET");
    expect(logText()).not.toContain(secret);
    expect(logText()).not.toContain(sim.app.appSecret);
  });

  it("a gateway outage and a refused upgrade are retried until it connects", async () => {
    sim.faults.next(2, "5xx", "gateway/connections/open");
    sim.stream.refuseNext(1);
    const c = start();
    await c.whenConnected(3000);
    expect(sim.gateway.opens.filter((o) => o.ok)).toHaveLength(2);
    expect(sim.stream.refusedUpgrades).toEqual([{ reason: "refuseNext" }]);
  });
});

describe("callbacks", () => {
  it("acks a callback as soon as it is stored, so nothing is redelivered", async () => {
    let stored = false;
    const c = start({
      onCallback: async (data, headers) => {
        await sleep(50); // storing takes a moment; the bot answers later, from the inbox
        heard.push({ data, headers });
        stored = true;
      },
    });
    await c.whenConnected(2000);
    const body = message(" 进度 2.1 50%");
    const id = sim.pushCallback(body);
    const ack = await sim.stream.waitForAck(id, 2000);
    expect(stored).toBe(true);
    expect(ack).toMatchObject({
      code: 200,
      message: "OK",
      headers: { contentType: "application/json", messageId: id },
      data: JSON.stringify({ response: null }),
    });
    await sleep(REDELIVER_MS * 3);
    expect(sim.stream.deliveriesOf(id)).toBe(1);
    expect(heard).toHaveLength(1);
    expect(JSON.parse(heard[0]?.data ?? "")).toEqual(body);
    expect(heard[0]?.headers).toMatchObject({ messageId: id, topic: TOPIC_ROBOT });
  });

  it("leaves a callback that could not be stored un-acked, so DingTalk delivers it again", async () => {
    let calls = 0;
    const c = start({
      onCallback: async (data, headers) => {
        calls++;
        if (calls === 1) throw new Error("database unreachable");
        heard.push({ data, headers });
      },
    });
    await c.whenConnected(2000);
    const id = sim.pushCallback(message(" 帮助"));
    await sim.stream.waitForAck(id, REDELIVER_MS * 10);
    expect(sim.stream.deliveriesOf(id)).toBe(2);
    expect(heard).toHaveLength(1);
    expect(c.connected).toBe(true);
    expect(logText()).toContain("left un-acked for redelivery");
  });

  it("survives malformed frames and still handles the next callback", async () => {
    const c = start();
    await c.whenConnected(2000);
    sim.stream.pushRaw("not json {");
    sim.stream.pushRaw("[1,2,3]");
    sim.stream.pushRaw(JSON.stringify({ type: "CALLBACK", headers: {}, data: "{}" }));
    sim.stream.pushRaw(JSON.stringify({ type: "WHAT", headers: { messageId: "x1" }, data: "{}" }));
    sim.stream.pushRaw(JSON.stringify({ type: "SYSTEM", headers: { messageId: "x2", topic: "REGISTERED" } }));
    // A CALLBACK with a messageId but unreadable data: acked (or it would come back), not handled.
    sim.stream.pushRaw(
      JSON.stringify({ type: "CALLBACK", headers: { messageId: "cb-bad", topic: TOPIC_ROBOT }, data: 42 }),
    );
    const id = sim.pushCallback(message("帮助"));
    await sim.stream.waitForAck(id);
    await waitFor(() => heard.find((h) => h.headers.messageId === id), 1000, "the good callback");
    expect(heard.map((h) => h.headers.messageId)).not.toContain("cb-bad");
    expect(c.connected).toBe(true);
    expect(sim.stream.connectionsOpened).toBe(1);
    expect(logText()).toContain("malformed stream frame skipped");
    expect(logText()).toContain("callback without readable data acked and skipped");
  });
});

describe("keep-alive and reconnects", () => {
  it("echoes SYSTEM pings with their headers and data", async () => {
    const c = start();
    await c.whenConnected(2000);
    const [pingId] = sim.stream.ping();
    await waitFor(() => sim.stream.pingEchoes.find((e) => e.messageId === pingId), 1000, "the ping echo");
    expect(sim.stream.malformed).toEqual([]);
  });

  it("sends WebSocket pings to keep the connection alive", async () => {
    const c = start({ keepAliveMs: 30 });
    await c.whenConnected(2000);
    await waitFor(() => (sim.stream.wsPings >= 2 ? true : undefined), 1000, "two keep-alive pings");
    expect(c.connected).toBe(true);
  });

  it("reconnects after dropStream() with a new ticket, and receives callbacks again", async () => {
    const c = start();
    await c.whenConnected(2000);
    sim.dropStream();
    await sim.stream.waitForConnections(2, 3000);
    await c.whenConnected(2000);
    expect(sim.gateway.opens.filter((o) => o.ok)).toHaveLength(2);
    const id = sim.pushCallback(message("重连后"));
    await sim.stream.waitForAck(id);
    await waitFor(() => heard.find((h) => h.headers.messageId === id), 1000, "the callback after reconnect");
  });

  it("a callback pushed while disconnected arrives by redelivery after the reconnect", async () => {
    const c = start({ backoff: { baseMs: 100, maxMs: 100, jitter: 0 } });
    await c.whenConnected(2000);
    sim.dropStream();
    await waitFor(() => (c.connected ? undefined : true), 1000, "the client to notice");
    const id = sim.pushCallback(message("断线时"));
    await sim.stream.waitForAck(id, 3000);
    expect(sim.stream.deliveriesOf(id)).toBe(1);
    await waitFor(() => heard.find((h) => h.headers.messageId === id), 1000, "the callback");
  });

  it("a SYSTEM disconnect notice makes it reconnect", async () => {
    const c = start();
    await c.whenConnected(2000);
    sim.stream.sendDisconnect("persistent connection is timeout", 1000);
    await sim.stream.waitForConnections(2, 3000);
    await c.whenConnected(2000);
    expect(logText()).toContain("DingTalk announced a disconnect");
  });

  it("close() stops everything: no reconnect afterwards", async () => {
    const c = start();
    await c.whenConnected(2000);
    await c.close();
    expect(c.connected).toBe(false);
    expect(c.state).toBe("closed");
    await sleep(300);
    expect(sim.gateway.opens).toHaveLength(1);
    await waitFor(() => (sim.stream.openConnections === 0 ? true : undefined), 1000, "the socket to close");
  });
});
