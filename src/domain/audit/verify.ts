import type { DbClient } from "../../db/database.ts";
import { auditHash, GENESIS_HASH } from "./hash.ts";

export type VerifyResult =
  | { ok: true; checked: number }
  | {
      ok: false;
      /** Records that matched before the broken one. */
      checked: number;
      /** The first record that does not match. */
      bad: { id: bigint; draftId: number; action: string; at: Date };
      reason: "hash" | "prevHash";
    };

const BATCH = 1_000;

/**
 * Recomputes the chain in id order: each record must carry the hash of the one before it, and its own
 * hash must be the hash of its fields. A changed field breaks its own hash; a deleted or inserted
 * record breaks the next record's prevHash.
 */
export async function verifyAuditChain(db: DbClient): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let checked = 0;
  let after = -1n;
  for (;;) {
    const rows = await db.auditRecord.findMany({
      where: { id: { gt: after } },
      orderBy: { id: "asc" },
      take: BATCH,
    });
    for (const r of rows) {
      const bad = { id: r.id, draftId: r.draftId, action: r.action, at: r.at };
      if (r.prevHash !== prev) return { ok: false, checked, bad, reason: "prevHash" };
      if (auditHash(r) !== r.hash) return { ok: false, checked, bad, reason: "hash" };
      prev = r.hash;
      checked += 1;
    }
    const last = rows.at(-1);
    if (!last || rows.length < BATCH) return { ok: true, checked };
    after = last.id;
  }
}
