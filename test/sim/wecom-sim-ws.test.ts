import { afterEach, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startWecomSim, type WecomSim } from "./wecom/index.ts";
import { waitFor } from "./wecom/wait.ts";

/** The simulator's long-connection endpoint, driven by a bare `ws` client speaking the documented frames. */

type Frame = {
  cmd?: string;
  headers: { req_id: string };
  body?: Record<string, unknown>;
  errcode?: number;
  errmsg?: string;
};

interface Peer {
  ws: WebSocket;
  frames: Frame[];
  closed: Promise<number>;
  send(frame: unknown): void;
  next(pred: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  ackOf(reqId: string): Promise<Frame>;
}

let sim: WecomSim;
const peers: WebSocket[] = [];

beforeEach(async () => {
  sim = await startWecomSim({ ws: { idleTimeoutMs: 400 } });
});
afterEach(async () => {
  for (const p of peers.splice(0)) p.terminate();
  await sim.close();
});

async function connect(): Promise<Peer> {
  const ws = new WebSocket(sim.wsUrl);
  peers.push(ws);
  const frames: Frame[] = [];
  ws.on("message", (d) => frames.push(JSON.parse(d.toString()) as Frame));
  const closed = new Promise<number>((r) => ws.on("close", (code) => r(code)));
  await new Promise((r, j) => {
    ws.once("open", r);
    ws.once("error", j);
  });
  const next = (pred: (f: Frame) => boolean, timeoutMs = 2000) =>
    waitFor(() => frames.find(pred), timeoutMs, "a frame");
  return {
    ws,
    frames,
    closed,
    send: (frame) => ws.send(typeof frame === "string" ? frame : JSON.stringify(frame)),
    next,
    ackOf: (reqId) => next((f) => f.cmd === undefined && f.headers.req_id === reqId),
  };
}

async function subscribed(secret = sim.aiBot.secret): Promise<Peer> {
  const peer = await connect();
  peer.send({
    cmd: "aibot_subscribe",
    headers: { req_id: "aibot_subscribe_1" },
    body: { bot_id: sim.aiBot.botId, secret },
  });
  await peer.ackOf("aibot_subscribe_1");
  return peer;
}

describe("subscribe", () => {
  it("acks a correct subscribe on the same req_id with errcode 0", async () => {
    const peer = await subscribed();
    expect(peer.frames[0]).toEqual({ headers: { req_id: "aibot_subscribe_1" }, errcode: 0, errmsg: "ok" });
    expect(sim.ws.subscribed).toEqual([sim.aiBot.botId]);
  });

  it("refuses a wrong secret with 853000 and closes the socket", async () => {
    const peer = await subscribed("wrong");
    expect(peer.frames[0]).toMatchObject({ errcode: 853000 });
    await peer.closed;
    expect(sim.ws.subscribes).toEqual([{ connId: 1, botId: sim.aiBot.botId, ok: false }]);
    expect(sim.ws.subscribed).toEqual([]);
  });

  it("refuses commands before the subscribe", async () => {
    const peer = await connect();
    peer.send({ cmd: "ping", headers: { req_id: "ping_1" } });
    expect(await peer.ackOf("ping_1")).toMatchObject({ errcode: sim.codes.wsNotSubscribed });
  });

  it("kicks the older connection of the same bot with disconnected_event", async () => {
    const first = await subscribed();
    const second = await subscribed();
    const event = await first.next((f) => f.cmd === "aibot_event_callback");
    expect(event.body).toMatchObject({ msgtype: "event", event: { eventtype: "disconnected_event" } });
    await first.closed;
    expect(second.ws.readyState).toBe(WebSocket.OPEN);
    expect(sim.ws.subscribed).toEqual([sim.aiBot.botId]);
  });
});

describe("heartbeat and liveness", () => {
  it("acks pings, counts them, and can stop answering", async () => {
    const peer = await subscribed();
    peer.send({ cmd: "ping", headers: { req_id: "ping_a" } });
    expect(await peer.ackOf("ping_a")).toMatchObject({ errcode: 0 });
    sim.ws.ackPings = false;
    peer.send({ cmd: "ping", headers: { req_id: "ping_b" } });
    await expect(peer.next((f) => f.headers.req_id === "ping_b", 150)).rejects.toThrow(/timed out/);
    expect(sim.ws.pings).toBe(2);
  });

  it("closes a connection that stays silent past idleTimeoutMs, keeps one that pings", async () => {
    const silent = await subscribed();
    const chatty = await connect();
    const timer = setInterval(
      () => chatty.send({ cmd: "ping", headers: { req_id: `ping_${Date.now()}` } }),
      100,
    );
    try {
      await silent.closed;
      expect(chatty.ws.readyState).toBe(WebSocket.OPEN);
    } finally {
      clearInterval(timer);
    }
  });

  it("dropWs() cuts every connection without a close handshake", async () => {
    const peer = await subscribed();
    sim.dropWs();
    expect(await peer.closed).toBe(1006);
  });

  it("refuseNext() fails upgrades with 503", async () => {
    sim.ws.refuseNext(1);
    await expect(connect()).rejects.toThrow(/503/);
    await expect(connect()).resolves.toBeDefined();
  });

  it("records malformed frames and keeps the connection", async () => {
    const peer = await subscribed();
    peer.send("not json at all");
    peer.send("[1,2,3]");
    peer.send({ cmd: "ping", headers: { req_id: "ping_after" } });
    await peer.ackOf("ping_after");
    expect(sim.ws.malformed).toEqual(["not json at all", "[1,2,3]"]);
  });
});

describe("callbacks and responses", () => {
  it("pushes a member message; a response must echo its req_id", async () => {
    const peer = await subscribed();
    const body = sim.botTextMessage({ chatid: "wrG1", userid: "zhangsan", content: "@汇报 帮助" });
    const reqId = sim.ws.pushMessage(body);
    const pushed = await peer.next((f) => f.cmd === "aibot_msg_callback");
    expect(pushed).toEqual({ cmd: "aibot_msg_callback", headers: { req_id: reqId }, body });

    const stream = (id: string, content: string, finish = true) => ({
      msgtype: "stream",
      stream: { id, finish, content },
    });
    peer.send({ cmd: "aibot_respond_msg", headers: { req_id: "made-up" }, body: stream("s0", "x") });
    expect(await peer.ackOf("made-up")).toMatchObject({ errcode: 846605 });

    peer.send({ cmd: "aibot_respond_msg", headers: { req_id: reqId }, body: stream("s1", "思考中", false) });
    expect(await peer.ackOf(reqId)).toMatchObject({ errcode: 0 });
    peer.frames.length = 0;
    peer.send({ cmd: "aibot_respond_msg", headers: { req_id: reqId }, body: stream("s1", "完成") });
    expect(await peer.ackOf(reqId)).toMatchObject({ errcode: 0 });
    peer.frames.length = 0;
    peer.send({ cmd: "aibot_respond_msg", headers: { req_id: reqId }, body: stream("s1", "again") });
    expect(await peer.ackOf(reqId)).toMatchObject({ errcode: 846608 });
    peer.frames.length = 0;
    peer.send({
      cmd: "aibot_respond_msg",
      headers: { req_id: reqId },
      body: stream("s2", "长".repeat(6827)),
    });
    expect(await peer.ackOf(reqId)).toMatchObject({ errcode: sim.codes.contentTooLong });

    expect(sim.ws.responses.map((r) => (r.body.stream as { content: string }).content)).toEqual([
      "思考中",
      "完成",
    ]);
    expect((await sim.ws.waitForResponse(reqId)).reqId).toBe(reqId);
  });

  it("aibot_send_msg reaches chats the bot heard from, markdown only", async () => {
    const peer = await subscribed();
    const send = (req_id: string, body: unknown) =>
      peer.send({ cmd: "aibot_send_msg", headers: { req_id }, body });
    send("s1", { chatid: "wrG1", msgtype: "markdown", markdown: { content: "公告" } });
    expect(await peer.ackOf("s1")).toMatchObject({ errcode: sim.codes.wsUnknownChat });
    sim.ws.pushMessage(sim.botTextMessage({ chatid: "wrG1", userid: "zhangsan", content: "@汇报 hi" }));
    send("s2", { chatid: "wrG1", msgtype: "markdown", markdown: { content: "公告" } });
    expect(await peer.ackOf("s2")).toMatchObject({ errcode: 0 });
    send("s3", { chatid: "wrG1", msgtype: "text", text: { content: "公告" } });
    expect(await peer.ackOf("s3")).toMatchObject({ errcode: 40008 });
    sim.ws.allowChat(sim.aiBot.botId, "lisi");
    send("s4", { chatid: "lisi", msgtype: "markdown", markdown: { content: "私信" } });
    expect(await peer.ackOf("s4")).toMatchObject({ errcode: 0 });
    expect(sim.ws.sends.map((s) => [s.body.chatid, s.reqId])).toEqual([
      ["wrG1", "s2"],
      ["lisi", "s4"],
    ]);
  });

  it("failNext answers the next frames of a command with an errcode, or not at all, without effect", async () => {
    const peer = await subscribed();
    sim.ws.allowChat(sim.aiBot.botId, "wrG1");
    sim.ws.failNext("aibot_send_msg", 45009);
    sim.ws.failNext("aibot_send_msg", undefined);
    const body = { chatid: "wrG1", msgtype: "markdown", markdown: { content: "x" } };
    peer.send({ cmd: "aibot_send_msg", headers: { req_id: "f1" }, body });
    expect(await peer.ackOf("f1")).toMatchObject({ errcode: 45009 });
    peer.send({ cmd: "aibot_send_msg", headers: { req_id: "f2" }, body });
    // A short wait: this file's connections are closed after 400 ms of silence.
    await expect(peer.next((f) => f.headers.req_id === "f2", 200)).rejects.toThrow(/timed out/);
    peer.send({ cmd: "aibot_send_msg", headers: { req_id: "f3" }, body });
    expect(await peer.ackOf("f3")).toMatchObject({ errcode: 0 });
    expect(sim.ws.sends.map((s) => s.reqId)).toEqual(["f3"]);
  });

  it("pushMessage without a subscribed connection throws", () => {
    expect(() => sim.ws.pushMessage({ aibotid: sim.aiBot.botId })).toThrow(/no subscribed long connection/);
  });
});
