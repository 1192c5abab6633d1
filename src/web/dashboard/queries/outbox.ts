import type { Outbox } from "../../../jobs/outbox.ts";

type Listed = Awaited<ReturnType<Outbox["listFailed"]>>[number];

export interface OutboxRow extends Omit<Listed, "body"> {
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

/** Outbox rows for operators: what waits and what failed, read through the outbox as the CLI does. */
export async function loadOutbox(outbox: Outbox, limit = 50): Promise<OutboxView> {
  const [counts, waiting, failed] = await Promise.all([
    outbox.counts(),
    outbox.listWaiting(limit),
    outbox.listFailed(limit),
  ]);
  const row = ({ body, ...r }: Listed): OutboxRow => ({ ...r, preview: preview(body).slice(0, 80) });
  return { counts, waiting: waiting.map(row), failed: failed.map(row) };
}
