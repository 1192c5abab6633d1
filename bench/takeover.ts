import type { WecomSim } from "../test/sim/wecom/index.ts";
import { GROUP_CHAT } from "../test/support/wecom-bot.ts";
import { startChild } from "./callback.ts";
import { pgWecomBench } from "./crash.ts";

/**
 * Issue 9, the long connection across replicas with real processes: two `huibao serve` in
 * WECOM_BOT_MODE=ws on one PostgreSQL. The replica holding the WeCom connection is killed with
 * SIGKILL (it cannot give its lease back), later the new holder is stopped with SIGTERM (it does).
 * Prints how long WeCom was without a connection each time, and checks that a member's message is
 * answered once through the new holder. LEADER_LEASE_S as configured (default 30).
 */
const LEASE_S = Number(process.env.LEADER_LEASE_S ?? 30);

async function answeredOnce(sim: WecomSim, text: string): Promise<boolean> {
  const reqId = sim.ws.pushMessage(
    sim.botTextMessage({ chatid: GROUP_CHAT, userid: "member1", content: `@汇报 ${text}` }),
  );
  await sim.ws.waitForResponse(reqId, 20_000);
  await new Promise((r) => setTimeout(r, 1000));
  return sim.ws.responses.filter((r) => r.reqId === reqId).length === 1;
}

/** Seconds from `since` until WeCom has seen `count` successful subscribes in all. */
async function subscribedAfter(sim: WecomSim, count: number, since: number): Promise<number> {
  await sim.ws.waitForSubscribes(sim.aiBot.botId, count, (LEASE_S * 3 + 30) * 1000);
  return (performance.now() - since) / 1000;
}

export async function benchTakeover(): Promise<void> {
  const bench = await pgWecomBench("takeover", (sim) => ({
    WECOM_BOT_MODE: "ws",
    WECOM_BOT_ID: sim.aiBot.botId,
    WECOM_BOT_SECRET: sim.aiBot.secret,
    WECOM_WS_URL: sim.wsUrl,
    LEADER_LEASE_S: String(LEASE_S),
  }));
  if (!bench) return;
  const { sim, env } = bench;
  const children: Array<Awaited<ReturnType<typeof startChild>>> = [];
  try {
    // A first, so that it holds the connection; then B waits as the standby.
    const a = await startChild(["bin/huibao.js", "serve"], env);
    children.push(a);
    await subscribedAfter(sim, 1, performance.now());
    const b = await startChild(["bin/huibao.js", "serve"], env);
    children.push(b);
    await new Promise((r) => setTimeout(r, 2000));
    const before = sim.ws.subscribes.filter((s) => s.ok).length;
    const firstOk = await answeredOnce(sim, "帮助");

    let t = performance.now();
    a.child.kill("SIGKILL");
    const afterKill = await subscribedAfter(sim, before + 1, t);
    const secondOk = await answeredOnce(sim, "帮助");

    // A comes back as the standby; B is stopped cleanly and hands the lease back.
    const a2 = await startChild(["bin/huibao.js", "serve"], env);
    children.push(a2);
    await new Promise((r) => setTimeout(r, 2000));
    t = performance.now();
    b.child.kill("SIGTERM");
    const afterTerm = await subscribedAfter(sim, before + 2, t);
    const thirdOk = await answeredOnce(sim, "帮助");
    const subscribes = sim.ws.subscribes.filter((s) => s.ok).length;

    console.log(
      `two replicas on PostgreSQL, WECOM_BOT_MODE=ws, LEADER_LEASE_S=${LEASE_S} (the holder renews every ${(LEASE_S / 3).toFixed(0)} s, the others try every ${(LEASE_S / 10).toFixed(0)} s)`,
    );
    console.log(
      `holder killed with SIGKILL → the other replica connected after ${afterKill.toFixed(1)} s` +
        ` (at most the lease + one try = ${LEASE_S + LEASE_S / 10} s)`,
    );
    console.log(`holder stopped with SIGTERM → the other replica connected after ${afterTerm.toFixed(1)} s`);
    console.log(
      `a member's message answered exactly once before, after the kill and after the stop: ${[firstOk, secondOk, thirdOk].join(" / ")}; ` +
        `subscribes in all ${subscribes} (3 expected: no replica ever kicked another)`,
    );
  } finally {
    for (const c of children) c.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1500));
    await bench.close();
  }
}
