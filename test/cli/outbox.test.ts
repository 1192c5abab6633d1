import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runOutbox } from "../../src/cli/outbox.ts";
import type { Database } from "../../src/db/database.ts";
import { Outbox } from "../../src/jobs/outbox.ts";
import { FakeClock } from "../../src/lib/clock.ts";
import { openQueueDb } from "../jobs/queue-db.ts";

let db: Database;
let outbox: Outbox;
beforeAll(async () => {
  db = await openQueueDb();
  outbox = new Outbox(db.prisma, new FakeClock("2026-11-26T02:00:00Z"), {
    leaseMs: 1000,
    maxAttempts: 1,
    ratePerMinute: () => 20,
  });
});
afterAll(() => db.close());

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runOutbox(outbox, argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("huibao outbox", () => {
  it("lists failed messages with their reason and puts them back on retry", async () => {
    expect((await run("failed")).out).toBe("没有发送失败的消息。");
    await outbox.enqueue([
      { platform: "wecom", channel: "wecom.webhook", destination: "wecom.webhook:g1", target: {}, body: {} },
    ]);
    const item = await outbox.claimNext();
    if (!item) throw new Error("not claimed");
    await outbox.markFailed(item.id, "group 宣传科工作群 has no robot webhook key");
    const listed = await run("failed");
    expect(listed.out).toContain(`#${item.id}`);
    expect(listed.out).toContain(
      "wecom.webhook → wecom.webhook:g1  尝试 1 次：group 宣传科工作群 has no robot webhook key",
    );
    expect((await run("status")).out).toBe("待发送 0，发送中 0，已发送 0，失败 1，已改道 0");
    expect(await run("retry", `#${item.id}`)).toMatchObject({
      code: 0,
      out: "已重新排队 1 条消息；服务运行时会立即发送。",
    });
    expect((await run("status")).out).toContain("待发送 1");
    expect((await run("retry", "--all")).code).toBe(1);
  });

  it("explains its usage for a wrong call", async () => {
    expect(await run("retry", "abc")).toMatchObject({ code: 2, err: expect.stringContaining("用法") });
    expect((await run("nonsense")).code).toBe(2);
  });
});
