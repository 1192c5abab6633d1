import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { FakeClock } from "../../src/lib/clock.ts";
import { type DingtalkSim, dingSign, fault, startDingtalkSim, TOPIC_ROBOT } from "./dingtalk/index.ts";
import { sleep, waitFor } from "./dingtalk/wait.ts";

/** The DingTalk simulator against the protocol (shared/protocols.md), over real HTTP and WebSocket. */

let clock: FakeClock;
let sim: DingtalkSim;

beforeEach(async () => {
  clock = new FakeClock("2025-03-01T02:00:00Z");
  sim = await startDingtalkSim({ clock, stream: { redeliverAfterMs: 150 } });
});
afterEach(() => sim.close());

interface Answer {
  status: number;
  json: Record<string, unknown>;
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${sim.apiUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const tokenCall = (appSecret = sim.app.appSecret) =>
  post("/v1.0/oauth2/accessToken", { appKey: sim.app.appKey, appSecret });

async function token(): Promise<string> {
  const a = await tokenCall();
  expect(a.status).toBe(200);
  return a.json.accessToken as string;
}

const textParam = (content: string) => JSON.stringify({ content });
const groupSend = (
  tok: string | undefined,
  conv: string,
  msgParam = textParam("你好"),
  msgKey = "sampleText",
) =>
  post(
    "/v1.0/robot/groupMessages/send",
    { robotCode: sim.app.robotCode, openConversationId: conv, msgKey, msgParam },
    tok === undefined ? {} : { "x-acs-dingtalk-access-token": tok },
  );

/** The test's own signature, from the protocol text, independent of the simulator's sign.ts. */
const hmac = (secret: string, ts: number | string) =>
  createHmac("sha256", secret).update(`${ts}\n${secret}`).digest("base64");

function robotUrl(tokenValue: string, secret: string, ts = clock.now().getTime(), encode = true): string {
  const sign = hmac(secret, ts);
  return `/robot/send?access_token=${tokenValue}&timestamp=${ts}&sign=${encode ? encodeURIComponent(sign) : sign}`;
}
const text = (content: string) => ({ msgtype: "text", text: { content } });

describe("signing", () => {
  it("matches the protocol's test vector", () => {
    expect(dingSign("SECtestsecret", 1700000000000)).toBe("7LVwF0dAF3/+MRRulbpE4y72Ogzykc6bS2nG4I99T4s=");
    expect(encodeURIComponent(dingSign("SECtestsecret", "1700000000000"))).toBe(
      "7LVwF0dAF3%2F%2BMRRulbpE4y72Ogzykc6bS2nG4I99T4s%3D",
    );
  });
});

describe("access token", () => {
  it("issues {accessToken, expireIn: 7200} and the same token while it is valid", async () => {
    const first = await tokenCall();
    expect(first).toMatchObject({ status: 200, json: { expireIn: 7200 } });
    clock.advance(3600_000);
    expect((await tokenCall()).json.accessToken).toBe(first.json.accessToken);
    expect(sim.tokens.calls).toBe(2);
  });

  it("refuses a wrong secret with HTTP 400 and DingTalk's {code, message, requestid}", async () => {
    const a = await tokenCall("wrong");
    expect(a.status).toBe(400);
    expect(a.json).toMatchObject({ code: sim.codes.badAppSecret.code, message: expect.any(String) });
    expect(a.json.requestid).toEqual(expect.any(String));
  });

  it("a token is refused with 401 InvalidAuthentication after expireTokens() and after 7200 s", async () => {
    const t1 = await token();
    expect((await groupSend(t1, "cidA")).status).toBe(200);
    sim.expireTokens();
    expect(await groupSend(t1, "cidA")).toMatchObject({
      status: 401,
      json: { code: "InvalidAuthentication" },
    });
    const t2 = await token();
    expect(t2).not.toBe(t1);
    clock.advance(7200_000);
    expect((await groupSend(t2, "cidA")).json.code).toBe("InvalidAuthentication");
  });
});

describe("enterprise robot group send", () => {
  it("answers {processQueryKey} and records the message per conversation", async () => {
    const tok = await token();
    const a = await groupSend(tok, "cidGroup1", textParam("第一条"));
    expect(a.status).toBe(200);
    expect(a.json.processQueryKey).toEqual(expect.any(String));
    await groupSend(
      tok,
      "cidGroup2",
      JSON.stringify({ title: "周报", text: "## 本周\n\n完成" }),
      "sampleMarkdown",
    );
    expect(sim.groupMessages("cidGroup1").map((m) => m.param)).toEqual([{ content: "第一条" }]);
    expect(sim.groupMessages("cidGroup2")[0]).toMatchObject({
      msgKey: "sampleMarkdown",
      robotCode: sim.app.robotCode,
      param: { title: "周报" },
    });
  });

  it("refuses a missing or invalid token, a wrong robotCode, and a msgParam that does not fit its msgKey", async () => {
    expect((await groupSend(undefined, "cidA")).status).toBe(401);
    expect((await groupSend("nope", "cidA")).json.code).toBe("InvalidAuthentication");
    const tok = await token();
    const wrongRobot = await post(
      "/v1.0/robot/groupMessages/send",
      { robotCode: "dingother", openConversationId: "cidA", msgKey: "sampleText", msgParam: textParam("x") },
      { "x-acs-dingtalk-access-token": tok },
    );
    expect(wrongRobot).toMatchObject({ status: 400, json: { code: sim.codes.robotNotOwned.code } });
    expect(
      (await groupSend(tok, "cidA", JSON.stringify({ text: "no title" }), "sampleMarkdown")).status,
    ).toBe(400);
    expect((await groupSend(tok, "cidA", "not json")).status).toBe(400);
    expect((await groupSend(tok, "cidA", textParam("长".repeat(5001)))).json.code).toBe(
      sim.codes.msgParamTooLong.code,
    );
    expect(sim.robot.groupMessages).toHaveLength(0);
  });
});

describe("enterprise robot one-to-one batchSend", () => {
  it("records per user and lists invalid and flow-controlled users", async () => {
    const tok = await token();
    sim.robot.unknownUsers.add("ghost");
    sim.robot.flowControlledUsers.add("busy");
    const a = await post(
      "/v1.0/robot/oToMessages/batchSend",
      {
        robotCode: sim.app.robotCode,
        userIds: ["zhangsan", "lisi", "ghost", "busy"],
        msgKey: "sampleText",
        msgParam: textParam("请审批"),
      },
      { "x-acs-dingtalk-access-token": tok },
    );
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ invalidStaffIdList: ["ghost"], flowControlledStaffIdList: ["busy"] });
    expect(sim.oneToOneMessages("zhangsan")).toHaveLength(1);
    expect(sim.oneToOneMessages("lisi")[0]?.param).toEqual({ content: "请审批" });
    expect(sim.oneToOneMessages("ghost")).toHaveLength(0);
  });
});

describe("session webhook", () => {
  it("accepts text and markdown until it expires by the clock, then answers 300001", async () => {
    const hook = sim.newSessionWebhook("cidGroup1", 60_000);
    expect(hook.expiresAt).toBe(clock.now().getTime() + 60_000);
    const send = async (body: unknown) =>
      (await fetch(hook.url, { method: "POST", body: JSON.stringify(body) })).json();
    expect(await send({ ...text("@zhangsan 收到"), at: { atUserIds: ["zhangsan"] } })).toEqual({
      errcode: 0,
      errmsg: "ok",
    });
    expect(await send({ msgtype: "markdown", markdown: { title: "进度", text: "**50%**" } })).toMatchObject({
      errcode: 0,
    });
    expect(await send({ msgtype: "markdown", markdown: { text: "no title" } })).toMatchObject({
      errcode: 40035,
    });
    clock.advance(60_000);
    expect(await send(text("too late"))).toMatchObject({ errcode: sim.codes.sessionExpired });
    const record = sim.sessions.get(hook.url);
    expect(record.messages.map((m) => m.msgtype)).toEqual(["text", "markdown"]);
    expect(record.messages[0]?.atUserIds).toEqual(["zhangsan"]);
    expect(sim.sessions.inConversation("cidGroup1")).toHaveLength(2);
  });
});

describe("custom robot webhook", () => {
  const TOKEN = "robot-token-0001";
  const SECRET = "SECsimrobotsecret";
  const send = async (url: string, body: unknown = text("公告")) =>
    (await post(url, body)).json as { errcode: number; errmsg: string };

  beforeEach(() => void sim.addCustomRobot(TOKEN, SECRET, "宣传科工作群"));

  it("accepts a fresh signature and records the message", async () => {
    expect(await send(robotUrl(TOKEN, SECRET))).toEqual({ errcode: 0, errmsg: "ok" });
    expect(sim.customRobots.get(TOKEN).messages.map((m) => m.text)).toEqual(["公告"]);
  });

  it("refuses a wrong sign, an unencoded sign, a stale and a future timestamp with 310000", async () => {
    expect((await send(robotUrl(TOKEN, "SECwrong"))).errcode).toBe(310000);
    // Find a timestamp whose signature holds a '+': sent raw, form decoding turns it into a space.
    let ts = clock.now().getTime();
    while (!hmac(SECRET, ts).includes("+")) ts--;
    expect((await send(robotUrl(TOKEN, SECRET, ts, false))).errcode).toBe(310000);
    expect((await send(robotUrl(TOKEN, SECRET, ts, true))).errcode).toBe(0);
    const signedNow = robotUrl(TOKEN, SECRET);
    clock.advance(3600_000 + 1000);
    const stale = await send(signedNow);
    expect(stale.errcode).toBe(310000);
    expect(stale.errmsg).toMatch(/timestamp/);
    expect((await send(robotUrl(TOKEN, SECRET, clock.now().getTime() + 3600_000 + 1000))).errcode).toBe(
      310000,
    );
    expect((await send(robotUrl(TOKEN, SECRET))).errcode).toBe(0);
  });

  it("answers 300001 for an unknown token and enforces keywords with 310000", async () => {
    expect((await send(robotUrl("nobody", SECRET))).errcode).toBe(300001);
    sim.addCustomRobot("kw-token", undefined, "关键词群", { keywords: ["汇报"] });
    expect((await send("/robot/send?access_token=kw-token", text("hello"))).errcode).toBe(310000);
    expect((await send("/robot/send?access_token=kw-token", text("汇报：周一"))).errcode).toBe(0);
  });

  it("the 21st message in a minute → 130101, then everything is refused for 10 minutes by the clock", async () => {
    for (let i = 0; i < 20; i++) {
      expect((await send(robotUrl(TOKEN, SECRET), text(`第${i}条`))).errcode).toBe(0);
      clock.advance(1000);
    }
    const tooFast = await send(robotUrl(TOKEN, SECRET));
    expect(tooFast).toMatchObject({ errcode: 130101, errmsg: expect.stringMatching(/send too fast/) });
    // A minute later the rolling window is empty, yet the lockout holds for 10 minutes.
    clock.advance(61_000);
    expect((await send(robotUrl(TOKEN, SECRET))).errcode).toBe(130101);
    expect((await send(robotUrl(TOKEN, "SECwrong"))).errcode).toBe(130101);
    clock.advance(10 * 60_000 - 61_000 - 1);
    expect((await send(robotUrl(TOKEN, SECRET))).errcode).toBe(130101);
    clock.advance(1);
    expect((await send(robotUrl(TOKEN, SECRET))).errcode).toBe(0);
    const robot = sim.customRobots.get(TOKEN);
    expect(robot.messages).toHaveLength(21);
    expect(robot.rateLimitHits).toBe(4);
  });

  it("refuses a body over 20,000 bytes with 460101 and a malformed body with 40035", async () => {
    const long = text("汇".repeat(6667)); // 20,001 bytes of content alone
    expect((await send(robotUrl(TOKEN, SECRET), long)).errcode).toBe(460101);
    expect((await send(robotUrl(TOKEN, SECRET), { msgtype: "text" })).errcode).toBe(40035);
    expect((await send(robotUrl(TOKEN, SECRET), "{oops")).errcode).toBe(40035);
    expect(sim.customRobots.get(TOKEN).messages).toHaveLength(0);
  });
});

describe("callbacks towards our server", () => {
  it("signs with headers timestamp and sign, and builds a realistic text message with a live session webhook", async () => {
    const seen: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        seen.push({ headers: req.headers, body });
        res.end("");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dingtalk/bot`;
      const msg = sim.textMessage({
        conversationId: "cidGroup1",
        conversationType: "2",
        senderStaffId: "zhangsan",
        senderNick: "张三",
        content: " 进度 2.1 50%",
        atUsers: ["lisi"],
      });
      const result = await sim.deliverCallback({ url, body: msg });
      expect(result.status).toBe(200);
      const got = seen[0];
      const ts = got?.headers.timestamp as string;
      expect(ts).toBe(String(clock.now().getTime()));
      expect(got?.headers.sign).toBe(hmac(sim.app.appSecret, ts));
      const body = JSON.parse(got?.body ?? "{}");
      expect(body).toMatchObject({
        msgtype: "text",
        text: { content: " 进度 2.1 50%" },
        conversationType: "2",
        conversationId: "cidGroup1",
        senderStaffId: "zhangsan",
        robotCode: sim.app.robotCode,
        isInAtList: true,
      });
      expect(body.msgId).toMatch(/^msg/);
      expect(body.senderId).toMatch(/^\$:LWCP_v1:\$/);
      expect(body.atUsers).toEqual([
        { dingtalkId: body.chatbotUserId },
        { dingtalkId: expect.any(String), staffId: "lisi" },
      ]);
      expect(body.sessionWebhookExpiredTime).toBeGreaterThan(clock.now().getTime());
      const reply = await fetch(body.sessionWebhook, { method: "POST", body: JSON.stringify(text("收到")) });
      expect(await reply.json()).toEqual({ errcode: 0, errmsg: "ok" });
      expect(sim.sessions.inConversation("cidGroup1").map((m) => m.text)).toEqual(["收到"]);
    } finally {
      server.close();
    }
  });
});

describe("stream mode", () => {
  const subscriptions = [{ type: "CALLBACK", topic: TOPIC_ROBOT }];
  const open = (clientSecret = sim.app.appSecret) =>
    post("/v1.0/gateway/connections/open", { clientId: sim.app.appKey, clientSecret, subscriptions });

  /** A bare WebSocket client (no ack logic): the test decides what goes back. */
  async function connect(): Promise<{ ws: WebSocket; frames: Array<Record<string, unknown>> }> {
    const a = await open();
    const ws = new WebSocket(`${a.json.endpoint}?ticket=${a.json.ticket}`);
    const frames: Array<Record<string, unknown>> = [];
    ws.on("message", (d) => frames.push(JSON.parse(d.toString())));
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    return { ws, frames };
  }

  it("connections/open answers {endpoint, ticket}; wrong credentials → 401 authFailed; tickets are single use", async () => {
    expect(await open("wrong")).toMatchObject({ status: 401, json: { code: "authFailed" } });
    const a = await open();
    expect(a.json.endpoint).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/connect$/);
    const url = `${a.json.endpoint}?ticket=${a.json.ticket}`;
    const first = new WebSocket(url);
    await new Promise((r) => first.once("open", r));
    const second = new WebSocket(url);
    const err = await new Promise<Error>((r) => second.once("error", r));
    expect(err.message).toMatch(/401/);
    first.close();
    expect(sim.gateway.opens.map((o) => o.ok)).toEqual([false, true]);
  });

  it("pushes CALLBACK frames and redelivers an un-acked one with the same messageId", async () => {
    const { ws, frames } = await connect();
    const body = sim.textMessage({
      conversationId: "cidA",
      conversationType: "2",
      senderStaffId: "zhangsan",
      senderNick: "张三",
      content: " 帮助",
    });
    const id = sim.pushCallback(body);
    await waitFor(() => (frames.length >= 2 ? true : undefined), 2000, "a redelivery");
    expect(frames[0]).toMatchObject({
      specVersion: "1.0",
      type: "CALLBACK",
      headers: { messageId: id, topic: TOPIC_ROBOT, contentType: "application/json" },
    });
    expect(JSON.parse(frames[0]?.data as string)).toEqual(body);
    expect(frames[1]).toEqual({
      ...frames[0],
      headers: { ...(frames[0]?.headers as object), time: expect.any(String) },
    });
    // Ack now: no third delivery.
    ws.send(
      JSON.stringify({
        code: 200,
        headers: { contentType: "application/json", messageId: id },
        message: "OK",
        data: '{"response":null}',
      }),
    );
    await sim.stream.waitForAck(id);
    await sleep(400);
    expect(sim.stream.deliveriesOf(id)).toBe(2);
    expect(sim.stream.acks).toHaveLength(1);
    ws.close();
  });

  it("stops after maxDeliveries, and an acked callback is never redelivered", async () => {
    const { ws } = await connect();
    const ignored = sim.pushCallback({ msgId: "m1" });
    await sleep(700);
    expect(sim.stream.deliveriesOf(ignored)).toBe(3);
    ws.on("message", (d) => {
      const f = JSON.parse(d.toString());
      ws.send(
        JSON.stringify({
          code: 200,
          headers: { contentType: "application/json", messageId: f.headers.messageId },
          message: "OK",
          data: "{}",
        }),
      );
    });
    const acked = sim.pushCallback({ msgId: "m2" });
    await sim.stream.waitForAck(acked);
    await sleep(300);
    expect(sim.stream.deliveriesOf(acked)).toBe(1);
    ws.close();
  });

  it("sends SYSTEM pings and records echoes; dropStream() cuts the connection", async () => {
    const { ws, frames } = await connect();
    const [pingId] = sim.stream.ping();
    await waitFor(() => frames[0], 1000, "the ping");
    expect(frames[0]).toMatchObject({ type: "SYSTEM", headers: { topic: "ping", messageId: pingId } });
    ws.send(JSON.stringify({ code: 200, headers: frames[0]?.headers, message: "OK", data: frames[0]?.data }));
    await waitFor(() => sim.stream.pingEchoes[0], 1000, "the echo");
    const closed = new Promise((r) => ws.once("close", r));
    sim.dropStream();
    await closed;
    await waitFor(
      () => (sim.stream.openConnections === 0 ? true : undefined),
      1000,
      "the server side to close",
    );
  });
});

describe("fault injection", () => {
  it("5xx, drop, slow and errcode faults hit the chosen route only, in order", async () => {
    sim.addCustomRobot("T", "SECx", "群");
    sim.faults.next(1, "5xx", "oauth2/accessToken");
    sim.faults.next(1, fault.errcode(-1, "系统繁忙"), "robot/send");
    sim.faults.next(1, fault.apiError(403, "Forbidden.AccessDenied.QpsLimitForApi"), "groupMessages/send");
    expect((await tokenCall()).status).toBe(502);
    const tok = await token();
    expect(await groupSend(tok, "cidA")).toMatchObject({
      status: 403,
      json: { code: "Forbidden.AccessDenied.QpsLimitForApi" },
    });
    expect((await post(robotUrl("T", "SECx"), text("x"))).json).toMatchObject({ errcode: -1 });
    sim.faults.next(1, "drop", "robot/send");
    await expect(post(robotUrl("T", "SECx"), text("x"))).rejects.toThrow();
    sim.faults.next(1, fault.slow(100), "robot/send");
    const started = Date.now();
    expect((await post(robotUrl("T", "SECx"), text("慢"))).json.errcode).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(sim.faults.applied.map((f) => f.kind)).toEqual(["5xx", "apiError", "errcode", "drop", "slow"]);
    expect(sim.customRobots.get("T").messages.map((m) => m.text)).toEqual(["慢"]);
    expect(sim.requests.find((r) => r.route === "groupMessages/send")?.tokenHeader).toBe(true);
  });
});
