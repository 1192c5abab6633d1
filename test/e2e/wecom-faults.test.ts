import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeClock } from "../../src/lib/clock.ts";
import { webhookEntry } from "../../src/platforms/wecom/reply-planner.ts";
import { fault, startWecomSim, type WecomSim } from "../sim/wecom/index.ts";
import { eventually, GROUP_CHAT, GROUP_KEY, startWecomBot, type WecomBot } from "../support/wecom-bot.ts";

let sim: WecomSim;
let bot: WecomBot;
const clock = new FakeClock("2026-11-26T02:00:00Z");

beforeAll(async () => {
  sim = await startWecomSim({ clock });
  sim.addWebhook(GROUP_KEY, "宣传科工作群");
  bot = await startWecomBot(sim, { clock });
});
afterAll(async () => {
  await bot?.stop();
  await sim?.close();
});

describe("delivery through platform failures", () => {
  it("delivers every message once WeCom recovers from 5xx, dropped connections and busy answers", async () => {
    const robot = sim.webhooks.get(GROUP_KEY);
    sim.faults.next(2, fault.http5xx(502), "webhook/send");
    sim.faults.next(2, "drop", "webhook/send");
    sim.faults.next(1, fault.errcode(-1, "system busy"), "webhook/send");
    const texts = ["第一条", "第二条", "第三条"];
    await bot.messaging.outbox.enqueue(
      texts.map((t) => webhookEntry(GROUP_CHAT, { msgtype: "text", text: { content: t } })),
    );
    // Retries back off on the bot's clock; move it on until everything is out.
    await eventually(async () => {
      clock.advance(30_000);
      await new Promise((r) => setTimeout(r, 200));
      return robot.messages.length >= 3;
    }, 30_000);
    expect(robot.messages.map((m) => m.content).sort()).toEqual([...texts].sort());
    expect(sim.faults.applied.length).toBe(5);
    // The simulator has the last message a moment before the bot records it as sent.
    await eventually(async () =>
      (await bot.runtime.db.prisma.outboxMessage.findMany()).every((r) => r.status === "sent"),
    );
  }, 60_000);

  it("fails a message for good on a bad webhook key, keeps the reason, and sends nothing", async () => {
    await bot.runtime.db.prisma.group.update({
      where: { platform_chatId: { platform: "wecom", chatId: GROUP_CHAT } },
      data: { webhookKey: "no-such-key" },
    });
    await bot.messaging.outbox.enqueue([
      webhookEntry(GROUP_CHAT, { msgtype: "text", text: { content: "x" } }),
    ]);
    const failed = await eventually(async () => (await bot.messaging.outbox.listFailed())[0]);
    expect(failed.lastError).toMatch(/93000|invalid webhook/i);
    expect(failed.lastError).not.toContain("no-such-key");
  });
});
