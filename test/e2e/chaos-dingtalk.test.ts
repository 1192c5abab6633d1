import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutboxEntry } from "../../src/jobs/outbox.ts";
import { FakeClock } from "../../src/lib/clock.ts";
import { renderDingtalk } from "../../src/platforms/dingtalk/render.ts";
import {
  chatDestination,
  dingtalkGroupEntries,
  openApiEntry,
} from "../../src/platforms/dingtalk/reply-planner.ts";
import { type DingtalkSim, fault, startDingtalkSim } from "../sim/dingtalk/index.ts";
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
import { type DingtalkBot, startDingtalkBot } from "../support/dingtalk-bot.ts";
import { timeoutFetch } from "../support/wecom-bot.ts";

/**
 * Issue 9, proof 3 (DingTalk): the real server sends a whole run — announcements through three
 * custom robots (signed, 20 a minute, 10-minute lockout after 130101), enterprise-robot messages
 * to two groups (groupMessages/send) and three members (oToMessages/batchSend), replies through a
 * sessionWebhook — while the simulator answers at random with 130101, -1, 5xx, throttling, slow
 * answers and dropped sockets. Judged from the simulator's records: every message arrives; a second
 * copy only where DingTalk accepted an attempt the bot had already given up on (none of these doors
 * takes an idempotency key); never more than 20 a minute per robot or conversation; every outbox
 * row sent.
 */

const SEED = 20_261_127;
const FAULT_RATE = 0.3;
/** The bot's HTTP client gives up after this (production: 10 s); "slow" answers take longer. */
const CLIENT_TIMEOUT_MS = 800;
const SLOW_MS = 1_500;
/**
 * Attempts before a row is given up (production default 8). With 30 % of answers faulty, 8 failures in
 * a row happen to about one of 154 rows in a hundred runs, more under the whole suite's CPU load, where
 * the 800 ms client timeout also catches answers that were not meant to be slow (a CI run lost one row
 * so). This test is about retries delivering everything; giving up is tested in test/jobs/outbox.test.ts.
 */
const MAX_ATTEMPTS = 30;
const PER_ROBOT = 30;
const PER_OPENAPI_GROUP = 15;
const PER_MEMBER = 8;
const PER_SESSION = 10;

const ROBOTS = ["cidChaosA==", "cidChaosB==", "cidChaosC=="].map((chatId, i) => ({
  chatId,
  token: `chaos-robot-token-${i}`,
  secret: `SECchaosrobotsecret${i}`,
  name: `宣传科钉钉${i + 1}群`,
}));
const OPENAPI_GROUPS = ["cidChaosOpenA==", "cidChaosOpenB=="];
const MEMBERS = ["0456", "0457", "0458"];
const SESSION_CHAT = "cidChaosSession==";

const DIRECTORY = `
units:
  - name: 市城市管理局宣传科
    aliases: [宣传科]
people:
  - name: 李四
    unit: 宣传科
    roles: [member]
    dingtalk: "0456"
groups:
${ROBOTS.map(
  (r) => `  - name: ${r.name}
    platform: dingtalk
    chat_id: "${r.chatId}"
    unit: 宣传科
    webhook_key: ${r.token}
    webhook_secret: ${r.secret}`,
).join("\n")}
`;

const OAPI = ["robot/send", "robot/sendBySession"] as const;
const OPENAPI = ["groupMessages/send", "oToMessages/batchSend"] as const;

let sim: DingtalkSim;
let bot: DingtalkBot;
const clock = new FakeClock("2026-11-26T02:00:00Z");
/** Tags of the attempts whose answer the bot never got (see timeoutFetch). */
const clientFailures: string[] = [];

beforeAll(async () => {
  sim = await startDingtalkSim({ clock });
  for (const r of ROBOTS) sim.addCustomRobot(r.token, r.secret, r.name);
  bot = await startDingtalkBot(sim, {
    clock,
    directory: DIRECTORY,
    fetch: timeoutFetch(CLIENT_TIMEOUT_MS, (body) => clientFailures.push(...tagsIn(body))),
    env: { OUTBOX_MAX_ATTEMPTS: String(MAX_ATTEMPTS) },
  });
}, 60_000);
afterAll(async () => {
  await bot?.stop();
  await sim?.close();
});

const text = (t: string) => ({ format: "text" as const, text: t, mentions: [] });

describe("DingTalk under random faults (issue 9, proof 3)", () => {
  it("delivers every message, twice only where DingTalk took an attempt the bot gave up on, never over the rate", async () => {
    const db = bot.runtime.db.prisma;
    sim.faults.random({
      seed: SEED,
      rate: FAULT_RATE,
      faults: [
        {
          fault: fault.errcode(130101, "send too fast, exceed 20 times per minute"),
          routes: ["robot/send"],
        },
        { fault: fault.errcode(-1, "系统繁忙"), routes: OAPI },
        {
          fault: fault.apiError(403, "Forbidden.AccessDenied.QpsLimitForApi", "调用频率超限"),
          routes: OPENAPI,
        },
        fault.http5xx(502),
        fault.http5xx(503),
        "drop",
        { fault: fault.slow(SLOW_MS), weight: 2 },
      ],
    });

    const expected: string[] = [];
    const tagged = (id: string, words: string) => {
      const tag = chaosTag(id);
      expected.push(tag);
      return text(`${words} ${tag}`);
    };
    const session = sim.newSessionWebhook(SESSION_CHAT, 24 * 3600_000);
    const entries: OutboxEntry[] = [
      ...ROBOTS.flatMap((r) =>
        Array.from({ length: PER_ROBOT }, (_, i) =>
          dingtalkGroupEntries(
            { chatId: r.chatId, webhookKey: r.token },
            tagged(`custom-${r.token}-${i}`, `通知 ${i + 1}`),
          ),
        ).flat(),
      ),
      ...OPENAPI_GROUPS.flatMap((chatId) =>
        Array.from({ length: PER_OPENAPI_GROUP }, (_, i) =>
          dingtalkGroupEntries({ chatId, webhookKey: null }, tagged(`group-${chatId}-${i}`, `公告 ${i + 1}`)),
        ).flat(),
      ),
      ...MEMBERS.flatMap((userId) =>
        Array.from({ length: PER_MEMBER }, (_, i) =>
          renderDingtalk(tagged(`oto-${userId}-${i}`, `提醒 ${i + 1}`)).map((body) =>
            openApiEntry({ chatId: `cidSingle${userId}`, chatType: "single", userId }, body),
          ),
        ).flat(),
      ),
      ...Array.from({ length: PER_SESSION }, (_, i) =>
        renderDingtalk(tagged(`session-${i}`, `回复 ${i + 1}`)).map(
          (body): OutboxEntry => ({
            platform: "dingtalk",
            channel: "dingtalk.session",
            destination: chatDestination(SESSION_CHAT),
            target: {
              chatId: SESSION_CHAT,
              chatType: "group",
              userId: "0456",
              url: session.url,
              expiresAt: session.expiresAt,
            },
            body: body as unknown as Record<string, unknown>,
          }),
        ),
      ).flat(),
    ];
    await bot.messaging.outbox.enqueue(shuffled(entries, SEED));

    const inFlight = () => sim.requests.some((r) => r.status === 0);
    const run = await runFakeTime({
      clock,
      stepMs: 15_000,
      timeoutMs: 100_000,
      busy: async () => inFlight() || (await db.outboxMessage.count({ where: { status: "sending" } })) > 0,
      done: async () =>
        !inFlight() &&
        (await db.outboxMessage.count({ where: { status: { in: ["queued", "sending"] } } })) === 0,
    });
    sim.faults.clear();

    // What DingTalk accepted, per door, straight from the simulator.
    const customCopies = ROBOTS.flatMap((r) =>
      sim.customRobots.get(r.token).messages.flatMap((m) => tagsIn(JSON.stringify(m.raw))),
    );
    const groupCopies = sim.robot.groupMessages.flatMap((m) => tagsIn(JSON.stringify(m.param)));
    const otoCopies = sim.robot.oneToOne.flatMap((m) => tagsIn(JSON.stringify(m.param)));
    const sessionCopies = sim.sessions
      .inConversation(SESSION_CHAT)
      .flatMap((m) => tagsIn(JSON.stringify(m.raw)));
    // Attempts DingTalk accepted after the bot had stopped waiting for them.
    const ghosts = sim.requests.filter(
      (r) => r.clientGaveUp && r.status === 200 && r.code === undefined && (r.errcode ?? 0) === 0,
    );
    const report = checkDeliveries({
      expected,
      delivered: [...customCopies, ...groupCopies, ...otoCopies, ...sessionCopies],
      ghosts: ghosts.flatMap((r) => tagsIn(r.body)),
      clientFailures,
    });

    const rows = await db.outboxMessage.groupBy({ by: ["channel", "status"], _count: { _all: true } });
    const busiestCustom = Object.fromEntries(
      ROBOTS.map((r) => [r.chatId, busiestMinute(sim.customRobots.get(r.token).messages.map((m) => m.at))]),
    );
    // The enterprise robot's doors into one conversation share its 20 a minute.
    const busiestConversation = Object.fromEntries(
      [...OPENAPI_GROUPS, SESSION_CHAT].map((chatId) => [
        chatId,
        busiestMinute([
          ...sim.groupMessages(chatId).map((m) => m.at),
          ...sim.sessions.inConversation(chatId).map((m) => m.at),
        ]),
      ]),
    );
    const summary = {
      seed: SEED,
      fakeMinutes: Math.round(run.fakeMs / 60_000),
      realSeconds: Math.round(run.realMs / 100) / 10,
      messages: report.messages,
      copiesAccepted: report.copies,
      duplicates: report.duplicates,
      ghostAttempts: { all: ghosts.length, afterSlow: ghosts.filter((r) => r.fault === "slow").length },
      requests: sim.requests.length,
      faults: tally(sim.faults.applied.filter((a) => a.random).map(faultLabel)),
      realRateLimitRefusals: ROBOTS.reduce((n, r) => n + sim.customRobots.get(r.token).rateLimitHits, 0),
      busiestMinutePerCustomRobot: busiestCustom,
      busiestMinutePerConversation: busiestConversation,
      outbox: rows.map((r) => `${r.channel} ${r.status} ${r._count._all}`).sort(),
      // Why a row did not end as sent, should one not (what to look at when this test fails).
      notSent: await db.outboxMessage.findMany({
        where: { status: { notIn: ["sent", "rerouted"] } },
        select: { channel: true, status: true, attempts: true, lastError: true },
      }),
    };
    console.log(`chaos-dingtalk ${JSON.stringify(summary, null, 2)}`);

    expect(report.missing).toEqual([]);
    expect(report.unexplained).toEqual([]);
    for (const n of Object.values(busiestCustom)) expect(n).toBeLessThanOrEqual(20);
    // Attempts that may have landed count against the limit, so the platform never had to refuse one.
    expect(summary.realRateLimitRefusals).toBe(0);
    for (const n of Object.values(busiestConversation)) expect(n).toBeLessThanOrEqual(20);
    expect(rows.filter((r) => r.status !== "sent" && r.status !== "rerouted")).toEqual([]);
    expect(Object.keys(summary.faults).length).toBeGreaterThanOrEqual(6);
  }, 120_000);
});
