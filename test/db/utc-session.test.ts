import { spawnSync } from "node:child_process";
import pg from "pg";
import { expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { Outbox } from "../../src/jobs/outbox.ts";
import { FakeClock } from "../../src/lib/clock.ts";
import { describePostgres, freshPostgresDatabase } from "../support/postgres.ts";

async function asAdmin(url: string, sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

describePostgres("PostgreSQL sessions in UTC", () => {
  it("stores and finds the bot's times right on a server set to Asia/Shanghai", async () => {
    const fresh = await freshPostgresDatabase();
    await asAdmin(fresh.url, `ALTER DATABASE "${fresh.name}" SET timezone = 'Asia/Shanghai'`);
    const db = await openDatabase(fresh.url);
    try {
      await db.migrate();
      const clock = new FakeClock("2026-11-26T02:00:00Z");
      const outbox = new Outbox(
        db.prisma,
        clock,
        { leaseMs: 30_000, maxAttempts: 3, ratePerMinute: () => 20 },
        "postgresql",
      );
      await outbox.enqueue([
        { platform: "wecom", channel: "webhook", destination: "robot", target: {}, body: { text: "通知" } },
      ]);
      // Written 8 hours early before, and so not due until 10:00 UTC.
      expect(await outbox.claimNext()).toBeDefined();
      const [row] = await db.prisma.$queryRawUnsafe<{ created: string }[]>(
        "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS created FROM outbox_messages",
      );
      expect(row?.created).toBe("2026-11-26 02:00");
    } finally {
      await db.close();
      await fresh.drop();
    }
  });

  it("refuses to start when the session cannot be put in UTC, and says what to do", async () => {
    const fresh = await freshPostgresDatabase();
    // A connection string's own options win over ours, as a pooler dropping them would.
    const url = new URL(fresh.url);
    url.searchParams.set("options", "-c TimeZone=Asia/Shanghai");
    try {
      await expect(openDatabase(url.toString())).rejects.toThrow(
        /时区是 Asia\/Shanghai，不是 UTC.*options=-c TimeZone=UTC.*SET timezone = 'UTC'/,
      );
      // What the operator sees from `huibao serve`: that one line, no stack trace.
      const r = spawnSync(process.execPath, ["bin/huibao.js", "serve"], {
        env: { ...process.env, DATABASE_URL: url.toString(), PORT: "0", HOST: "127.0.0.1" },
        encoding: "utf8",
        timeout: 30_000,
      });
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split("\n")).toEqual([
        expect.stringMatching(/^PostgreSQL 会话的时区是 Asia\/Shanghai/),
      ]);
    } finally {
      await fresh.drop();
    }
  });
});
