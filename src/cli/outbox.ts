import { parseArgs } from "node:util";
import type { Outbox } from "../jobs/outbox.ts";

export interface OutboxIO {
  out: (line: string) => void;
  err: (line: string) => void;
}

const USAGE =
  "用法：huibao outbox status | huibao outbox failed [--limit N] | huibao outbox retry <编号…|--all>";

/**
 * The operator's view of the outbox: what waits, what failed and why, and putting failed messages back
 * in the queue once the cause (a webhook key, a secret) is fixed.
 */
export async function runOutbox(outbox: Outbox, argv: string[], io: OutboxIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "status") {
    const c = await outbox.counts();
    io.out(
      `待发送 ${c.queued}，发送中 ${c.sending}，已发送 ${c.sent}，失败 ${c.failed}，已改道 ${c.rerouted}`,
    );
    return 0;
  }
  if (sub === "failed") {
    const { values } = parseArgs({
      args: rest,
      options: { limit: { type: "string", default: "50" } },
      strict: true,
    });
    const rows = await outbox.listFailed(Number(values.limit) || 50);
    if (rows.length === 0) {
      io.out("没有发送失败的消息。");
      return 0;
    }
    io.out(`发送失败的消息（最近 ${rows.length} 条）：`);
    for (const r of rows) {
      io.out(
        `#${r.id}  ${r.createdAt.toISOString()}  ${r.channel} → ${r.destination}  尝试 ${r.attempts} 次：${r.lastError ?? ""}`,
      );
    }
    io.out("修好原因后，用 huibao outbox retry <编号…> 或 --all 重新发送。");
    return 0;
  }
  if (sub === "retry") {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { all: { type: "boolean", default: false } },
      allowPositionals: true,
      strict: true,
    });
    const ids = positionals.map((p) => p.replace(/^#/, ""));
    if (!values.all && (ids.length === 0 || ids.some((id) => !/^\d+$/.test(id)))) {
      io.err(USAGE);
      return 2;
    }
    const n = await outbox.requeueFailed(values.all ? undefined : ids.map((id) => BigInt(id)));
    io.out(n > 0 ? `已重新排队 ${n} 条消息；服务运行时会立即发送。` : "没有找到这些失败的消息。");
    return n > 0 ? 0 : 1;
  }
  io.err(USAGE);
  return 2;
}
