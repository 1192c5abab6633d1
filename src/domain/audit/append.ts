import type { Tx } from "../../db/database.ts";
import type { AuditRecord } from "../../generated/prisma/client.ts";
import { type AuditFields, auditHash, GENESIS_HASH } from "./hash.ts";

export type AuditEntry = Omit<AuditFields, "prevHash">;

/** What AuditRecord.action holds. */
export type AuditAction =
  | "submit"
  | "edit"
  | "approve"
  | "reject"
  | "pass"
  | "approved"
  | "withdraw"
  | "expire"
  | "publish"
  | "remind"
  | "escalate";

/**
 * Appends one record to the chain, inside the caller's transaction (the same one as the vote or the
 * change it records). The advisory lock makes appends take turns until commit, so two transactions
 * never read the same last hash and the chain never forks.
 */
export async function appendAudit(tx: Tx, entry: AuditEntry): Promise<AuditRecord> {
  await lockAuditChain(tx);
  const last = await tx.auditRecord.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = auditHash({ ...entry, prevHash });
  return tx.auditRecord.create({ data: { ...entry, prevHash, hash } });
}

/** Held until the transaction ends. Take it after any draft row lock, never before (one lock order). */
export async function lockAuditChain(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('huibao:audit-chain'))`;
}
