import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeClock } from "../../src/lib/clock.ts";
import { deliverCallback } from "../sim/dingtalk/callback-client.ts";
import { botTextMessage, startWecomSim, type WecomSim } from "../sim/wecom/index.ts";
import { BOT, eventually, GROUP_CHAT, GROUP_KEY } from "../support/wecom-bot.ts";
import { SEED } from "./arbitraries.ts";
import { hostileCallbacks } from "./callback-requests.ts";
import { sendAll, sendRaw } from "./raw-http.ts";
import { DING, type HostileServer, startHostileServer } from "./server.ts";

/**
 * 10,000 random and malformed callbacks against the running server, all callback doors open:
 * none gets a 5xx, the server stays up, and nothing reaches the inbox. The requests are generated
 * from a fixed seed, so a failure replays with the same bytes.
 */

const COUNT = 10_000;
const CONCURRENCY = 20;

let sim: WecomSim;
let server: HostileServer;
const clock = new FakeClock("2026-11-26T02:00:00Z");

beforeAll(async () => {
  sim = await startWecomSim({ clock });
  sim.addWebhook(GROUP_KEY, "宣传科工作群");
  server = await startHostileServer(sim, clock);
});
afterAll(async () => {
  await server?.stop();
  await sim?.close();
});

/** Requests the app answered, by status, as /metrics counts them (loopback callers need no token). */
async function answeredStatuses(): Promise<Record<string, number>> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^huibao_http_request_duration_seconds_count\{([^}]*)\} (\d+)/gm)) {
    const status = /status="(\d+)"/.exec(m[1] ?? "")?.[1] ?? "?";
    out[status] = (out[status] ?? 0) + Number(m[2]);
  }
  return out;
}

const tally = (values: readonly string[]) => {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
};

describe("hostile callbacks against the running server", () => {
  it(`answers ${COUNT.toLocaleString("en")} random and malformed callbacks without a 5xx and stores none`, async () => {
    const requests = fc.sample(
      hostileCallbacks({ corpId: sim.app.corpId, agentId: sim.app.agentId, nowMs: clock.now().getTime() }),
      { seed: SEED, numRuns: COUNT },
    );
    const started = performance.now();
    const responses = await sendAll(server.port, requests, CONCURRENCY);
    console.log(`[hostile] sent in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const serverErrors = responses
      .map((r, i) => ({
        status: r.status,
        kind: requests[i]?.kind,
        head: requests[i]?.bytes.subarray(0, 200).toString("latin1"),
      }))
      .filter((r) => r.status !== undefined && r.status >= 500);
    expect(serverErrors.slice(0, 5)).toEqual([]);
    // The server's own record, which also counts answers the client could no longer read.
    expect(server.log.slice(0, 5)).toEqual([]);
    const answered = await answeredStatuses();
    expect(Object.keys(answered).filter((s) => s >= "500")).toEqual([]);
    // Requests too broken for HTTP are refused by Node's parser before the app counts them.
    expect(Object.values(answered).reduce((a, b) => a + b, 0)).toBeGreaterThan(COUNT / 2);

    // What the doors answered, per kind of attack; each kind met the refusal meant for it.
    const byKind = tally(requests.map((r, i) => `${r.kind} ${responses[i]?.status ?? responses[i]?.error}`));
    console.log(`[hostile] ${COUNT} callbacks, answers by kind:`, byKind);
    for (const kind of ["wecom-bot-signed-spoiled", "wecom-app-signed-spoiled", "dingtalk-signed-spoiled"]) {
      expect(byKind[`${kind} 400`], kind).toBeGreaterThan(0);
    }
    for (const kind of ["wecom-forged", "dingtalk-forged"])
      expect(byKind[`${kind} 401`], kind).toBeGreaterThan(0);
    expect(byKind["huge 413"]).toBeGreaterThan(0);
    // A forged request is never accepted: no 2xx for any of them.
    expect(Object.keys(byKind).filter((k) => /forged 2\d\d$/.test(k))).toEqual([]);

    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const db = server.runtime.db.prisma;
    expect(await db.inboxMessage.findMany({ take: 3, select: { dedupeKey: true } })).toEqual([]);
    expect(await db.outboxMessage.count()).toBe(0);
  }, 120_000);

  it("stays up when a request's body never arrives in full", async () => {
    const head =
      "POST /wecom/bot?msg_signature=0&timestamp=1&nonce=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{";
    const r = await sendRaw(server.port, Buffer.from(head, "latin1"));
    expect(r.status === undefined || r.status < 500).toBe(true);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  // Characters PostgreSQL cannot store (U+0000 in text and jsonb, a lone surrogate in jsonb) arrive as
  // JSON escapes inside a correctly signed message. They must neither fail the request nor take the
  // other callbacks written in the same batch down with it.
  it("stores signed messages carrying U+0000 or lone surrogates once, and fails none written beside them", async () => {
    const db = server.runtime.db.prisma;
    await db.$executeRawUnsafe("TRUNCATE inbox_messages, outbox_messages");
    const odd = ["帮助\u0000", "\ud800帮助", "我是谁\udfff\u0000"];
    const wecom = (msgid: string, content: string, userid = "zhangsan") =>
      sim.deliverBotMessage({
        url: `${server.url}/wecom/bot`,
        ...BOT,
        message: botTextMessage({ msgid, aibotid: "aibHostile", chatid: GROUP_CHAT, userid, content }),
        // One delivery, however busy the machine: the answer is what is tested here, not its speed.
        attempts: 1,
        timeoutMs: 30_000,
      });
    const dingtalk = (msgId: string, content: string, staffId = "0456") =>
      deliverCallback({
        url: `${server.url}/dingtalk/bot`,
        appSecret: DING.appSecret,
        timestamp: clock.now().getTime(),
        timeoutMs: 30_000,
        body: {
          msgId,
          msgtype: "text",
          text: { content },
          senderStaffId: staffId,
          senderNick: `李四${content}`,
          robotCode: DING.appKey,
          conversationType: "2",
          conversationId: `cid${content}`,
        },
      });
    const results = await Promise.all([
      ...odd.map((text, i) => wecom(`odd-${i}${text}`, text, `user${text}`)),
      ...odd.map((text, i) => dingtalk(`odd-${i}${text}`, text, `staff${text}`)),
      // Ordinary messages at the same moment: they may share the odd ones' INSERT.
      ...Array.from({ length: 10 }, (_, i) => wecom(`plain-${i}`, "帮助")),
      ...Array.from({ length: 10 }, (_, i) => dingtalk(`plain-${i}`, " 帮助")),
    ]);
    const statuses = results.map((r) => ("attempts" in r ? r.attempts[0]?.status : (r.status ?? r.error)));
    expect(statuses).toEqual(results.map(() => 200));
    expect(await db.inboxMessage.count()).toBe(2 * odd.length + 20);
    // Every one of them is handled from the stored record, none ends in failure.
    await eventually(
      async () => (await db.inboxMessage.count({ where: { status: "done" } })) === 2 * odd.length + 20,
    );
    expect(server.log.slice(0, 5)).toEqual([]);
  }, 60_000);
});
