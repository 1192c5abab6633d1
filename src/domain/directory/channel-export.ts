import type { Db } from "../../db/database.ts";
import { checkChannels } from "./channel-checks.ts";
import type { StoredStage } from "./channel-sync.ts";
import type { Finding } from "./checks.ts";
import { normalizeRoles } from "./roles.ts";
import type { ChannelEntry, PersonEntry } from "./types.ts";
import { UnitIndex } from "./units-index.ts";

export interface ExportedChannels {
  /** The `channels:` entries, as YAML data; undefined when there is nothing to write. */
  entries: Record<string, unknown>[] | undefined;
  /** Channels left out because they name people or units the directory no longer has, with why. */
  skipped: string[];
}

/**
 * The stored channels as `channels:` entries. A channel whose approvers are gone from the directory
 * would make the whole exported file fail to import, so it is left out and named in a comment instead.
 */
export async function exportChannels(db: Db): Promise<ExportedChannels> {
  const channels = await db.approvalChannel.findMany({ orderBy: { id: "asc" } });
  if (channels.length === 0) return { entries: undefined, skipped: [] };
  const units = await db.unit.findMany({ orderBy: { id: "asc" } });
  const people = await db.person.findMany({ where: { placed: true }, include: { unit: true } });
  const index = new UnitIndex(units.map((u) => ({ name: u.name, aliases: u.aliases })));
  const peopleEntries: PersonEntry[] = people.map((p) => ({
    name: p.name,
    unit: p.unit?.name ?? null,
    roles: normalizeRoles(p.roles),
    wecom: null,
    dingtalk: null,
    mobile: null,
  }));
  const entries: Record<string, unknown>[] = [];
  const skipped: string[] = [];
  for (const c of channels) {
    const stages = c.stages as unknown as StoredStage[];
    const entry: ChannelEntry = {
      name: c.name,
      aliases: c.aliases,
      deadlineHours: c.deadlineHours,
      stages: stages.map((s) => ({ name: s.name, mode: s.mode, k: s.k ?? null, approvers: s.approvers })),
    };
    const findings: Finding[] = [];
    checkChannels([entry], peopleEntries, index, findings);
    if (findings.length > 0) {
      skipped.push(`${c.name}：${findings.map((f) => f.message).join("；")}`);
      continue;
    }
    entries.push({
      name: c.name,
      ...(c.aliases.length ? { aliases: c.aliases } : {}),
      deadline_hours: c.deadlineHours,
      stages: stages.map((s) => ({
        name: s.name,
        mode: s.mode,
        ...(s.mode === "k" ? { k: s.k } : {}),
        approvers: s.approvers.map((a) => ("person" in a ? { person: a.person } : compactRole(a))),
      })),
    });
  }
  return { entries: entries.length ? entries : undefined, skipped };
}

function compactRole(a: { role: string; unit: string | null }) {
  return a.unit ? { role: a.role, unit: a.unit } : { role: a.role };
}
