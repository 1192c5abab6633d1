import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { scheduleJobs } from "../../src/domain/schedule.ts";
import { FakeClock } from "../../src/lib/clock.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { createApp } from "../../src/web/app.ts";

const TOKEN = "metrics-token-0123456789";

async function listen(db: Database, clock: FakeClock, adminToken?: string) {
  const app = createApp({ db, logger: createLogger("silent"), bodyLimitBytes: 1024, clock, adminToken });
  const server: Server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

function value(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("GET /metrics", () => {
  let db: Database;
  const clock = new FakeClock("2026-12-01T00:10:00Z");
  beforeAll(async () => {
    db = await openDatabase("pglite:memory://");
    await db.migrate();
    const now = clock.now();
    await db.prisma.outboxMessage.createMany({
      data: [
        {
          platform: "wecom",
          channel: "wecom.webhook",
          destination: "d",
          target: {},
          body: {},
          nextAttemptAt: now,
          createdAt: now,
        },
        {
          platform: "wecom",
          channel: "wecom.webhook",
          destination: "d",
          target: {},
          body: {},
          nextAttemptAt: now,
          createdAt: now,
          attempts: 2,
        },
        {
          platform: "wecom",
          channel: "wecom.webhook",
          destination: "d",
          target: {},
          body: {},
          nextAttemptAt: now,
          createdAt: now,
          status: "failed",
          attempts: 8,
        },
      ],
    });
    // One long connection held, one whose holder stopped renewing a minute ago.
    await db.prisma.lease.createMany({
      data: [
        {
          name: "wecom.ws:aibBot",
          holder: "a",
          expiresAt: new Date(now.getTime() + 20_000),
          acquiredAt: now,
        },
        {
          name: "dingtalk.stream:dingApp",
          holder: "b",
          expiresAt: new Date(now.getTime() - 60_000),
          acquiredAt: now,
        },
      ],
    });
    // One job ten minutes overdue, one in the future.
    await scheduleJobs(
      db.prisma,
      [
        { kind: "x", key: "late", runAt: new Date("2026-12-01T00:00:00Z"), payload: {} },
        { kind: "x", key: "later", runAt: new Date("2026-12-02T00:00:00Z"), payload: {} },
      ],
      now,
    );
  });
  afterAll(async () => {
    await db.close();
  });

  it("reports queue depth, failures, scheduler lateness and request durations", async () => {
    const s = await listen(db, clock, TOKEN);
    try {
      await fetch(`${s.url}/healthz`);
      const res = await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/plain");
      const text = await res.text();
      expect(value(text, 'huibao_outbox_messages{status="queued"}')).toBe(2);
      expect(value(text, 'huibao_outbox_messages{status="failed"}')).toBe(1);
      expect(value(text, "huibao_outbox_retrying")).toBe(1);
      expect(value(text, "huibao_scheduler_pending_jobs")).toBe(2);
      expect(value(text, "huibao_scheduler_lateness_seconds")).toBe(600);
      expect(value(text, 'huibao_long_connection_held{connection="wecom.ws:aibBot"}')).toBe(1);
      expect(value(text, 'huibao_long_connection_held{connection="dingtalk.stream:dingApp"}')).toBe(0);
      expect(
        value(text, 'huibao_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"}'),
      ).toBe(1);
    } finally {
      await s.close();
    }
  });

  it("refuses callers without the admin token", async () => {
    const s = await listen(db, clock, TOKEN);
    try {
      expect((await fetch(`${s.url}/metrics`)).status).toBe(401);
      const wrong = await fetch(`${s.url}/metrics`, {
        headers: { authorization: "Bearer wrong-token-wrong-token" },
      });
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).not.toContain("huibao_");
    } finally {
      await s.close();
    }
  });

  it("accepts the dashboard's login cookie, also for a token with characters the cookie must encode", async () => {
    const token = "a+b/c=d%e-metrics-token";
    const s = await listen(db, clock, token);
    try {
      // The dashboard sets its cookie URL-encoded (dashboard/access.ts).
      const cookie = `huibao_admin=${encodeURIComponent(token)}`;
      expect((await fetch(`${s.url}/metrics`, { headers: { cookie } })).status).toBe(200);
      const wrong = `huibao_admin=${encodeURIComponent(`${token}x`)}`;
      expect((await fetch(`${s.url}/metrics`, { headers: { cookie: wrong } })).status).toBe(401);
    } finally {
      await s.close();
    }
  });

  it("without a token configured answers loopback callers, whatever X-Forwarded-For says", async () => {
    const s = await listen(db, clock);
    try {
      const res = await fetch(`${s.url}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } });
      expect(res.status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it("gives unknown paths one label, so scanners cannot blow up the series", async () => {
    const s = await listen(db, clock, TOKEN);
    try {
      for (let i = 0; i < 5; i++) await fetch(`${s.url}/random-${i}`);
      const text = await (
        await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
      ).text();
      expect(text).not.toContain("random-");
      expect(
        value(text, 'huibao_http_request_duration_seconds_count{method="GET",route="other",status="404"}'),
      ).toBe(5);
    } finally {
      await s.close();
    }
  });
});
