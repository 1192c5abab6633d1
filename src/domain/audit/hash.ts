import { createHash } from "node:crypto";

/** Every field of an audit record that the hash covers, in the order it is serialised. */
export interface AuditFields {
  draftId: number;
  version: number;
  contentSha: string;
  actorId: number | null;
  actorName: string;
  actorRole: string;
  action: string;
  rawText: string;
  platform: string | null;
  messageId: string | null;
  at: Date;
  prevHash: string;
}

/** The prevHash of the first record: there is nothing before it. */
export const GENESIS_HASH = "0".repeat(64);

export const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * A JSON array in a fixed field order: no key order to disagree on, strings escaped by JSON, the
 * time as ISO 8601 UTC with milliseconds (what the column keeps). Changing this breaks every chain.
 */
export function canonicalAudit(r: AuditFields): string {
  return JSON.stringify([
    "huibao-audit-v1",
    r.draftId,
    r.version,
    r.contentSha,
    r.actorId,
    r.actorName,
    r.actorRole,
    r.action,
    r.rawText,
    r.platform,
    r.messageId,
    r.at.toISOString(),
    r.prevHash,
  ]);
}

export const auditHash = (r: AuditFields): string => sha256(canonicalAudit(r));
