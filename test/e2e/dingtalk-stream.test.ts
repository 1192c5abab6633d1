import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/lib/clock.ts";
import { type DingtalkSim, startDingtalkSim } from "../sim/dingtalk/index.ts";
import { DING_GROUP, type DingtalkBot, startDingtalkBot } from "../support/dingtalk-bot.ts";
import { eventually } from "../support/wecom-bot.ts";

let sim: DingtalkSim;
let bot: DingtalkBot;

beforeAll(async () => {
  sim = await startDingtalkSim({ clock: systemClock, stream: { redeliverAfterMs: 1500 } });
  bot = await startDingtalkBot(sim, { clock: systemClock, mode: "stream" });
});
afterAll(async () => {
  await bot?.stop();
  await sim?.close();
});

describe("DingTalk Stream mode", () => {
  it("acks the callback, answers once, and is not redelivered", async () => {
    await sim.stream.waitForConnections(1);
    const body = sim.textMessage({
      conversationId: DING_GROUP,
      conversationType: "2",
      senderStaffId: "0456",
      senderNick: "李四",
      content: " 帮助",
    });
    const messageId = sim.pushCallback(body);
    await sim.stream.waitForAck(messageId);
    const hook = sim.sessions.get(String(body.sessionWebhook));
    await eventually(() => hook.messages.length > 0);
    await new Promise((r) => setTimeout(r, 2500)); // past the redelivery delay
    expect(sim.stream.deliveriesOf(messageId)).toBe(1);
    expect(hook.messages).toHaveLength(1);
    expect(hook.messages[0]?.text).toContain("汇报助手能做的事");
  });

  it("handles a redelivered callback once (DingTalk resends what it thinks was not acked)", async () => {
    const body = sim.textMessage({
      conversationId: DING_GROUP,
      conversationType: "2",
      senderStaffId: "0456",
      senderNick: "李四",
      content: " 单位",
    });
    const first = sim.pushCallback(body);
    await sim.stream.waitForAck(first);
    const again = sim.pushCallback(body);
    await sim.stream.waitForAck(again);
    const hook = sim.sessions.get(String(body.sessionWebhook));
    await eventually(() => hook.messages.length > 0);
    await new Promise((r) => setTimeout(r, 1000));
    expect(hook.messages).toHaveLength(1);
  });

  it("reconnects after the connection drops and answers the next message", async () => {
    sim.dropStream();
    await sim.stream.waitForConnections(2);
    const body = sim.textMessage({
      conversationId: DING_GROUP,
      conversationType: "2",
      senderStaffId: "0456",
      senderNick: "李四",
      content: " 我是谁",
    });
    sim.pushCallback(body);
    const hook = sim.sessions.get(String(body.sessionWebhook));
    await eventually(() => hook.messages.length > 0);
    expect(hook.messages[0]?.text).toContain("李四");
  });
});
