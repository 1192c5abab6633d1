import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeClock } from "../../src/lib/clock.ts";
import { appEntry, webhookEntry, wsChatEntry } from "../../src/platforms/wecom/reply-planner.ts";
import {
  busiestMinute,
  chaosTag,
  checkDeliveries,
  faultLabel,
  runFakeTime,
  shuffled,
  tagsIn,
  tally,
} from "../sim/shared/chaos.ts";
import { fault, startWecomSim, type WecomSim } from "../sim/wecom/index.ts";
import { startWecomBot, timeoutFetch, type WecomBot } from "../support/wecom-bot.ts";

/**
 * Issue 9, proof 3 (WeCom): the real server sends a whole run — announcements to three group robots,
 * app messages to four members, pushes and replies on the AI bot's long connection — while the
 * simulator answers at random with 45009, -1, 5xx, slow answers and dropped sockets, and drops the
 * long connection at random. Judged from the simulator's records: every message arrives; a second
 * copy only where WeCom accepted an attempt the bot had already given up on (no idempotency key on
 * these doors lets us avoid that); replies on a req_id never twice (its stream id does let us);
 * never more than 20 a minute per robot; every outbox row sent.
 */

const SEED = 20_261_126;
const FAULT_RATE = 0.3;
const WS_DROP_RATE = 0.15;
/** The bot's HTTP client gives up after this (production: 10 s); "slow" answers take longer. */
const CLIENT_TIMEOUT_MS = 800;
const SLOW_MS = 1_500;
const PER_GROUP = 30;
const PER_MEMBER = 8;
const PER_WS_CHAT = 10;
const WS_QUESTIONS = 10;

const GROUPS = ["wrChaosA", "wrChaosB", "wrChaosC"].map((chatId, i) => ({
  chatId,
  key: `chaos-webhook-key-${i}`,
  name: `宣传科${i + 1}群`,
}));
const MEMBERS = ["zhangsan", "lisi", "wangwu", "zhaoliu"];
const WS_CHATS = ["wrChaosWsA", "wrChaosWsB"];

const DIRECTORY = `
units:
  - name: 市城市管理局宣传科
    aliases: [宣传科]
people:
  - name: 张三
    unit: 宣传科
    roles: [admin]
    wecom: zhangsan
groups:
${GROUPS.map(
  (g) => `  - name: ${g.name}
    platform: wecom
    chat_id: ${g.chatId}
    unit: 宣传科
    webhook_key: ${g.key}`,
).join("\n")}
`;

let sim: WecomSim;
let bot: WecomBot;
const clock = new FakeClock("2026-11-26T02:00:00Z");
/** Tags of the attempts whose answer the bot never got (see timeoutFetch). */
const clientFailures: string[] = [];

beforeAll(async () => {
  sim = await startWecomSim({ clock });
  for (const g of GROUPS) sim.addWebhook(g.key, g.name);
  bot = await startWecomBot(sim, {
    clock,
    directory: DIRECTORY,
    fetch: timeoutFetch(CLIENT_TIMEOUT_MS, (body) => clientFailures.push(...tagsIn(body))),
    env: {
      WECOM_BOT_MODE: "ws",
      WECOM_BOT_ID: sim.aiBot.botId,
      WECOM_BOT_SECRET: sim.aiBot.secret,
      WECOM_WS_URL: sim.wsUrl,
      // As in chaos-dingtalk.test.ts: retries must deliver everything; giving up is tested elsewhere.
      OUTBOX_MAX_ATTEMPTS: "30",
    },
  });
  await sim.ws.waitForSubscribes(sim.aiBot.botId, 1, 30_000);
}, 60_000);
afterAll(async () => {
  await bot?.stop();
  await sim?.close();
});

describe("WeCom under random faults (issue 9, proof 3)", () => {
  it("delivers every message, twice only where WeCom took an attempt the bot gave up on, never over the rate", async () => {
    const db = bot.runtime.db.prisma;
    const botId = sim.aiBot.botId;
    const app = { corpId: sim.app.corpId, agentId: sim.app.agentId };
    for (const chat of WS_CHATS) sim.ws.allowChat(botId, chat);

    // Member questions on the long connection first (pushing needs a live connection).
    const questions = Array.from({ length: WS_QUESTIONS }, (_, i) =>
      sim.ws.pushMessage(
        sim.botTextMessage({
          chatid: GROUPS[i % GROUPS.length]?.chatId,
          userid: "zhangsan",
          content: "@汇报 我是谁",
        }),
      ),
    );
    sim.faults.random({
      seed: SEED,
      rate: FAULT_RATE,
      faults: [
        { fault: fault.errcode(45009, "api freq out of limit"), weight: 2 },
        fault.errcode(-1, "system busy"),
        fault.http5xx(502),
        fault.http5xx(503),
        "drop",
        { fault: fault.slow(SLOW_MS), weight: 2 },
      ],
    });
    sim.ws.dropRandomly({ seed: SEED + 1, rate: WS_DROP_RATE });

    const expected: string[] = [];
    const entries = [
      ...GROUPS.flatMap((g) =>
        Array.from({ length: PER_GROUP }, (_, i) => {
          const tag = chaosTag(`webhook-${g.chatId}-${i}`);
          expected.push(tag);
          return webhookEntry(g.chatId, { msgtype: "text", text: { content: `通知 ${i + 1} ${tag}` } });
        }),
      ),
      ...MEMBERS.flatMap((userId) =>
        Array.from({ length: PER_MEMBER }, (_, i) => {
          const tag = chaosTag(`app-${userId}-${i}`);
          expected.push(tag);
          return appEntry(app, userId, { format: "text", text: `提醒 ${i + 1} ${tag}`, mentions: [] });
        }).flat(),
      ),
      ...WS_CHATS.flatMap((chat) =>
        Array.from({ length: PER_WS_CHAT }, (_, i) => {
          const tag = chaosTag(`ws-${chat}-${i}`);
          expected.push(tag);
          return wsChatEntry(botId, chat, `**推送 ${i + 1}** ${tag}`);
        }),
      ),
    ];
    // Interleaved, as a busy day would queue them.
    await bot.messaging.outbox.enqueue(shuffled(entries, SEED));

    const inFlight = () => sim.requests.some((r) => r.status === 0);
    const run = await runFakeTime({
      clock,
      stepMs: 15_000,
      timeoutMs: 100_000,
      busy: async () =>
        inFlight() ||
        (await db.outboxMessage.count({ where: { status: "sending" } })) > 0 ||
        (await db.inboxMessage.count({ where: { status: "pending", lockedUntil: { not: null } } })) > 0,
      done: async () =>
        !inFlight() &&
        (await db.inboxMessage.count({ where: { status: "pending" } })) === 0 &&
        (await db.outboxMessage.count()) >= entries.length + WS_QUESTIONS &&
        (await db.outboxMessage.count({ where: { status: { in: ["queued", "sending"] } } })) === 0,
    });
    sim.faults.clear();
    sim.ws.stopDropping();

    // What WeCom accepted, per door, straight from the simulator.
    const webhookCopies = GROUPS.flatMap((g) =>
      sim.webhooks.get(g.key).messages.flatMap((m) => tagsIn(m.content)),
    );
    const appCopies = sim.appMessages.all.flatMap((m) => tagsIn(m.content));
    const markdownOf = (body: Record<string, unknown>) =>
      String((body.markdown as { content?: unknown } | undefined)?.content ?? "");
    const wsCopies = sim.ws.sends.flatMap((f) => tagsIn(markdownOf(f.body)));
    // Attempts WeCom accepted after the bot had stopped waiting for them.
    const httpGhosts = sim.requests.filter((r) => r.clientGaveUp && r.status === 200 && r.errcode === 0);
    // Pushes accepted on a connection that dropped before their ack could reach the bot.
    const wsGhosts = sim.ws.drops.flatMap((d) =>
      [...(d.accepted ? [d.reqId] : []), ...d.acksAtRisk].flatMap((reqId) =>
        sim.ws.sends.filter((f) => f.reqId === reqId && f.connId === d.connId),
      ),
    );
    const ghostTags = [
      ...httpGhosts.flatMap((r) => tagsIn(r.body)),
      ...wsGhosts.flatMap((f) => tagsIn(markdownOf(f.body))),
    ];
    const report = checkDeliveries({
      expected,
      delivered: [...webhookCopies, ...appCopies, ...wsCopies],
      ghosts: ghostTags,
      clientFailures,
    });

    // Replies on a req_id: the stream id makes a repeat harmless, so exactly one each.
    const repliesPerQuestion = questions.map((q) => sim.ws.responses.filter((r) => r.reqId === q).length);
    const rows = await db.outboxMessage.groupBy({ by: ["channel", "status"], _count: { _all: true } });
    const busiest = Object.fromEntries(
      GROUPS.map((g) => [g.chatId, busiestMinute(sim.webhooks.get(g.key).messages.map((m) => m.at))]),
    );
    const summary = {
      seed: SEED,
      fakeMinutes: Math.round(run.fakeMs / 60_000),
      realSeconds: Math.round(run.realMs / 100) / 10,
      messages: report.messages,
      copiesAccepted: report.copies,
      duplicates: report.duplicates,
      ghostAttempts: {
        http: httpGhosts.length,
        httpAfterSlow: httpGhosts.filter((r) => r.fault === "slow").length,
        ws: wsGhosts.length,
      },
      wsReplies: { questions: WS_QUESTIONS, answered: repliesPerQuestion.filter((n) => n === 1).length },
      requests: sim.requests.length,
      faults: tally(sim.faults.applied.filter((a) => a.random).map(faultLabel)),
      wsDrops: tally(sim.ws.drops.map((d) => `${d.cmd} ${d.accepted ? "after" : "before"}`)),
      wsAcksAtRisk: sim.ws.drops.reduce((n, d) => n + d.acksAtRisk.length, 0),
      wsConnections: sim.ws.connectionsOpened,
      realRateLimitRefusals: GROUPS.reduce((n, g) => n + sim.webhooks.get(g.key).rateLimitHits, 0),
      busiestMinutePerRobot: busiest,
      busiestMinuteWsPushes: busiestMinute(sim.ws.sends.map((f) => f.at)),
      outbox: rows.map((r) => `${r.channel} ${r.status} ${r._count._all}`).sort(),
      // Why a row did not end as sent, should one not (what to look at when this test fails).
      notSent: await db.outboxMessage.findMany({
        where: { status: { notIn: ["sent", "rerouted"] } },
        select: { channel: true, status: true, attempts: true, lastError: true },
      }),
    };
    console.log(`chaos-wecom ${JSON.stringify(summary, null, 2)}`);

    expect(report.missing).toEqual([]);
    // Attempts that may have landed count against the limit, so the platform never had to refuse one.
    expect(summary.realRateLimitRefusals).toBe(0);
    expect(report.unexplained).toEqual([]);
    expect(repliesPerQuestion).toEqual(questions.map(() => 1));
    for (const n of Object.values(busiest)) expect(n).toBeLessThanOrEqual(20);
    expect(summary.busiestMinuteWsPushes).toBeLessThanOrEqual(20);
    expect(rows.filter((r) => r.status !== "sent" && r.status !== "rerouted")).toEqual([]);
    // The run really was hostile.
    expect(Object.keys(summary.faults).length).toBeGreaterThanOrEqual(5);
  }, 120_000);
});
