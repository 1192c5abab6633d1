import { expect, it } from "vitest";
import { systemClock } from "../../src/lib/clock.ts";
import { startWecomSim, type WecomSim } from "../sim/wecom/index.ts";
import type { WsFrameRecord } from "../sim/wecom/ws-server.ts";
import { cuttableLogin, describePostgres, freshPostgresDatabase } from "../support/postgres.ts";
import { eventually, GROUP_CHAT, GROUP_KEY, startWecomBot, type WecomBot } from "../support/wecom-bot.ts";

/**
 * Issue 9: several replicas in WECOM_BOT_MODE=ws on one PostgreSQL. WeCom keeps one connection per
 * bot and kicks the older one when another subscribes, so two replicas that both connected would kick
 * each other forever. A lease decides which replica holds the connection; when it stops or dies,
 * another takes over. Real time (the lease is judged by the clock), with the shortest lease (3 s).
 */
const LEASE_S = 3;
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
const contentOf = (f: WsFrameRecord) =>
  String((f.body.stream as { content?: string } | undefined)?.content ?? "");

async function replicas(sim: WecomSim, urls: [string, string]): Promise<[WecomBot, WecomBot]> {
  const env = {
    WECOM_BOT_MODE: "ws",
    WECOM_BOT_ID: sim.aiBot.botId,
    WECOM_BOT_SECRET: sim.aiBot.secret,
    WECOM_WS_URL: sim.wsUrl,
    LEADER_LEASE_S: String(LEASE_S),
  };
  const a = await startWecomBot(sim, { clock: systemClock, databaseUrl: urls[0], env });
  const b = await startWecomBot(sim, { clock: systemClock, databaseUrl: urls[1], env });
  return [a, b];
}

const subscribed = (sim: WecomSim) => sim.ws.subscribes.filter((s) => s.ok).length;
const leaderOf = (bots: WecomBot[]) =>
  bots.filter((b) => b.messaging.longConnections().some((c) => c.leading && c.connected));

describePostgres("the WeCom long connection across replicas (issue 9)", () => {
  it("runs on one replica only, answers through it, and moves to the other when it stops", async () => {
    const sim = await startWecomSim({ clock: systemClock });
    sim.addWebhook(GROUP_KEY, "宣传科工作群");
    const fresh = await freshPostgresDatabase();
    const bots = await replicas(sim, [fresh.url, fresh.url]);
    try {
      await sim.ws.waitForSubscribes(sim.aiBot.botId, 1, 20_000);
      // Three lease times: a second connection would have kicked the first by now.
      await settle(LEASE_S * 3 * 1000);
      expect(subscribed(sim)).toBe(1);
      const [leader] = leaderOf(bots);
      expect(leaderOf(bots)).toHaveLength(1);
      const other = bots.find((b) => b !== leader) as WecomBot;

      // Either replica's inbox worker may handle it; the answer goes out on the leader's connection.
      const first = sim.ws.pushMessage(
        sim.botTextMessage({ chatid: GROUP_CHAT, userid: "zhangsan", content: "@汇报 我是谁" }),
      );
      expect(contentOf(await sim.ws.waitForResponse(first, 15_000))).toContain("张三");

      const before = Date.now();
      await leader?.stop();
      // A clean stop hands the lease back: the other replica connects at its next try (every 0.3 s).
      await sim.ws.waitForSubscribes(sim.aiBot.botId, 2, 10_000);
      const handover = Date.now() - before;
      expect(handover).toBeLessThan(LEASE_S * 1000);
      await eventually(() => leaderOf([other]).length === 1);
      const second = sim.ws.pushMessage(
        sim.botTextMessage({ chatid: GROUP_CHAT, userid: "zhangsan", content: "@汇报 我是谁" }),
      );
      expect(contentOf(await sim.ws.waitForResponse(second, 15_000))).toContain("张三");
      await settle(500);
      expect(sim.ws.responses.filter((r) => r.reqId === first || r.reqId === second)).toHaveLength(2);
      expect(subscribed(sim)).toBe(2);
    } finally {
      for (const b of bots) await b.stop().catch(() => {});
      await sim.close();
      await fresh.drop();
    }
  }, 90_000);

  it("takes over from a replica that lost its database, without the two connections overlapping", async () => {
    const sim = await startWecomSim({ clock: systemClock });
    sim.addWebhook(GROUP_KEY, "宣传科工作群");
    const fresh = await freshPostgresDatabase();
    // Each replica logs in as its own role, so that one can be cut off the database.
    const logins = [await cuttableLogin(fresh), await cuttableLogin(fresh)];
    const bots = await replicas(sim, [logins[0]?.url ?? "", logins[1]?.url ?? ""]);
    try {
      await sim.ws.waitForSubscribes(sim.aiBot.botId, 1, 20_000);
      await settle(1500);
      const [leader] = leaderOf(bots);
      const other = bots.find((b) => b !== leader) as WecomBot;
      const cut = Date.now();
      // The leader can no longer reach the database (a network split): it cannot renew its lease.
      await logins[bots.indexOf(leader as WecomBot)]?.cut();
      await sim.ws.waitForSubscribes(sim.aiBot.botId, 2, 20_000);
      const takeover = Date.now() - cut;
      // Not before the lease ran out (it was renewed at most 1 s before the cut), not much after.
      expect(takeover).toBeGreaterThanOrEqual((LEASE_S - 1) * 1000);
      expect(takeover).toBeLessThan((LEASE_S + 3) * 1000);
      // (subscribed, and the subscribe's answer has reached the replica)
      await eventually(() => leaderOf([other]).length === 1);
      // The old leader had closed its connection by itself before the new one subscribed: WeCom never
      // had to kick anyone, so the new connection stays.
      await settle(LEASE_S * 1000);
      expect(subscribed(sim)).toBe(2);
      expect(leader?.messaging.longConnections()[0]?.connected).toBe(false);
      const reqId = sim.ws.pushMessage(
        sim.botTextMessage({ chatid: GROUP_CHAT, userid: "zhangsan", content: "@汇报 我是谁" }),
      );
      expect(contentOf(await sim.ws.waitForResponse(reqId, 15_000))).toContain("张三");
    } finally {
      for (const b of bots) await b.stop().catch(() => {});
      await sim.close();
      await fresh.drop();
      // After the database: the roles own the tables they created in it.
      for (const login of logins) await login.drop();
    }
  }, 90_000);
});
