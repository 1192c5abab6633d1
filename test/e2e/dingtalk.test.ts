import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../src/lib/clock.ts";
import { dingtalkGroupEntries } from "../../src/platforms/dingtalk/reply-planner.ts";
import { type DingtalkSim, fault, startDingtalkSim } from "../sim/dingtalk/index.ts";
import {
  DING_GROUP,
  type DingtalkBot,
  ROBOT_SECRET,
  ROBOT_TOKEN,
  startDingtalkBot,
} from "../support/dingtalk-bot.ts";
import { eventually } from "../support/wecom-bot.ts";

let sim: DingtalkSim;
let bot: DingtalkBot;
const clock = new FakeClock("2026-11-26T02:00:00Z");

beforeAll(async () => {
  sim = await startDingtalkSim({ clock });
  sim.addCustomRobot(ROBOT_TOKEN, ROBOT_SECRET, "宣传科钉钉群");
  bot = await startDingtalkBot(sim, { clock });
});
afterAll(async () => {
  await bot?.stop();
  await sim?.close();
});
beforeEach(() => bot.runtime.db.prisma.$executeRawUnsafe("TRUNCATE inbox_messages, outbox_messages"));

const callbackUrl = () => `${bot.url}/dingtalk/bot`;
const groupText = (content: string, extra: Record<string, unknown> = {}) =>
  sim.textMessage({
    conversationId: DING_GROUP,
    conversationType: "2",
    senderStaffId: "0456",
    senderNick: "李四",
    content,
    ...extra,
  });

describe("DingTalk enterprise robot callback", () => {
  it("answers 帮助 in a group once through the sessionWebhook, also when delivered twice", async () => {
    const body = groupText(" 帮助");
    const first = await sim.deliverCallback({ url: callbackUrl(), body });
    const again = await sim.deliverCallback({ url: callbackUrl(), body });
    expect([first.status, again.status]).toEqual([200, 200]);
    const hook = sim.sessions.get(String(body.sessionWebhook));
    await eventually(() => hook.messages.length > 0);
    await new Promise((r) => setTimeout(r, 300));
    expect(hook.messages).toHaveLength(1);
    expect(hook.messages[0]?.text).toContain("汇报助手能做的事");
    expect(await bot.runtime.db.prisma.inboxMessage.count()).toBe(1);
  });

  it("answers through groupMessages/send once the sessionWebhook has expired", async () => {
    const body = groupText(" 我是谁", { sessionWebhookTtlMs: 1000 });
    await bot.messaging.stop();
    await sim.deliverCallback({ url: callbackUrl(), body });
    clock.advance(5_000);
    bot.messaging.start();
    const sent = await eventually(() => sim.groupMessages(DING_GROUP).at(-1));
    expect(JSON.stringify(sent.param)).toContain("李四，市城市管理局宣传科");
    expect(sim.sessions.get(String(body.sessionWebhook)).messages).toHaveLength(0);
  });

  it("answers a one-to-one chat through oToMessages/batchSend after expiry", async () => {
    const body = sim.textMessage({
      conversationId: "cidSingleLisi",
      conversationType: "1",
      senderStaffId: "0456",
      senderNick: "李四",
      content: "我是谁",
      sessionWebhookTtlMs: 1000,
    });
    await bot.messaging.stop();
    await sim.deliverCallback({ url: callbackUrl(), body });
    clock.advance(5_000);
    bot.messaging.start();
    const sent = await eventually(() => sim.oneToOneMessages("0456").at(-1));
    expect(JSON.stringify(sent.param)).toContain("李四");
  });

  it("rejects a wrong signature or a stale timestamp with 401 and stores nothing", async () => {
    const bad = await sim.deliverCallback({
      url: callbackUrl(),
      body: groupText(" 帮助"),
      appSecret: "wrong",
    });
    expect(bad.status).toBe(401);
    const stale = await sim.deliverCallback({
      url: callbackUrl(),
      body: groupText(" 帮助"),
      timestamp: String(clock.now().getTime() - 2 * 3600_000),
    });
    expect(stale.status).toBe(401);
    expect(await bot.runtime.db.prisma.inboxMessage.count()).toBe(0);
  });
});

describe("DingTalk announcements through the custom robot", () => {
  it("signs every request and never triggers the 10-minute lockout", async () => {
    const robot = sim.customRobots.get(ROBOT_TOKEN);
    const group = { chatId: DING_GROUP, webhookKey: ROBOT_TOKEN };
    const entries = Array.from({ length: 22 }, (_, i) =>
      dingtalkGroupEntries(group, { format: "text", text: `通知 ${i + 1}`, mentions: [] }),
    ).flat();
    await bot.messaging.outbox.enqueue(entries);
    await eventually(() => robot.messages.length >= 20);
    await new Promise((r) => setTimeout(r, 500));
    expect(robot.messages).toHaveLength(20);
    clock.advance(61_000);
    await eventually(() => robot.messages.length === 22);
    expect(robot.rateLimitHits).toBe(0);
    expect(robot.rejected).toEqual([]);
  });
});

describe("DingTalk custom robot lockout", () => {
  it("holds the robot for 10 minutes after 130101 and then delivers everything", async () => {
    const robot = sim.customRobots.get(ROBOT_TOKEN);
    clock.advance(61_000);
    const before = robot.messages.length;
    sim.faults.next(1, fault.errcode(130101, "send too fast, exceed 20 times per minute"), "robot/send");
    const group = { chatId: DING_GROUP, webhookKey: ROBOT_TOKEN };
    await bot.messaging.outbox.enqueue(
      ["甲", "乙", "丙"].flatMap((t) =>
        dingtalkGroupEntries(group, { format: "text", text: t, mentions: [] }),
      ),
    );
    await eventually(() => sim.faults.applied.length > 0);
    await new Promise((r) => setTimeout(r, 500));
    const early = robot.messages.length - before;
    expect(early).toBeLessThanOrEqual(2); // sends already in flight on other workers
    clock.advance(5 * 60_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(robot.messages.length - before).toBe(early);
    clock.advance(5 * 60_000 + 1000);
    await eventually(() => robot.messages.length - before === 3);
    // The simulator has the last message a moment before the bot records it as sent.
    await eventually(async () => {
      const rows = await bot.runtime.db.prisma.outboxMessage.findMany({
        where: { channel: "dingtalk.custom" },
      });
      return rows.every((r) => r.status === "sent");
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(robot.messages.length - before).toBe(3);
  });
});
