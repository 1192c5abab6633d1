import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type DashboardServer, startDashboardServer } from "../dashboard/server.ts";
import { startWecomSim, type WecomSim } from "../sim/wecom/index.ts";
import { eventually } from "../support/wecom-bot.ts";

/**
 * The same WeCom AI bot started somewhere else (a test install, a colleague's laptop) takes the long
 * connection over: WeCom tells the old one with disconnected_event. The bot must not fight back (each
 * reconnect would kick the other), so a person has to act, and the dashboard is where they look.
 */
const KICKED = "企业微信智能机器人的长连接被另一处连接顶掉了";

let sim: WecomSim;
let server: DashboardServer;
const intruders: WebSocket[] = [];

beforeAll(async () => {
  sim = await startWecomSim({});
  server = await startDashboardServer({
    env: {
      WECOM_API_BASE: sim.url,
      WECOM_BOT_MODE: "ws",
      WECOM_BOT_ID: sim.aiBot.botId,
      WECOM_BOT_SECRET: sim.aiBot.secret,
      WECOM_WS_URL: sim.wsUrl,
    },
  });
}, 60_000);
afterAll(async () => {
  for (const ws of intruders) ws.terminate();
  await server?.stop();
  await sim?.close();
});

/** A second client subscribing the same bot, as another install of it would. */
async function subscribeElsewhere(): Promise<void> {
  const ws = new WebSocket(sim.wsUrl);
  intruders.push(ws);
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  const acked = new Promise<void>((resolve) =>
    ws.on("message", (d) => {
      const frame = JSON.parse(d.toString()) as { headers?: { req_id?: string } };
      if (frame.headers?.req_id === "elsewhere_1") resolve();
    }),
  );
  ws.send(
    JSON.stringify({
      cmd: "aibot_subscribe",
      headers: { req_id: "elsewhere_1" },
      body: { bot_id: sim.aiBot.botId, secret: sim.aiBot.secret },
    }),
  );
  await acked;
}

const dashboardText = async () => (await fetch(`${server.url}/dashboard`)).text();

describe("a WeCom long connection taken over by another install", () => {
  it("stays down without fighting back, and every dashboard page says what to do", async () => {
    await eventually(() => server.messaging.longConnections()[0]?.connected);
    expect(server.messaging.longConnections()[0]?.problem).toBeUndefined();
    expect(await dashboardText()).not.toContain(KICKED);

    await subscribeElsewhere();
    await eventually(() => server.messaging.longConnections()[0]?.problem);
    expect(server.messaging.longConnections()[0]).toMatchObject({ connected: false });
    const page = await dashboardText();
    expect(page).toContain(
      `${KICKED}：同一个机器人（WECOM_BOT_ID）在别的地方也在运行。请停掉那一处，再重启本服务`,
    );
    expect(await (await fetch(`${server.url}/dashboard/outbox`)).text()).toContain(KICKED);

    // It does not reconnect (that would kick the other install in turn).
    await new Promise((r) => setTimeout(r, 1500));
    expect(sim.ws.subscribes.filter((s) => s.ok)).toHaveLength(2);
    expect(intruders[0]?.readyState).toBe(WebSocket.OPEN);
  });
});
