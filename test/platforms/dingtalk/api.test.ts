import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../../src/lib/clock.ts";
import { createLogger } from "../../../src/lib/logger.ts";
import {
  CUSTOM_ROBOT_LOCKOUT_MS,
  DingtalkApi,
  type DingtalkApiOptions,
  DingtalkTokenError,
} from "../../../src/platforms/dingtalk/api.ts";
import { type DingtalkSim, fault, startDingtalkSim } from "../../sim/dingtalk/index.ts";

/** DingtalkApi against the loopback DingTalk simulator, over real HTTP. */

const TIMEOUT_MS = 5000;
const ROBOT_TOKEN = "c0ffee00robot0token0000000000000000000000000000000000000000000001";
const ROBOT_SECRET = "SECrobotsecretthatmustnotleak0123456789";

let clock: FakeClock;
let sim: DingtalkSim;
let logs: string[];
let api: DingtalkApi;

function makeApi(overrides: Partial<DingtalkApiOptions> = {}): DingtalkApi {
  return new DingtalkApi({
    apiBase: sim.apiUrl,
    oapiBase: sim.oapiUrl,
    appKey: sim.app.appKey,
    appSecret: sim.app.appSecret,
    robotCode: sim.app.robotCode,
    clock,
    logger: createLogger("debug", { write: (line: string) => void logs.push(line) }),
    timeoutMs: TIMEOUT_MS,
    ...overrides,
  });
}

beforeEach(async () => {
  clock = new FakeClock("2025-03-01T02:00:00Z");
  sim = await startDingtalkSim({ clock });
  sim.addCustomRobot(ROBOT_TOKEN, ROBOT_SECRET, "宣传科工作群");
  logs = [];
  api = makeApi();
});
afterEach(() => sim.close());

const text = (content: string) => ({ msgKey: "sampleText", msgParam: { content } });
const group = (content: string, conv = "cidGroup1") => api.sendGroup(conv, text(content));
const robotText = (content: string) => ({ msgtype: "text", text: { content } });
const robot = (content = "公告") => api.sendCustomRobot(ROBOT_TOKEN, ROBOT_SECRET, robotText(content));
const routeLog = (route: string) => sim.requests.filter((r) => r.route === route);
const logText = () => logs.join("");

describe("access token", () => {
  it("50 sends use one token request", async () => {
    for (let i = 0; i < 50; i++) expect(await group(`第${i}条`)).toEqual({ ok: true });
    expect(sim.tokens.calls).toBe(1);
    expect(sim.groupMessages("cidGroup1")).toHaveLength(50);
  });

  it("concurrent first sends share one in-flight refresh", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => group(`并发${i}`, `cid${i}`)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sim.tokens.calls).toBe(1);
  });

  it("refreshes 5 minutes before expiry, not earlier", async () => {
    await group("一");
    clock.advance((7200 - 6 * 60) * 1000);
    await group("二");
    expect(sim.tokens.calls).toBe(1);
    clock.advance(2 * 60 * 1000);
    expect(await group("三")).toEqual({ ok: true });
    expect(sim.tokens.calls).toBe(2);
  });

  it("a rejected token (401 InvalidAuthentication) is refreshed once and the message delivered", async () => {
    await group("一");
    sim.expireTokens();
    const results = await Promise.all([group("二"), group("三"), group("四")]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sim.tokens.calls).toBe(2);
    expect(routeLog("groupMessages/send").filter((r) => r.code === "InvalidAuthentication")).toHaveLength(3);
    expect(
      sim
        .groupMessages("cidGroup1")
        .map((m) => m.param.content)
        .sort(),
    ).toEqual(["一", "三", "二", "四"].sort());
  });

  it("InvalidAuthentication answered with HTTP 400 is treated the same (status differs in reports)", async () => {
    await group("一");
    sim.faults.next(
      1,
      fault.apiError(400, "InvalidAuthentication", "不合法的access_token"),
      "groupMessages/send",
    );
    expect(await group("二")).toEqual({ ok: true });
    expect(sim.tokens.calls).toBe(2);
  });

  it("a token still rejected after the refresh is a retry, not a loop", async () => {
    sim.faults.next(2, fault.apiError(401, "InvalidAuthentication"), "groupMessages/send");
    const r = await group("x");
    expect(r).toMatchObject({ ok: false, retry: true, reason: expect.stringMatching(/after refresh/) });
    expect(routeLog("groupMessages/send")).toHaveLength(2);
  });

  it("a wrong app secret is a permanent config error and accessToken() throws DingtalkTokenError", async () => {
    const bad = makeApi({ appSecret: "wrong-secret-value" });
    const r = await bad.sendGroup("cidA", text("x"));
    expect(r).toMatchObject({ ok: false, retry: false, configError: true });
    expect((r as { reason: string }).reason).toMatch(/DINGTALK_APP_SECRET/);
    const err = await bad.accessToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DingtalkTokenError);
    expect(logText()).not.toContain("wrong-secret-value");
  });

  it("a token endpoint outage is a retry; an early refresh that fails keeps the old token", async () => {
    sim.faults.next(1, "5xx", "oauth2/accessToken");
    expect(await group("一")).toMatchObject({ ok: false, retry: true });
    expect(await group("二")).toEqual({ ok: true });
    clock.advance((7200 - 4 * 60) * 1000);
    sim.faults.next(1, "5xx", "oauth2/accessToken");
    expect(await group("三")).toEqual({ ok: true });
    expect(sim.groupMessages("cidGroup1").map((m) => m.param.content)).toEqual(["二", "三"]);
  });
});

describe("enterprise robot sends", () => {
  it("sendGroup posts robotCode, openConversationId, msgKey and msgParam as a JSON string", async () => {
    expect(
      await api.sendGroup("cidGroup9", {
        msgKey: "sampleMarkdown",
        msgParam: { title: "周报", text: "## 完成" },
      }),
    ).toEqual({
      ok: true,
    });
    const body = JSON.parse(routeLog("groupMessages/send")[0]?.body ?? "{}");
    expect(body).toEqual({
      robotCode: sim.app.robotCode,
      openConversationId: "cidGroup9",
      msgKey: "sampleMarkdown",
      msgParam: JSON.stringify({ title: "周报", text: "## 完成" }),
    });
    expect(sim.groupMessages("cidGroup9")[0]?.param).toEqual({ title: "周报", text: "## 完成" });
  });

  it("sendOneToOne records per user; all invalid → permanent, all flow-controlled → rate-limited retry", async () => {
    expect(await api.sendOneToOne(["zhangsan", "lisi"], text("请审批"))).toEqual({ ok: true });
    expect(sim.oneToOneMessages("zhangsan")).toHaveLength(1);
    expect(sim.oneToOneMessages("lisi")).toHaveLength(1);
    sim.robot.unknownUsers.add("ghost");
    expect(await api.sendOneToOne(["ghost"], text("x"))).toMatchObject({ ok: false, retry: false });
    sim.robot.flowControlledUsers.add("busy");
    expect(await api.sendOneToOne(["busy"], text("x"))).toMatchObject({
      ok: false,
      retry: true,
      rateLimited: true,
    });
    expect(await api.sendOneToOne(["zhangsan", "ghost"], text("部分"))).toEqual({ ok: true });
    expect(logText()).toContain("batchSend skipped some users");
  });

  it("classifies refusals: bad msgParam permanent, wrong robotCode config, 403 config, QPS limit rate-limited", async () => {
    expect(
      await api.sendGroup("cidA", { msgKey: "sampleMarkdown", msgParam: { text: "no title" } }),
    ).toMatchObject({
      ok: false,
      retry: false,
    });
    const wrongRobot = makeApi({ robotCode: "dingsomeoneelse" });
    expect(await wrongRobot.sendGroup("cidA", text("x"))).toMatchObject({ retry: false, configError: true });
    sim.faults.next(
      1,
      fault.apiError(403, "Forbidden.AccessDenied.AccessTokenPermissionDenied"),
      "groupMessages/send",
    );
    expect(await group("x")).toMatchObject({ retry: false, configError: true });
    sim.faults.next(1, fault.apiError(403, "Forbidden.AccessDenied.QpsLimitForApi"), "groupMessages/send");
    expect(await group("x")).toMatchObject({ retry: true, rateLimited: true, afterMs: 60_000 });
    sim.faults.next(1, fault.apiError(429, "Throttling"), "groupMessages/send");
    expect(await group("x")).toMatchObject({ retry: true, rateLimited: true });
  });

  it("network trouble is a retry: 5xx, a dropped socket, a timeout, an unreadable 200", async () => {
    await group("warm-up");
    sim.faults.next(1, fault.http5xx(503), "groupMessages/send");
    expect(await group("x")).toMatchObject({ retry: true, reason: "HTTP 503" });
    sim.faults.next(1, "drop", "groupMessages/send");
    expect(await group("x")).toMatchObject({ retry: true, reason: expect.stringMatching(/network error/) });
    const quick = makeApi({ timeoutMs: 100 });
    await quick.accessToken();
    sim.faults.next(1, fault.slow(400), "groupMessages/send");
    expect(await quick.sendGroup("cidSlow", text("慢"))).toMatchObject({
      retry: true,
      reason: "timeout after 100 ms",
    });
  });
});

describe("session webhook", () => {
  const reply = (content: string) => ({
    msgtype: "text",
    text: { content },
    at: { atUserIds: ["zhangsan"] },
  });

  it("delivers before expiry; after it the door is closed (300001 → doorClosed, permanent)", async () => {
    const hook = sim.newSessionWebhook("cidGroup1", 60_000);
    expect(await api.postSessionWebhook(hook.url, reply("@zhangsan 收到"))).toEqual({ ok: true });
    clock.advance(60_000);
    const r = await api.postSessionWebhook(hook.url, reply("晚了"));
    expect(r).toMatchObject({ ok: false, retry: false, doorClosed: true });
    expect(sim.sessions.get(hook.url).attempts.map((a) => a.errcode)).toEqual([0, 300001]);
  });

  it("a known expiry is not even tried; a bad URL is a closed door; content errors stay content errors", async () => {
    const hook = sim.newSessionWebhook("cidGroup1", 60_000);
    clock.advance(60_000);
    expect(await api.postSessionWebhook(hook.url, reply("x"), hook.expiresAt)).toMatchObject({
      doorClosed: true,
    });
    expect(sim.sessions.get(hook.url).attempts).toHaveLength(0);
    expect(await api.postSessionWebhook("not a url", reply("x"))).toMatchObject({ doorClosed: true });
    const fresh = sim.newSessionWebhook("cidGroup1", 60_000);
    const bad = await api.postSessionWebhook(fresh.url, {
      msgtype: "markdown",
      markdown: { text: "no title" },
    });
    expect(bad).toMatchObject({ ok: false, retry: false });
    expect(bad).not.toHaveProperty("doorClosed");
    sim.faults.next(1, "5xx", "robot/sendBySession");
    expect(await api.postSessionWebhook(fresh.url, reply("x"))).toMatchObject({ retry: true });
  });

  it("never logs the session id", async () => {
    const hook = sim.newSessionWebhook("cidGroup1", 1000);
    clock.advance(1000);
    await api.postSessionWebhook(hook.url, reply("x"));
    const session = new URL(hook.url).searchParams.get("session") as string;
    expect(logText()).toContain("session=***");
    expect(logText()).not.toContain(session);
  });
});

describe("custom robot webhook", () => {
  it("signs every request afresh: two sends an hour apart on the fake clock both succeed", async () => {
    expect(await robot("早上")).toEqual({ ok: true });
    clock.advance(3600_000 + 60_000);
    expect(await robot("一小时后")).toEqual({ ok: true });
    const sent = routeLog("robot/send").map((r) => r.query);
    expect(sent[0]?.timestamp).toBe(String(new Date("2025-03-01T02:00:00Z").getTime()));
    expect(sent[1]?.timestamp).toBe(String(clock.now().getTime()));
    expect(new Set(sim.customRobots.get(ROBOT_TOKEN).signs).size).toBe(2);
    expect(sim.customRobots.get(ROBOT_TOKEN).messages.map((m) => m.text)).toEqual(["早上", "一小时后"]);
  });

  it("130101 → retry, rate-limited, after 10 minutes", async () => {
    const fast = await startDingtalkSim({ clock, perMinute: 2 });
    try {
      fast.addCustomRobot(ROBOT_TOKEN, ROBOT_SECRET, "群");
      const fastApi = makeApi({ apiBase: fast.apiUrl, oapiBase: fast.oapiUrl });
      const send = () => fastApi.sendCustomRobot(ROBOT_TOKEN, ROBOT_SECRET, robotText("x"));
      expect(await send()).toEqual({ ok: true });
      expect(await send()).toEqual({ ok: true });
      const r = await send();
      expect(r).toMatchObject({
        ok: false,
        retry: true,
        rateLimited: true,
        afterMs: CUSTOM_ROBOT_LOCKOUT_MS,
      });
      expect(CUSTOM_ROBOT_LOCKOUT_MS).toBe(600_000);
    } finally {
      await fast.close();
    }
  });

  it("310000 → permanent config error with a clear reason", async () => {
    const r = await api.sendCustomRobot(ROBOT_TOKEN, "SECnotthesecret", robotText("x"));
    expect(r).toEqual({
      ok: false,
      retry: false,
      configError: true,
      reason:
        "errcode 310000: signature/timestamp/keyword rejected: check webhook_secret and the robot's security settings",
    });
  });

  it("460101 → permanent (not a config error); unknown token → config error; -1 → retry", async () => {
    const long = await robot("汇".repeat(7000));
    expect(long).toMatchObject({ ok: false, retry: false, reason: expect.stringMatching(/460101/) });
    expect(long).not.toHaveProperty("configError");
    expect(await api.sendCustomRobot("unknown-token", ROBOT_SECRET, robotText("x"))).toMatchObject({
      retry: false,
      configError: true,
    });
    sim.faults.next(1, fault.errcode(-1, "系统繁忙"), "robot/send");
    expect(await robot()).toMatchObject({ retry: true });
    sim.faults.next(1, "drop", "robot/send");
    expect(await robot()).toMatchObject({ retry: true });
  });

  it("a robot without a secret is sent unsigned", async () => {
    sim.addCustomRobot("plain-token", undefined, "关键词群", { keywords: ["汇报"] });
    expect(await api.sendCustomRobot("plain-token", undefined, robotText("汇报：周一"))).toEqual({
      ok: true,
    });
    expect(routeLog("robot/send")[0]?.query).toEqual({ access_token: "plain-token" });
  });

  it("never logs the robot token, the secret, the signature, the app secret or an access token", async () => {
    await robot("一");
    await api.sendCustomRobot(ROBOT_TOKEN, "SECnotthesecret", robotText("x"));
    await group("一");
    sim.expireTokens();
    await group("二");
    const all = logText();
    expect(all.length).toBeGreaterThan(0);
    for (const secret of [
      ROBOT_TOKEN,
      ROBOT_SECRET,
      sim.app.appSecret,
      ...sim.customRobots.get(ROBOT_TOKEN).signs,
    ]) {
      expect(all).not.toContain(secret);
      expect(all).not.toContain(encodeURIComponent(secret));
    }
    const token = await api.accessToken();
    expect(all).not.toContain(token);
  });
});
