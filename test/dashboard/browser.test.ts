import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DashboardServer, seedTasks, startDashboardServer, TOKEN } from "./server.ts";

/**
 * The dashboard in a real headless Chromium (Debian's /usr/bin/chromium; .ci/run installs it):
 * log in on a phone-sized screen, read the board, talk to the real bot in the sandbox chat and see
 * the reply and an announcement arrive live, then see the board move.
 * UPDATE_SCREENSHOT=1 also saves the board as docs/dashboard.png (the picture in the README).
 */
const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];
const PHONE = { width: 390, height: 844 };
const WAIT = { timeout: 20_000 };

let s: DashboardServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  s = await startDashboardServer({ token: TOKEN });
  await seedTasks(s.db, [
    { code: "1.1", title: "开展城市管理专题讲座", due: "2021-09-30", lead: ["宣传科"], support: ["环卫处"] },
    { code: "1.2", title: "召开新闻发布会", due: "2021-03-01", lead: ["环卫处"], target: 4, count: 1 },
    { code: "2.1", title: "编印城市管理工作简报", due: "2021-12-31", lead: ["宣传科"], percent: 30 },
    { code: "2.2", title: "组织城管开放日活动", due: null, lead: [], leadText: ["各分局"] },
  ]);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const context = await browser.newContext({
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
  });
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

const taskRow = (code: string) => page.locator(`#unit-1 .task[data-code="${code}"]`);

describe("dashboard in a browser", () => {
  it("asks for the token, refuses a wrong one, and lets the right one in", async () => {
    await page.goto(`${s.url}/dashboard`);
    expect(new URL(page.url()).pathname).toBe("/dashboard/login");
    await page.fill('input[name="token"]', "not-the-token-at-all");
    await page.click('button[type="submit"]');
    await page.getByRole("alert").waitFor(WAIT);
    expect(await page.getByRole("alert").textContent()).toBe("令牌不对，请再输一次。");

    await page.fill('input[name="token"]', TOKEN);
    await Promise.all([page.waitForURL(`${s.url}/dashboard`), page.click('button[type="submit"]')]);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === "huibao_admin")).toMatchObject({
      httpOnly: true,
      sameSite: "Strict",
    });
  });

  it("shows the tasks by unit with progress and overdue marks", async () => {
    expect(await page.locator("h1").textContent()).toBe("任务看板 · 2021年宣传工作要点");
    expect(await taskRow("1.1").locator(".pct").textContent()).toBe("0%");
    expect(await taskRow("2.1").locator(".pct").textContent()).toBe("30%");
    const late = page.locator('#unit-2 .task[data-code="1.2"]');
    expect(await late.locator(".pct").textContent()).toBe("1/4");
    expect(await late.locator(".tag.late").textContent()).toBe("逾期");
    expect(await page.locator('#unit-none .task[data-code="2.2"] .muted').textContent()).toContain(
      "牵头：各分局",
    );
    // Nothing is wider than the phone: no sideways scrolling on the board.
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
      PHONE.width,
    );
  });

  it("talks to the real bot in the sandbox chat: the reply arrives live", async () => {
    await page.getByRole("link", { name: "沙盒对话" }).click();
    await page.waitForURL(`${s.url}/dashboard/chat`);
    await page.locator('#status[data-state="open"]').waitFor(WAIT);
    // A marker that a reload or navigation would wipe: the reply must come without either.
    await page.evaluate("window.stillHere = true");

    expect(await page.inputValue('input[name="group"]')).toBe("宣传科工作群");
    await page.selectOption('select[name="person"]', "张三");
    await page.fill("textarea", "进度 1.1 50% 测试");
    await page.press("textarea", "Enter");

    await page.locator(".msg.me", { hasText: "进度 1.1 50% 测试" }).waitFor(WAIT);
    const reply = page.locator(".msg.bot", { hasText: "50%" });
    await reply.waitFor(WAIT);
    expect(await reply.locator(".who").textContent()).toBe("机器人 → 宣传科工作群");
    expect(await reply.textContent()).toContain("1.1");
    expect(await page.evaluate("window.stillHere")).toBe(true);
  });

  it("shows an announcement the bot sends to another group live, next to the reply", async () => {
    await page.fill('input[name="group"]', "");
    await page.selectOption('select[name="person"]', "管理员");
    await page.fill(
      "textarea",
      "新建讲座 主题：垃圾分类知识 时间：3月20日下午3点 地点：三楼会议室 群：宣传科工作群",
    );
    await page.click("#say button");
    const notice = page.locator(".msg.notice", { hasText: "垃圾分类知识" });
    await notice.waitFor(WAIT);
    expect(await notice.locator(".who").textContent()).toBe("机器人 → 宣传科工作群 · 通知");
    await page.locator(".msg.bot", { hasText: "已新建讲座" }).waitFor(WAIT);
    expect(await page.locator(".msg.bot", { hasText: "已新建讲座" }).locator(".who").textContent()).toBe(
      "机器人 → 私聊 管理员",
    );
  });

  it("shows the reported progress on the board", async () => {
    await page.getByRole("link", { name: "任务看板" }).click();
    await page.waitForURL(`${s.url}/dashboard`);
    expect(await taskRow("1.1").locator(".pct").textContent()).toBe("50%");
    expect(await taskRow("1.1").locator(".bar").getAttribute("aria-valuenow")).toBe("50");
    expect(await taskRow("1.1").textContent()).toContain("最近：张三");
    expect(await taskRow("1.1").textContent()).toContain("测试");

    const out = process.env.UPDATE_SCREENSHOT
      ? join(import.meta.dirname, "../../docs/dashboard.png")
      : join(mkdtempSync(join(tmpdir(), "huibao-shot-")), "dashboard.png");
    await page.screenshot({ path: out });
    const png = readFileSync(out);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    // Width and height from the IHDR chunk: the phone screen at twice the pixel density.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([PHONE.width * 2, PHONE.height * 2]);
  });

  it("shows a scheduled reminder live when it falls due", async () => {
    await page.getByRole("link", { name: "沙盒对话" }).click();
    await page.waitForURL(`${s.url}/dashboard/chat`);
    await page.locator('#status[data-state="open"]').waitFor(WAIT);
    const notices = page.locator(".msg.notice", { hasText: "垃圾分类知识" });
    const before = await notices.count();
    expect(before).toBeGreaterThan(0);
    // The lecture is on 3月20日 15:00 (Asia/Shanghai): at 13:30 its reminders are due.
    s.clock.set("2021-03-20T05:30:00Z");
    while ((await s.messaging.scheduler.step()) > 0) {}
    await notices.nth(before).waitFor(WAIT);
    expect(await notices.nth(before).locator(".who").textContent()).toBe("机器人 → 宣传科工作群 · 通知");
  });
});
