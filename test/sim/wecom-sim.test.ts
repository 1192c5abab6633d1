import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../src/lib/clock.ts";
import { fault, startWecomSim, type WecomSim } from "./wecom/index.ts";

/** The simulator's HTTP APIs against the protocol: tokens, app messages, webhook robots, response_url, faults. */

let clock: FakeClock;
let sim: WecomSim;

beforeEach(async () => {
  clock = new FakeClock("2025-03-01T02:00:00Z");
  sim = await startWecomSim({ clock });
});
afterEach(() => sim.close());

async function call(method: "GET" | "POST", path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

const gettoken = (secret = sim.app.secret, corpid = sim.app.corpId) =>
  call("GET", `/cgi-bin/gettoken?corpid=${corpid}&corpsecret=${encodeURIComponent(secret)}`);

async function token(): Promise<string> {
  const answer = await gettoken();
  expect(answer.errcode).toBe(0);
  return answer.access_token as string;
}

const appText = (content: string, touser = "zhangsan", agentid: unknown = sim.app.agentId) => ({
  touser,
  msgtype: "text",
  agentid,
  text: { content },
});

describe("access token", () => {
  it("issues a 7200 s token, returns the same one while valid, and counts calls", async () => {
    const first = await gettoken();
    expect(first).toMatchObject({ errcode: 0, errmsg: "ok", expires_in: 7200 });
    expect(first.access_token).toEqual(expect.any(String));
    clock.advance(100_000);
    const second = await gettoken();
    expect(second.access_token).toBe(first.access_token);
    expect(second.expires_in).toBe(7100);
    expect(sim.tokens.calls).toBe(2);
  });

  it("refuses a wrong secret (40001) and an unknown corp (40013)", async () => {
    expect(await gettoken("wrong")).toMatchObject({ errcode: 40001 });
    expect(await gettoken(sim.app.secret, "wwnobody")).toMatchObject({ errcode: 40013 });
    expect(sim.tokens.calls).toBe(2);
  });

  it("answers 42001 after expireTokens() and after 7200 s, 40014 after invalidateTokens()", async () => {
    const t1 = await token();
    sim.expireTokens();
    expect(await call("POST", `/cgi-bin/message/send?access_token=${t1}`, appText("hi"))).toMatchObject({
      errcode: 42001,
    });
    const t2 = await token();
    expect(t2).not.toBe(t1);
    clock.advance(7200_000);
    expect(await call("POST", `/cgi-bin/message/send?access_token=${t2}`, appText("hi"))).toMatchObject({
      errcode: 42001,
    });
    const t3 = await token();
    sim.invalidateTokens();
    expect(await call("POST", `/cgi-bin/message/send?access_token=${t3}`, appText("hi"))).toMatchObject({
      errcode: 40014,
    });
    expect(await call("POST", "/cgi-bin/message/send?access_token=made-up", appText("hi"))).toMatchObject({
      errcode: 40014,
    });
    expect(await call("POST", "/cgi-bin/message/send", appText("hi"))).toMatchObject({ errcode: 41001 });
    expect(sim.appMessages.all).toHaveLength(0);
  });
});

describe("app message/send", () => {
  it("records text and markdown per user, including a|b recipients", async () => {
    const t = await token();
    const path = `/cgi-bin/message/send?access_token=${t}`;
    expect(await call("POST", path, appText("请审批", "zhangsan|lisi"))).toMatchObject({ errcode: 0 });
    const md = {
      touser: "lisi",
      msgtype: "markdown",
      agentid: Number(sim.app.agentId),
      markdown: { content: "**ok**" },
    };
    expect(await call("POST", path, md)).toMatchObject({ errcode: 0 });
    expect(sim.appMessages.to("zhangsan").map((m) => m.content)).toEqual(["请审批"]);
    expect(sim.appMessages.to("lisi").map((m) => [m.msgtype, m.content])).toEqual([
      ["text", "请审批"],
      ["markdown", "**ok**"],
    ]);
  });

  it("enforces 2048 bytes, the app's agentid, msgtype and a JSON body", async () => {
    const path = `/cgi-bin/message/send?access_token=${await token()}`;
    const exactly2048 = `${"汇".repeat(682)}ab`; // 682 × 3 + 2 bytes
    expect(await call("POST", path, appText(exactly2048))).toMatchObject({ errcode: 0 });
    expect(await call("POST", path, appText(`${exactly2048}c`))).toMatchObject({
      errcode: sim.codes.contentTooLong,
    });
    expect(await call("POST", path, appText(""))).toMatchObject({ errcode: 44004 });
    expect(await call("POST", path, appText("hi", "zhangsan", "999"))).toMatchObject({ errcode: 40056 });
    expect(await call("POST", path, { touser: "a", msgtype: "voice", agentid: 1000002 })).toMatchObject({
      errcode: 40008,
    });
    expect(await call("POST", path, "{not json")).toMatchObject({ errcode: sim.codes.invalidParameter });
    expect(sim.appMessages.all).toHaveLength(1);
  });
});

describe("group robot webhook", () => {
  const send = (key: string, body: unknown) => call("POST", `/cgi-bin/webhook/send?key=${key}`, body);
  const text = (content: string, mentioned_list?: string[]) => ({
    msgtype: "text",
    text: { content, mentioned_list },
  });

  it("refuses an unknown key with 93000", async () => {
    expect(await send("nope", text("hi"))).toMatchObject({ errcode: 93000 });
  });

  it("allows 20 messages per rolling minute per key, then 45009, then again after the window", async () => {
    sim.addWebhook("k1", "宣传科");
    sim.addWebhook("k2", "办公室");
    for (let i = 0; i < 10; i++) expect(await send("k1", text(`a${i}`))).toMatchObject({ errcode: 0 });
    clock.advance(30_000);
    for (let i = 0; i < 10; i++) expect(await send("k1", text(`b${i}`))).toMatchObject({ errcode: 0 });
    expect(await send("k1", text("over"))).toMatchObject({ errcode: 45009 });
    expect(await send("k2", text("other robot"))).toMatchObject({ errcode: 0 });
    expect(sim.webhooks.get("k1").rateLimitHits).toBe(1);

    clock.advance(30_001); // the first ten left the window, the second ten did not
    for (let i = 0; i < 10; i++) expect(await send("k1", text(`c${i}`))).toMatchObject({ errcode: 0 });
    expect(await send("k1", text("over again"))).toMatchObject({ errcode: 45009 });
    expect(sim.webhooks.get("k1").rateLimitHits).toBe(2);
    expect(sim.webhooks.get("k1").messages).toHaveLength(30);
  });

  it("limits text to 2048 bytes and markdown to 4096, records mentions", async () => {
    sim.addWebhook("k", "宣传科");
    expect(await send("k", text("x".repeat(2049)))).toMatchObject({ errcode: sim.codes.contentTooLong });
    expect(await send("k", { msgtype: "markdown", markdown: { content: "m".repeat(4096) } })).toMatchObject({
      errcode: 0,
    });
    expect(await send("k", { msgtype: "markdown", markdown: { content: "m".repeat(4097) } })).toMatchObject({
      errcode: sim.codes.contentTooLong,
    });
    expect(await send("k", text("请查收", ["zhangsan", "@all"]))).toMatchObject({ errcode: 0 });
    const robot = sim.webhooks.get("k");
    expect(robot.chatName).toBe("宣传科");
    expect(robot.messages.map((m) => m.msgtype)).toEqual(["markdown", "text"]);
    expect(robot.messages[1]?.mentionedList).toEqual(["zhangsan", "@all"]);
    expect(robot.rejected.map((r) => r.errcode)).toEqual([
      sim.codes.contentTooLong,
      sim.codes.contentTooLong,
    ]);
  });
});

describe("AI bot response_url", () => {
  const md = { msgtype: "markdown", markdown: { content: "已记录 50%" } };
  const post = async (url: string, body: unknown) =>
    (await (await fetch(url, { method: "POST", body: JSON.stringify(body) })).json()) as Record<
      string,
      unknown
    >;

  it("accepts exactly one POST and records its body", async () => {
    const url = sim.newResponseUrl();
    expect(url.startsWith(`${sim.url}/cgi-bin/aibot/response?response_code=`)).toBe(true);
    expect(await post(url, md)).toMatchObject({ errcode: 0 });
    expect(await post(url, md)).toMatchObject({ errcode: sim.codes.responseUrlUsed });
    const record = sim.responseUrls.get(url);
    expect(record.body).toEqual(md);
    expect(record.attempts.map((a) => a.errcode)).toEqual([0, sim.codes.responseUrlUsed]);
  });

  it("expires after one hour and refuses unknown codes", async () => {
    const late = sim.newResponseUrl();
    const inTime = sim.newResponseUrl();
    clock.advance(3600_000 - 1);
    expect(await post(inTime, md)).toMatchObject({ errcode: 0 });
    clock.advance(1);
    expect(await post(late, md)).toMatchObject({ errcode: sim.codes.responseUrlExpired });
    expect(await post(`${sim.url}/cgi-bin/aibot/response?response_code=bogus`, md)).toMatchObject({
      errcode: sim.codes.responseUrlUnknown,
    });
    expect(sim.responseUrls.get(late).body).toBeUndefined();
  });
});

describe("fault injection", () => {
  it("5xx, errcode and drop replace the next requests of a route and leave no trace", async () => {
    sim.addWebhook("k", "宣传科");
    const url = `${sim.url}/cgi-bin/webhook/send?key=k`;
    const body = JSON.stringify({ msgtype: "text", text: { content: "hi" } });
    sim.faults.next(2, "5xx", "webhook/send");
    sim.faults.next(1, fault.errcode(45009), "webhook/send");
    sim.faults.next(1, "drop", "webhook/send");
    expect(sim.faults.pending).toBe(4);
    expect((await fetch(url, { method: "POST", body })).status).toBe(502);
    expect((await fetch(url, { method: "POST", body })).status).toBe(502);
    expect(await (await fetch(url, { method: "POST", body })).json()).toMatchObject({ errcode: 45009 });
    await expect(fetch(url, { method: "POST", body })).rejects.toThrow();
    expect(sim.webhooks.get("k").messages).toHaveLength(0);
    expect(await (await fetch(url, { method: "POST", body })).json()).toMatchObject({ errcode: 0 });
    expect(sim.webhooks.get("k").messages).toHaveLength(1);
    expect(sim.faults.applied.map((a) => a.kind)).toEqual(["5xx", "5xx", "errcode", "drop"]);
  });

  it("slow delays a request but still performs it; '*' faults hit any route; other routes are spared", async () => {
    sim.faults.next(1, fault.slow(150), "gettoken");
    const started = Date.now();
    expect(await gettoken()).toMatchObject({ errcode: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    sim.faults.next(1, fault.http5xx(503), "message/send");
    expect((await fetch(`${sim.url}/cgi-bin/gettoken?corpid=x&corpsecret=y`)).status).toBe(200);
    sim.faults.clear();
    sim.faults.next(1, fault.http5xx(503));
    expect((await fetch(`${sim.url}/cgi-bin/gettoken?corpid=x&corpsecret=y`)).status).toBe(503);
    expect(sim.requests.map((r) => [r.route, r.status])).toEqual([
      ["gettoken", 200],
      ["gettoken", 200],
      ["gettoken", 503],
    ]);
  });

  it("answers 404 for unknown paths and wrong methods", async () => {
    expect((await fetch(`${sim.url}/cgi-bin/nothing`)).status).toBe(404);
    expect((await fetch(`${sim.url}/cgi-bin/message/send`)).status).toBe(404);
  });
});
