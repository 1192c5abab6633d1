import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type RequestListener, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDirectoryFile } from "../../src/domain/directory/file.ts";
import { importDirectory } from "../../src/domain/directory/sync.ts";
import { extendWorkdayCalendar, workdayCalendarYears } from "../../src/lib/workdays.ts";
import { isLoopback } from "../../src/web/dashboard/access.ts";
import { eventually } from "../support/wecom-bot.ts";
import { seedActivity } from "./seed-more.ts";
import { type DashboardServer, DIRECTORY, seedTasks, startDashboardServer, TOKEN } from "./server.ts";

const bearer = { authorization: `Bearer ${TOKEN}` };
const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
  redirect: "manual" as const,
});

/** Reads a live stream as it comes: `until` waits for some text (everything read so far is kept). */
function liveReader(body: ReadableStream<Uint8Array> | null) {
  if (!body) throw new Error("no body");
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  return {
    async until(wanted: string): Promise<string> {
      while (!text.includes(wanted)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${JSON.stringify(wanted)}:\n${text}`);
        text += decoder.decode(value, { stream: true });
      }
      return text;
    },
    /** Resolves when the server ends the stream; rejects if the connection is cut instead. */
    async ended(): Promise<true> {
      for (;;) if ((await reader.read()).done) return true;
    },
  };
}

describe("dashboard with ADMIN_TOKEN", () => {
  let s: DashboardServer;
  beforeAll(async () => {
    s = await startDashboardServer({ token: TOKEN });
    await seedTasks(s.db, [
      { code: "1.1", title: "开展专题讲座<script>alert(1)</script>", due: "2021-09-30", lead: ["宣传科"] },
      { code: "1.2", title: "召开新闻发布会", due: "2021-03-01", lead: ["环卫处"], target: 4, count: 1 },
    ]);
    await seedActivity(s.db);
  });
  afterAll(async () => {
    await s?.stop();
  });

  it("sends a browser without the token to the login form, and an API caller gets 401", async () => {
    const page = await fetch(`${s.url}/dashboard/events`, { redirect: "manual" });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/dashboard/login?next=%2Fdashboard%2Fevents");
    const login = await fetch(`${s.url}/dashboard/login?next=/dashboard/events`);
    const text = await login.text();
    expect(text).toContain("登录管理台");
    expect(text).toContain('name="next" value="/dashboard/events"');

    const api = await fetch(`${s.url}/dashboard/api/tasks`);
    expect(api.status).toBe(401);
    expect(api.headers.get("www-authenticate")).toContain("Bearer");
    expect(((await api.json()) as { error: string }).error).toContain("ADMIN_TOKEN");
    const wrong = await fetch(`${s.url}/dashboard/api/tasks`, { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
  });

  it("takes a bearer token on the API", async () => {
    const res = await fetch(`${s.url}/dashboard/api/tasks`, { headers: bearer });
    expect(res.status).toBe(200);
    const board = (await res.json()) as { totals: unknown };
    expect(board.totals).toEqual({ tasks: 2, done: 0, overdue: 1 });
  });

  it("shows the form again with a Chinese error for a wrong token, and sets no cookie", async () => {
    const res = await fetch(
      `${s.url}/dashboard/login`,
      form({ token: "wrong-token-123456", next: "/dashboard" }),
    );
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    const text = await res.text();
    expect(text).toContain("令牌不对，请再输一次。");
    expect(text).toContain('action="/dashboard/login"');
  });

  it("logs in with an HttpOnly, SameSite=Strict cookie that opens the pages and /metrics, and logs out", async () => {
    const res = await fetch(`${s.url}/dashboard/login`, form({ token: TOKEN, next: "/dashboard/outbox" }));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/dashboard/outbox");
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^huibao_admin=[^;]+; path=\//);
    expect(cookie).toContain("httponly");
    expect(cookie).toContain("samesite=strict");
    expect(cookie).not.toContain("secure");
    const jar = { cookie: cookie.split(";")[0] ?? "" };

    const page = await fetch(`${s.url}/dashboard`, { headers: jar });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("任务看板 · 2021年宣传工作要点");
    expect((await fetch(`${s.url}/metrics`, { headers: jar })).status).toBe(200);

    const out = await fetch(`${s.url}/dashboard/logout`, {
      method: "POST",
      headers: jar,
      redirect: "manual",
    });
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toMatch(/^huibao_admin=; path=\/; expires=Thu, 01 Jan 1970/);
  });

  it("marks the cookie Secure when the request came over https (through the proxy)", async () => {
    const res = await fetch(`${s.url}/dashboard/login`, {
      ...form({ token: TOKEN }),
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-proto": "https" },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toContain("; secure");
  });

  it("never redirects a login to another site", async () => {
    const res = await fetch(
      `${s.url}/dashboard/login`,
      form({ token: TOKEN, next: "https://evil.example/x" }),
    );
    expect(res.headers.get("location")).toBe("/dashboard");
    const slashes = await fetch(`${s.url}/dashboard/login`, form({ token: TOKEN, next: "//evil.example" }));
    expect(slashes.headers.get("location")).toBe("/dashboard");
  });

  it("refuses a POST another site's page makes the browser send", async () => {
    const body = JSON.stringify({ group: "宣传科工作群", person: "张三", text: "帮助" });
    for (const extra of [{ origin: "https://evil.example" }, { "sec-fetch-site": "cross-site" }] as Record<
      string,
      string
    >[]) {
      const res = await fetch(`${s.url}/dashboard/api/chat`, {
        method: "POST",
        headers: { ...bearer, "content-type": "application/json", ...extra },
        body,
      });
      expect(res.status).toBe(403);
    }
    const login = await fetch(`${s.url}/dashboard/login`, {
      ...form({ token: TOKEN }),
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
    });
    expect(login.status).toBe(403);
  });

  it("escapes a task title, and a sandbox message quoted under its reply", async () => {
    const board = await (await fetch(`${s.url}/dashboard`, { headers: bearer })).text();
    expect(board).toContain("开展专题讲座&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(board).not.toContain("<script>alert(1)");
    expect(board).not.toMatch(/<script(?! nonce)/);

    const res = await fetch(`${s.url}/dashboard/api/chat`, {
      method: "POST",
      headers: { ...bearer, "content-type": "application/json" },
      body: JSON.stringify({ group: "宣传科工作群", person: "张三", text: '<img src=x onerror="alert(2)">' }),
    });
    expect(res.status).toBe(202);
    const chat = await eventually(async () => {
      const text = await (await fetch(`${s.url}/dashboard/chat`, { headers: bearer })).text();
      return text.includes("回复 张三") ? text : undefined;
    });
    expect(chat).toContain("张三：&lt;img src=x onerror=&quot;alert(2)&quot;&gt;");
    expect(chat).not.toContain("<img");
  });

  it("gives a page that reconnects the deliveries it missed, then keeps it posted", async () => {
    // A reply delivered while no page was listening.
    await fetch(`${s.url}/dashboard/api/chat`, {
      method: "POST",
      headers: { ...bearer, "content-type": "application/json" },
      body: JSON.stringify({ group: "宣传科工作群", person: "张三", text: "单位", id: "missed-reply-1" }),
    });
    const missed = await eventually(() =>
      s.db.outboxMessage.findFirst({
        where: { status: "sent", target: { path: ["replyTo"], equals: "web-missed-reply-1" } },
      }),
    );
    const stop = new AbortController();
    const res = await fetch(`${s.url}/dashboard/api/events`, {
      headers: { ...bearer, "last-event-id": String(missed.id - 1n) },
      signal: stop.signal,
    });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const stream = liveReader(res.body);
    const replayed = await stream.until(`id: ${missed.id}\n`);
    expect(replayed).toMatch(/^retry: 3000\n/);
    expect(replayed).toContain("event: delivery");

    await fetch(`${s.url}/dashboard/api/chat`, {
      method: "POST",
      headers: { ...bearer, "content-type": "application/json" },
      body: JSON.stringify({ person: "李四", text: "我是谁", id: "reconnect-test-1" }),
    });
    const live = await stream.until("web-reconnect-test-1");
    expect(live).toContain('"chat":"私聊 李四"');
    expect(live).toContain('"quote":"李四：我是谁"');
    stop.abort();
  });

  it("checks what the sandbox is asked to send", async () => {
    const post = (body: unknown, type = "application/json") =>
      fetch(`${s.url}/dashboard/api/chat`, {
        method: "POST",
        headers: { ...bearer, "content-type": type },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    expect((await post("text=帮助", "application/x-www-form-urlencoded")).status).toBe(415);
    expect((await post("{oops")).status).toBe(400);
    const stranger = await post({ group: "宣传科工作群", person: "路人甲", text: "帮助" });
    expect(stranger.status).toBe(400);
    expect(((await stranger.json()) as { error: string }).error).toBe("通讯录里没有「路人甲」");
    expect(((await (await post({ person: "张三", text: "  " })).json()) as { error: string }).error).toBe(
      "消息是空的（text）",
    );
  });

  it("shows upcoming events with who signed up, drafts with their votes, and failed messages with the reason", async () => {
    const events = await (await fetch(`${s.url}/dashboard/events`, { headers: bearer })).text();
    expect(events).toContain("讲座：垃圾分类专题讲座");
    expect(events).toContain("3月12日（周五）14:00 · 三楼会议室 · 主讲 王教授");
    expect(events).toContain("报名 <strong>2</strong> 人：李四（环卫处）、张三（宣传科）");

    const approvals = await (await fetch(`${s.url}/dashboard/approvals`, { headers: bearer })).text();
    expect(approvals).toContain("微博：春季市容整治进展");
    expect(approvals).toContain("当前：分管领导（2/2）");
    expect(approvals).toContain("管理员（科室负责人，第 1 版）<strong>同意</strong>");

    const outbox = await (await fetch(`${s.url}/dashboard/outbox`, { headers: bearer })).text();
    expect(outbox).toContain("webhook key invalid (93000)");
    expect(outbox).toContain("周报提醒");
    const id = /data-outbox="(\d+)"/.exec(outbox.slice(outbox.indexOf("发送失败（")))?.[1] ?? "";
    const retry = await fetch(`${s.url}/dashboard/outbox/retry`, {
      ...form({ id }),
      headers: { ...bearer, "content-type": "application/x-www-form-urlencoded" },
    });
    expect(retry.headers.get("location")).toBe("/dashboard/outbox?retried=1");
  });

  it("names a group added, then renamed, by a directory import while a page listens", async () => {
    const stop = new AbortController();
    const res = await fetch(`${s.url}/dashboard/api/events`, { headers: bearer, signal: stop.signal });
    const stream = liveReader(res.body);
    const say = (group: string, id: string) =>
      fetch(`${s.url}/dashboard/api/chat`, {
        method: "POST",
        headers: { ...bearer, "content-type": "application/json" },
        body: JSON.stringify({ group, person: "张三", text: "单位", id }),
      });
    // The chat label of the delivery that answers message `id`.
    const labelOf = async (id: string) => {
      const text = await stream.until(`"replyTo":"web-${id}"`);
      const line = text.split("\n").find((l) => l.includes(`"replyTo":"web-${id}"`)) ?? "";
      return (JSON.parse(line.replace(/^data: /, "")) as { chat: string }).chat;
    };
    const importWith = async (group: string) => {
      const parsed = parseDirectoryFile(
        `${DIRECTORY}  - { name: ${group}, platform: local, chat_id: "group:open-day", unit: 宣传科 }\n`,
      );
      if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
      await importDirectory(s.db, parsed.file);
    };

    await say("宣传科工作群", "names-before-1");
    expect(await labelOf("names-before-1")).toBe("宣传科工作群");
    await importWith("开放日筹备群");
    await say("开放日筹备群", "names-added-1");
    expect(await labelOf("names-added-1")).toBe("开放日筹备群");
    await importWith("城管开放日筹备群");
    s.clock.advance(60_000);
    await say("城管开放日筹备群", "names-renamed-1");
    expect(await labelOf("names-renamed-1")).toBe("城管开放日筹备群");
    stop.abort();
  });
});

/** GET over a Unix socket: a caller with no IP address at all, so certainly not on loopback. */
function getViaSocket(socketPath: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, headers: { host: "localhost" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("dashboard without ADMIN_TOKEN", () => {
  let s: DashboardServer;
  beforeAll(async () => {
    s = await startDashboardServer({ workers: false });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it("answers on loopback and says on the page why it is open", async () => {
    const res = await fetch(`${s.url}/dashboard`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("没有设置 ADMIN_TOKEN：管理台现在只对本机开放");
    expect(text).not.toContain("退出");
    const login = await fetch(`${s.url}/dashboard/login`, { redirect: "manual" });
    expect(login.headers.get("location")).toBe("/dashboard");
  });

  it("tells the administrator on every page, from November, that next year's holidays are missing", async () => {
    const { last } = workdayCalendarYears();
    const banner = `节假日数据只到 ${last} 年，还没有 ${last + 1} 年的放假和调休安排`;
    const pageText = async (path: string) => (await fetch(`${s.url}${path}`)).text();
    const before = s.clock.now();
    try {
      s.clock.set(`${last}-10-31T04:00:00Z`);
      expect(await pageText("/dashboard")).not.toContain(banner);
      s.clock.set(`${last}-11-27T04:00:00Z`);
      for (const path of ["/dashboard", "/dashboard/outbox"]) expect(await pageText(path)).toContain(banner);
      const restore = extendWorkdayCalendar({ years: [last + 1], holidays: [], workdays: [] });
      try {
        expect(await pageText("/dashboard")).not.toContain(banner);
      } finally {
        restore();
      }
    } finally {
      s.clock.set(before);
    }
  });

  it("refuses a page that reached this machine under another name (DNS rebinding)", async () => {
    const res = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${s.url}/dashboard/api/tasks`);
      request(
        { host: url.hostname, port: url.port, path: url.pathname, headers: { host: "evil.example" } },
        (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        },
      )
        .on("error", reject)
        .end();
    });
    expect(res).toBe(403);
  });

  it("refuses callers that are not on this machine, whatever X-Forwarded-For says, and explains", async () => {
    const dir = mkdtempSync(join(tmpdir(), "huibao-dash-"));
    const socketPath = join(dir, "http.sock");
    const listener = s.running.server.listeners("request")[0] as RequestListener;
    const server = createServer(listener);
    await new Promise<void>((r) => server.listen(socketPath, r));
    try {
      const page = await getViaSocket(socketPath, "/dashboard");
      expect(page.status).toBe(403);
      expect(page.body).toContain("只允许本机访问");
      expect(page.body).toContain("设置 ADMIN_TOKEN");
      const api = await getViaSocket(socketPath, "/dashboard/api/events");
      expect(api.status).toBe(403);
    } finally {
      await new Promise((r) => server.close(r));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("ends open live streams when the server stops, instead of holding the shutdown", async () => {
    const res = await fetch(`${s.url}/dashboard/api/events`);
    const stream = liveReader(res.body);
    await stream.until("已连接");
    await s.stop();
    // A stream cut off by force would make the read fail; an ended one reads to its end.
    expect(await stream.ended()).toBe(true);
  });

  it("counts every loopback address as local, and nothing else", () => {
    for (const a of ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
      expect(isLoopback(a), a).toBe(true);
    for (const a of ["10.0.0.1", "::ffff:10.0.0.1", "203.0.113.9", "fe80::1", "1127.0.0.1", "", undefined]) {
      expect(isLoopback(a), String(a)).toBe(false);
    }
  });
});
