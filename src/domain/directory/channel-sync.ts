import type { Prisma } from "../../generated/prisma/client.ts";
import { changedFields, matchedStep, type Step } from "./plan.ts";
import type { ApproverEntry, ChannelEntry, StageMode } from "./types.ts";
import type { UnitIndex } from "./units-index.ts";

type Tx = Prisma.TransactionClient;

/** A stage as stored in approval_channels.stages (units by full name, k only for mode k). */
export interface StoredStage {
  name: string;
  mode: StageMode;
  k?: number;
  approvers: ApproverEntry[];
}

export interface ChannelRow {
  name: string;
  aliases: string[];
  deadlineHours: number;
  stages: StoredStage[];
}

/** The row a file entry becomes: aliases of units resolved, so renaming an alias is not a change. */
export function channelRow(c: ChannelEntry, units: UnitIndex): ChannelRow {
  return {
    name: c.name,
    aliases: c.aliases,
    deadlineHours: c.deadlineHours,
    stages: c.stages.map((s) => ({
      name: s.name,
      mode: s.mode,
      ...(s.mode === "k" && s.k !== null ? { k: s.k } : {}),
      approvers: s.approvers.map((a) =>
        "person" in a
          ? { person: a.person }
          : { role: a.role, unit: a.unit ? (units.resolve(a.unit) ?? a.unit) : null },
      ),
    })),
  };
}

/** JSONB stores keys in its own order: compare through a form with sorted keys. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/**
 * What importing `channels:` changes. Channels missing from the file stay unless pruned; a file
 * without the section at all never reaches here.
 */
export async function planChannels(
  tx: Tx,
  channels: readonly ChannelEntry[],
  units: UnitIndex,
  prune: boolean,
): Promise<Step<ChannelRow>[]> {
  const stored = await tx.approvalChannel.findMany({ orderBy: { id: "asc" } });
  const current = stored.map((c) => ({
    id: c.id,
    row: canonical({
      name: c.name,
      aliases: c.aliases,
      deadlineHours: c.deadlineHours,
      stages: c.stages,
    }) as ChannelRow,
  }));
  const byName = new Map(current.map((c) => [c.row.name, c]));
  const steps = channels.map((c) => {
    const step = matchedStep(c.name, byName.get(c.name), canonical(channelRow(c, units)) as ChannelRow);
    return { ...step, fields: step.fields.map((f) => (f === "deadlineHours" ? "deadline_hours" : f)) };
  });
  const inFile = new Set(channels.map((c) => c.name));
  for (const cur of current) {
    if (inFile.has(cur.row.name)) continue;
    steps.push(
      prune
        ? { action: "removed", id: cur.id, label: cur.row.name, before: cur.row, after: null, fields: [] }
        : {
            action: "notInFile",
            id: cur.id,
            label: cur.row.name,
            before: cur.row,
            after: cur.row,
            fields: [],
          },
    );
  }
  return steps;
}

export async function applyChannels(tx: Tx, steps: readonly Step<ChannelRow>[]): Promise<void> {
  for (const s of steps) {
    if (s.action === "removed" && s.id !== null) {
      await tx.approvalChannel.delete({ where: { id: s.id } });
      continue;
    }
    const row = s.after;
    if (!row || (s.action !== "created" && changedFields(s.before ?? row, row).length === 0)) continue;
    const stages = JSON.stringify(row.stages);
    // updated_at from the database clock: the directory import has no clock of its own.
    if (s.id === null) {
      await tx.$executeRaw`
        INSERT INTO approval_channels (name, aliases, stages, deadline_hours, updated_at)
        VALUES (${row.name}, ${row.aliases}::text[], ${stages}::jsonb, ${row.deadlineHours}, now())`;
    } else {
      await tx.$executeRaw`
        UPDATE approval_channels
           SET aliases = ${row.aliases}::text[], stages = ${stages}::jsonb,
               deadline_hours = ${row.deadlineHours}, updated_at = now()
         WHERE id = ${s.id}`;
    }
  }
}
