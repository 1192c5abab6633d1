import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/database.ts";
import { Inbox } from "../../../src/jobs/inbox.ts";
import { FakeClock } from "../../../src/lib/clock.ts";
import { createLogger } from "../../../src/lib/logger.ts";
import { dingtalkRouter } from "../../../src/platforms/dingtalk/routes.ts";
import { dingtalkSign } from "../../../src/platforms/dingtalk/sign.ts";
import { createApp } from "../../../src/web/app.ts";
import { emptyQueues, openQueueDb } from "../../jobs/queue-db.ts";

/**
 * The callback route over real HTTP: a signed POST is stored once, anything unsigned, stale,
 * malformed or oversized is refused and stores nothing.
 */

const SECRET = "SECtestsecret-app";
const WEBHOOK = "https://oapi.dingtalk.com/robot/sendBySession?session=SESSIONTOKEN";
const ROUTE_LIMIT = 8 * 1024;
const clock = new FakeClock("2026-11-26T02:00:00Z");

const tick = () => new Promise((r) => setImmediate(r));

let db: Database;
let server: Server;
let url: string;
let recorded = 0;
const logLines: string[] = [];

beforeAll(async () => {
  db = await openQueueDb();
  const logger = createLogger("info", { write: (line: string) => void logLines.push(line) });
  const router = dingtalkRouter({
    inbox: new Inbox(db.prisma, clock),
    clock,
    logger,
    bodyLimitBytes: ROUTE_LIMIT,
    botNames: ["汇报"],
    appSecret: SECRET,
    maxSkewSeconds: 3600,
    onRecorded: () => {
      recorded++;
    },
  });
  // The app's own limit is larger, so the route's readBody limit is what the 413 test meets.
  const app = createApp({ db, logger, bodyLimitBytes: 1024 * 1024, routers: [router] });
  server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dingtalk/bot`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await db.close();
});

beforeEach(async () => {
  await emptyQueues(db);
  // onRecorded runs after the response is written: let the previous test's wake-up land first.
  await tick();
  recorded = 0;
  logLines.length = 0;
});

function callback(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    msgtype: "text",
    text: { content: " 进度 2.1 50%" },
    msgId: "msgAAA==",
    conversationType: "2",
    conversationId: "cidGroup1==",
    conversationTitle: "宣传科工作群",
    senderId: "$:LWCP_v1:$opaque==",
    senderNick: "张三",
    senderStaffId: "manager123",
    chatbotUserId: "$:LWCP_v1:$robot==",
    robotCode: "dingrobot001",
    atUsers: [{ dingtalkId: "$:LWCP_v1:$robot==" }],
    sessionWebhook: WEBHOOK,
    sessionWebhookExpiredTime: clock.now().getTime() + 5_400_000,
    ...overrides,
  });
}

function post(
  body: string,
  headers: { timestamp?: string; sign?: string } = signed(clock.now().getTime()),
): Promise<Response> {
  const h: Record<string, string> = { "content-type": "application/json" };
  if (headers.timestamp !== undefined) h.timestamp = headers.timestamp;
  if (headers.sign !== undefined) h.sign = headers.sign;
  return fetch(url, { method: "POST", headers: h, body });
}

function signed(ms: number, secret = SECRET): { timestamp: string; sign: string } {
  return { timestamp: String(ms), sign: dingtalkSign(secret, ms) };
}

const rows = () => db.prisma.inboxMessage.findMany({ orderBy: { id: "asc" } });
const logs = () => logLines.join("");

function expectNoSecretsLogged(): void {
  expect(logs()).not.toContain(SECRET);
  expect(logs()).not.toContain("SESSIONTOKEN");
  expect(logs()).not.toContain(dingtalkSign(SECRET, clock.now().getTime()));
}

describe("POST /dingtalk/bot", () => {
  it("stores a signed message and answers 200 with an empty body", async () => {
    const res = await post(callback());
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    const stored = await rows();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      platform: "dingtalk",
      botId: "dingrobot001",
      dedupeKey: "dingtalk:manager123:msgAAA==",
      status: "pending",
    });
    expect(stored[0]?.payload).toMatchObject({
      message: { chatId: "cidGroup1==", text: "进度 2.1 50%", sender: { userId: "manager123" } },
      extras: { sessionWebhook: WEBHOOK, robotCode: "dingrobot001" },
    });
    await tick();
    expect(recorded).toBe(1);
    expect(logs()).toContain("cidGroup1==");
    expectNoSecretsLogged();
  });

  it("stores a redelivery once and wakes the worker once", async () => {
    expect((await post(callback())).status).toBe(200);
    expect((await post(callback())).status).toBe(200);
    expect(await rows()).toHaveLength(1);
    await tick();
    expect(recorded).toBe(1);
    expect(logs()).toContain("duplicate");
  });

  it("stores concurrent copies once", async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(callback({ msgId: "msgB" }))));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(await rows()).toHaveLength(1);
  });

  it("keeps the same msgId from two senders apart", async () => {
    await post(callback());
    await post(callback({ senderStaffId: "lisi01" }));
    expect(await rows()).toHaveLength(2);
  });

  it("refuses a wrong sign with 401, stores nothing and logs why without secrets", async () => {
    const ms = clock.now().getTime();
    const res = await post(callback(), signed(ms, "not-the-secret"));
    expect(res.status).toBe(401);
    expect(await rows()).toHaveLength(0);
    expect(logs()).toContain('"reason":"signature"');
    expectNoSecretsLogged();
    await tick();
    expect(recorded).toBe(0);
  });

  it("refuses missing headers with 401", async () => {
    const { sign, timestamp } = signed(clock.now().getTime());
    expect((await post(callback(), { sign })).status).toBe(401);
    expect((await post(callback(), { timestamp })).status).toBe(401);
    expect((await post(callback(), {})).status).toBe(401);
    expect(await rows()).toHaveLength(0);
    expect(logs()).toContain('"reason":"missing-header"');
  });

  it("refuses a correctly signed but stale or future timestamp with 401", async () => {
    const now = clock.now().getTime();
    expect((await post(callback(), signed(now - 3_601_000))).status).toBe(401);
    expect((await post(callback(), signed(now + 3_601_000))).status).toBe(401);
    expect(await rows()).toHaveLength(0);
    expect(logs()).toContain('"reason":"stale-timestamp"');
    // Within the window it is fine.
    expect((await post(callback(), signed(now - 3_000_000))).status).toBe(200);
  });

  it("refuses a signed but malformed body with 400 and stores nothing", async () => {
    expect((await post("{not json")).status).toBe(400);
    expect((await post(callback({ conversationId: undefined }))).status).toBe(400);
    expect(await rows()).toHaveLength(0);
    expect(logs()).toContain('"reason":"malformed"');
  });

  it("verifies before decoding: an unsigned malformed body is a 401, not a 400", async () => {
    expect((await post("{not json", {})).status).toBe(401);
  });

  it("acknowledges a non-text message with 200 and stores nothing", async () => {
    const res = await post(callback({ msgtype: "picture", text: undefined, content: { downloadCode: "x" } }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    expect(await rows()).toHaveLength(0);
  });

  it("refuses a body over the limit with 413 and stores nothing", async () => {
    const res = await post(callback({ text: { content: "长".repeat(ROUTE_LIMIT) } }));
    expect(res.status).toBe(413);
    expect(await rows()).toHaveLength(0);
  });
});
