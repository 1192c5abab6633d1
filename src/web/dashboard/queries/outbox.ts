import type { DbClient } from "../../../db/database.ts";

export interface OutboxRow {
  id: bigint;
  channel: string;
  destination: string;
  status: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
  createdAt: Date;
  preview: string;
}

export interface OutboxView {
  counts: Record<string, number>;
  waiting: OutboxRow[];
  failed: OutboxRow[];
}

// Bodies differ per channel; the first text found is enough to recognise a message.
function preview(body: unknown, depth = 0): string {
  if (typeof body === "string") return body;
  if (!body || typeof body !== "object" || depth > 2) return "";
  for (const key of ["text", "content", "markdown", "title"]) {
    const found = preview((body as Record<string, unknown>)[key], depth + 1);
    if (found) return found;
  }
  return "";
}

const select = {
  id: true,
  channel: true,
  destination: true,
  status: true,
  attempts: true,
  lastError: true,
  nextAttemptAt: true,
  createdAt: true,
  body: true,
} as const;

/** Outbox rows for operators: what waits and what failed (targets are left out: they hold reply doors). */
export async function loadOutbox(db: DbClient, limit = 50): Promise<OutboxView> {
  const [groups, waiting, failed] = await Promise.all([
    db.outboxMessage.groupBy({ by: ["status"], _count: { _all: true } }),
    db.outboxMessage.findMany({
      where: { status: { in: ["queued", "sending"] } },
      orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
      take: limit,
      select,
    }),
    db.outboxMessage.findMany({ where: { status: "failed" }, orderBy: { id: "desc" }, take: limit, select }),
  ]);
  const counts: Record<string, number> = { queued: 0, sending: 0, sent: 0, failed: 0, rerouted: 0 };
  for (const g of groups) counts[g.status] = g._count._all;
  const row = ({ body, ...r }: (typeof waiting)[number]): OutboxRow => ({
    ...r,
    preview: preview(body).slice(0, 80),
  });
  return { counts, waiting: waiting.map(row), failed: failed.map(row) };
}
