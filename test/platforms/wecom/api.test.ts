import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../../src/lib/clock.ts";
import { createLogger } from "../../../src/lib/logger.ts";
import { WecomApi, WecomTokenError } from "../../../src/platforms/wecom/api.ts";
import { renderWecom, utf8Bytes, wecomBody } from "../../../src/platforms/wecom/render.ts";
import { fault, startWecomSim, type WecomSim } from "../../sim/wecom/index.ts";
import { waitFor } from "../../sim/wecom/wait.ts";

/** WecomApi against the loopback WeCom simulator, over real HTTP. */

// Generous for ordinary calls (CI machines are busy); the timeout tests use their own short one.
const TIMEOUT_MS = 5000;
const SHORT_TIMEOUT_MS = 200;
const WEBHOOK_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";

let clock: FakeClock;
let sim: WecomSim;
let logs: string[];
let api: WecomApi;

beforeEach(async () => {
  clock = new FakeClock("2025-03-01T02:00:00Z");
  sim = await startWecomSim({ clock });
  sim.addWebhook(WEBHOOK_KEY, "宣传科工作群");
  logs = [];
  const logger = createLogger("debug", { write: (line: string) => void logs.push(line) });
  api = new WecomApi({ baseUrl: sim.url, clock, logger, timeoutMs: TIMEOUT_MS });
});
afterEach(() => sim.close());

const app = () => ({ corpId: sim.app.corpId, secret: sim.app.secret, agentId: sim.app.agentId });
const dm = (content: string, toUser = "zhangsan") =>
  api.sendAppMessage({ ...app(), toUser, msgtype: "text", content });
const markdown = (content: string) => ({ msgtype: "markdown", markdown: { content } });
const silent = createLogger("silent");
const routeLog = (route: string) => sim.requests.filter((r) => r.route === route);

describe("access token", () => {
  it("100 sends use 1 gettoken", async () => {
    for (let i = 0; i < 100; i++) expect(await dm(`第${i}条`)).toEqual({ ok: true });
    expect(sim.tokens.calls).toBe(1);
    expect(sim.appMessages.to("zhangsan")).toHaveLength(100);
  });

  it("concurrent first sends share one in-flight gettoken", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => dm(`并发${i}`, `user${i}`)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sim.tokens.calls).toBe(1);
    expect(sim.appMessages.all).toHaveLength(20);
  });

  it("refreshes 5 minutes before expiry, not earlier", async () => {
    await dm("一");
    clock.advance((7200 - 6 * 60) * 1000);
    await dm("二");
    expect(sim.tokens.calls).toBe(1);
    clock.advance(2 * 60 * 1000);
    expect(await dm("三")).toEqual({ ok: true });
    expect(sim.tokens.calls).toBe(2);
  });

  it("an expired token (42001) is refreshed and the message delivered", async () => {
    await dm("一");
    sim.expireTokens();
    expect(await dm("二")).toEqual({ ok: true });
    expect(sim.tokens.calls).toBe(2);
    expect(routeLog("message/send").map((r) => r.errcode)).toEqual([0, 42001, 0]);
    expect(sim.appMessages.all.map((m) => m.content)).toEqual(["一", "二"]);
  });

  it("a revoked token (40014) is refreshed once; concurrent failures still share one refresh", async () => {
    await dm("一");
    sim.invalidateTokens();
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => dm(`再${i}`)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sim.tokens.calls).toBe(2);
  });

  it("a token rejected again after the refresh: one retry only, then retry later", async () => {
    sim.faults.next(2, fault.errcode(42001, "access_token expired"), "message/send");
    const result = await dm("一");
    expect(result).toMatchObject({ ok: false, retry: true });
    expect(routeLog("message/send")).toHaveLength(2);
    expect(sim.appMessages.all).toHaveLength(0);
  });

  it("keys the cache per app: two apps of one corp get their own tokens", async () => {
    sim.tokens.addApp({ corpId: sim.app.corpId, secret: "second-app-secret", agentId: "1000003" });
    const second = { corpId: sim.app.corpId, secret: "second-app-secret", agentId: 1000003 };
    expect(await dm("甲")).toEqual({ ok: true });
    expect(
      await api.sendAppMessage({ ...second, toUser: "lisi", msgtype: "markdown", content: "**乙**" }),
    ).toEqual({
      ok: true,
    });
    expect(sim.tokens.calls).toBe(2);
    expect(sim.appMessages.to("lisi")[0]).toMatchObject({ agentId: "1000003", msgtype: "markdown" });
  });

  it("a wrong secret is a config error and is not cached", async () => {
    const bad = { ...app(), secret: "not-the-secret" };
    const result = await api.sendAppMessage({ ...bad, toUser: "zhangsan", msgtype: "text", content: "x" });
    expect(result).toMatchObject({ ok: false, retry: false, configError: true });
    const thrown = await api.accessToken(bad.corpId, bad.secret).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(WecomTokenError);
    expect((thrown as WecomTokenError).result).toMatchObject({ configError: true });
    expect(sim.tokens.calls).toBe(2);
  });

  it("invalidate() forgets the token; a failed gettoken is a retry", async () => {
    const token = await api.accessToken(sim.app.corpId, sim.app.secret);
    api.invalidate(sim.app.corpId, sim.app.secret);
    sim.faults.next(1, "5xx", "gettoken");
    expect(await dm("一")).toMatchObject({ ok: false, retry: true, reason: "HTTP 502" });
    expect(await api.accessToken(sim.app.corpId, sim.app.secret)).toBe(token);
    api.invalidate();
    await api.accessToken(sim.app.corpId, sim.app.secret);
    expect(routeLog("gettoken")).toHaveLength(4);
  });
});

describe("group webhook", () => {
  it("delivers rendered parts of a long reply, each within WeCom's limit", async () => {
    const text = Array.from({ length: 40 }, (_, i) =>
      `第${i + 1}项：宣传科已完成三场宣讲，覆盖全体职工。`.repeat(3),
    ).join("\n\n");
    const parts = renderWecom({ format: "text", text, mentions: [{ userId: "zhangsan" }] });
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts)
      expect(await api.sendWebhook(WEBHOOK_KEY, wecomBody(part))).toEqual({ ok: true });
    const got = sim.webhooks.get(WEBHOOK_KEY).messages;
    expect(got.map((m) => m.content)).toEqual(parts.map((p) => p.content));
    expect(got[0]?.mentionedList).toEqual(["zhangsan"]);
    expect(got.every((m) => utf8Bytes(m.content) <= 2048)).toBe(true);
  });

  it("the 21st message in a minute is a rate-limited retry after ~60 s", async () => {
    for (let i = 0; i < 20; i++)
      expect(await api.sendWebhook(WEBHOOK_KEY, markdown(`第${i}条`))).toEqual({ ok: true });
    const limited = await api.sendWebhook(WEBHOOK_KEY, markdown("第21条"));
    expect(limited).toMatchObject({ ok: false, retry: true, rateLimited: true, afterMs: 60_000 });
    clock.advance(60_000);
    expect(await api.sendWebhook(WEBHOOK_KEY, markdown("第21条"))).toEqual({ ok: true });
  });

  it("an unknown key (93000) is a permanent config error that does not name the key", async () => {
    const result = await api.sendWebhook("no-such-key-123", markdown("x"));
    expect(result).toEqual({
      ok: false,
      retry: false,
      configError: true,
      reason: "errcode 93000 (invalid webhook key)",
    });
  });

  it("system busy (-1) is a retry; other errcodes (content too long) are permanent", async () => {
    sim.faults.next(1, fault.errcode(-1, "system error"), "webhook/send");
    expect(await api.sendWebhook(WEBHOOK_KEY, markdown("x"))).toMatchObject({ ok: false, retry: true });
    const tooLong = { msgtype: "text", text: { content: "汉".repeat(700) } };
    const result = await api.sendWebhook(WEBHOOK_KEY, tooLong);
    expect(result).toMatchObject({ ok: false, retry: false });
    expect(result).not.toHaveProperty("configError");
  });
});

describe("transport failures", () => {
  it("HTTP 5xx is a retry and nothing was delivered", async () => {
    sim.faults.next(1, fault.http5xx(503), "webhook/send");
    expect(await api.sendWebhook(WEBHOOK_KEY, markdown("x"))).toMatchObject({
      retry: true,
      reason: "HTTP 503",
    });
    expect(sim.webhooks.get(WEBHOOK_KEY).messages).toHaveLength(0);
  });

  it("a dropped connection is a retry", async () => {
    sim.faults.next(1, "drop", "message/send");
    expect(await dm("x")).toMatchObject({
      ok: false,
      retry: true,
      reason: expect.stringMatching(/^network error/),
      // A reset after the request went out: WeCom may have taken it, so it counts against the rate.
      unconfirmed: true,
    });
    expect(await dm("x")).toEqual({ ok: true });
  });

  it("a refused connection is a retry that cannot have reached WeCom", async () => {
    // A port that was just free: nothing listens there.
    const server = createServer().listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const { port } = server.address() as AddressInfo;
    await new Promise((r) => server.close(r));
    const closed = new WecomApi({
      baseUrl: `http://127.0.0.1:${port}`,
      clock,
      logger: silent,
      timeoutMs: TIMEOUT_MS,
    });
    const result = await closed.sendWebhook(WEBHOOK_KEY, markdown("x"));
    expect(result).toMatchObject({ ok: false, retry: true, reason: "network error (ECONNREFUSED)" });
    expect(result).not.toHaveProperty("unconfirmed");
  });

  it("slow beyond the timeout is a retry, at the timeout (and the message may still land)", async () => {
    const impatient = new WecomApi({ baseUrl: sim.url, clock, logger: silent, timeoutMs: SHORT_TIMEOUT_MS });
    sim.faults.next(1, fault.slow(1500), "webhook/send");
    const result = await impatient.sendWebhook(WEBHOOK_KEY, markdown("慢"));
    expect(result).toMatchObject({
      ok: false,
      retry: true,
      reason: `timeout after ${SHORT_TIMEOUT_MS} ms`,
      unconfirmed: true,
    });
    // Why the outbox must dedupe or accept duplicates: WeCom processed it after we gave up.
    await waitFor(() => sim.webhooks.get(WEBHOOK_KEY).messages[0], 5000, "the late delivery");
  });

  it("slow within the timeout is fine", async () => {
    sim.faults.next(1, fault.slow(300), "webhook/send");
    expect(await api.sendWebhook(WEBHOOK_KEY, markdown("稍慢"))).toEqual({ ok: true });
  });

  it("HTTP 4xx is permanent", async () => {
    const wrongBase = new WecomApi({ baseUrl: `${sim.url}/wrong`, clock, logger: silent });
    expect(await wrongBase.sendWebhook(WEBHOOK_KEY, markdown("x"))).toMatchObject({
      ok: false,
      retry: false,
      reason: "HTTP 404",
    });
  });

  it("connection refused is a retry", async () => {
    const closed = new WecomApi({ baseUrl: "http://127.0.0.1:9", clock, logger: silent });
    expect(await closed.sendWebhook(WEBHOOK_KEY, markdown("x"))).toMatchObject({ ok: false, retry: true });
  });

  it("a non-JSON 200 (a proxy's page) is a retry", async () => {
    // The simulator cannot answer garbage, so a bare server stands in for a misbehaving proxy.
    const proxy: Server = createServer((_req, res) => res.end("<html>502 Bad Gateway</html>"));
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    try {
      const base = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const viaProxy = new WecomApi({ baseUrl: base, clock, logger: silent });
      expect(await viaProxy.sendWebhook(WEBHOOK_KEY, markdown("x"))).toMatchObject({
        ok: false,
        retry: true,
        reason: "unreadable answer (HTTP 200)",
      });
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });
});

describe("response_url", () => {
  it("first use delivers; the second is permanent with doorClosed", async () => {
    const url = sim.newResponseUrl();
    expect(await api.postResponseUrl(url, markdown("已记录进度。"))).toEqual({ ok: true });
    expect(sim.responseUrls.get(url).body).toEqual(markdown("已记录进度。"));
    expect(await api.postResponseUrl(url, markdown("again"))).toMatchObject({
      ok: false,
      retry: false,
      doorClosed: true,
    });
  });

  it("after its hour it is closed too", async () => {
    const url = sim.newResponseUrl();
    clock.advance(3600_000);
    expect(await api.postResponseUrl(url, markdown("晚了"))).toMatchObject({
      retry: false,
      doorClosed: true,
    });
  });

  it("a content error is permanent but not doorClosed; 5xx is a retry", async () => {
    const url = sim.newResponseUrl();
    const asText = await api.postResponseUrl(url, { msgtype: "text", text: { content: "x" } });
    expect(asText).toMatchObject({ ok: false, retry: false });
    expect(asText).not.toHaveProperty("doorClosed");
    sim.faults.next(1, "5xx", "aibot/response");
    expect(await api.postResponseUrl(url, markdown("x"))).toMatchObject({ retry: true });
    expect(await api.postResponseUrl(url, markdown("x"))).toEqual({ ok: true });
  });
});

describe("logs", () => {
  it("never contain the secret, the token, the webhook key or the response_code", async () => {
    await dm("一");
    const token = await api.accessToken(sim.app.corpId, sim.app.secret);
    sim.expireTokens();
    await dm("二");
    sim.faults.next(1, "drop", "webhook/send");
    await api.sendWebhook(WEBHOOK_KEY, markdown("x"));
    sim.faults.next(1, fault.errcode(45009, `freq limit for key ${WEBHOOK_KEY}`), "webhook/send");
    await api.sendWebhook(WEBHOOK_KEY, markdown("x"));
    const url = sim.newResponseUrl();
    await api.postResponseUrl(url, markdown("x"));
    await api.postResponseUrl(url, markdown("x"));
    const text = logs.join("");
    expect(logs.length).toBeGreaterThan(5);
    expect(text).toContain("webhook/send?key=***");
    for (const secret of [
      sim.app.secret,
      token,
      WEBHOOK_KEY,
      new URL(url).searchParams.get("response_code"),
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
