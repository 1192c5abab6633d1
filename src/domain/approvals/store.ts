import type { DbClient, Tx } from "../../db/database.ts";
import type { Draft } from "../../generated/prisma/client.ts";
import { draftKeys } from "./jobs.ts";

/**
 * Locks the draft's row until the transaction ends: every decision, edit, reminder and expiry of a
 * draft takes it (then, if it writes the audit trail, the audit lock), so they take turns.
 *
 * Lock order, everywhere: the draft's scheduled jobs, then the draft, then the audit chain. The
 * scheduler locks the rows of the jobs it runs before their handler locks the drafts, so a change
 * that cancels jobs must lock them before its draft too (lockDraftForChange), or the two deadlock.
 */
export async function lockDraftForChange(tx: Tx, id: number): Promise<Draft | null> {
  await tx.$queryRaw`
    SELECT id FROM scheduled_jobs WHERE status = 'pending' AND key LIKE ${`${draftKeys(id)}%`} FOR UPDATE`;
  return lockDraft(tx, id);
}

/** The draft row only: for job handlers, whose job rows the scheduler already holds. */
export async function lockDraft(tx: Tx, id: number): Promise<Draft | null> {
  const rows = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM drafts WHERE id = ${id} FOR UPDATE`;
  if (rows.length === 0) return null;
  return tx.draft.findUnique({ where: { id } });
}

/**
 * Locks several drafts' rows in id order, before any of them takes the audit lock: a batch of jobs
 * that locked one draft, took the audit lock and then waited for the next draft would deadlock with
 * a vote holding that draft and waiting for the audit lock.
 */
export async function lockDrafts(tx: Tx, ids: readonly number[]): Promise<void> {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  if (sorted.length === 0) return;
  await tx.$queryRaw`SELECT id FROM drafts WHERE id = ANY(${sorted}::int[]) ORDER BY id FOR UPDATE`;
}

/** The directory group a draft was submitted in, if it is one (a one-to-one chat is not). */
export async function groupIdOf(
  db: DbClient,
  draft: Pick<Draft, "platform" | "chatId">,
): Promise<number | null> {
  const g = await db.group.findFirst({
    where: { platform: draft.platform, chatId: draft.chatId },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  return g?.id ?? null;
}

export async function personName(db: DbClient, id: number): Promise<string> {
  const p = await db.person.findUnique({ where: { id }, select: { name: true } });
  return p?.name ?? `#${id}`;
}

/** Placed people holding the admin role, who hear about drafts still pending after the reminders. */
export async function admins(db: DbClient): Promise<{ personId: number; name: string }[]> {
  const rows = await db.person.findMany({
    where: { placed: true, roles: { has: "admin" } },
    select: { id: true, name: true },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => ({ personId: r.id, name: r.name }));
}
