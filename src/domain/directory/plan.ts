import type { ChannelRow } from "./channel-sync.ts";
import type { DirectoryFile } from "./types.ts";
import { UnitIndex } from "./units-index.ts";

/**
 * The difference between the database and a file, computed without writing anything: dry runs show
 * it, real imports apply it (apply.ts). Rows name units by full name so new units need no id yet.
 */
export type Action = "created" | "updated" | "unchanged" | "removed" | "notInFile";

export interface Step<Row> {
  action: Action;
  /** Database id; null for rows to create. */
  id: number | null;
  /** How the row is named in messages: unit or person name, group name. */
  label: string;
  before: Row | null;
  /** The row as it must be after the import; null when it is deleted. */
  after: Row | null;
  /** YAML names of the fields that change (for notInFile: ids or aliases released to another entry). */
  fields: string[];
}

export interface UnitRow {
  name: string;
  aliases: string[];
}
export interface PersonRow {
  name: string;
  unit: string | null;
  roles: string[];
  wecom: string | null;
  dingtalk: string | null;
  mobile: string | null;
  placed: boolean;
}
export interface GroupRow {
  platform: string;
  chatId: string;
  name: string;
  unit: string | null;
  webhookKey: string | null;
  webhookSecret: string | null;
}

export interface Current<Row> {
  id: number;
  row: Row;
}
export interface CurrentState {
  units: Current<UnitRow>[];
  people: Current<PersonRow>[];
  groups: Current<GroupRow>[];
}

export interface Plan {
  units: Step<UnitRow>[];
  people: Step<PersonRow>[];
  groups: Step<GroupRow>[];
  /** Only when the file has a `channels:` section. */
  channels?: Step<ChannelRow>[];
}

const YAML_NAMES: Record<string, string> = {
  chatId: "chat_id",
  webhookKey: "webhook_key",
  webhookSecret: "webhook_secret",
};

/** The YAML names of the fields whose values differ. */
export function changedFields<Row extends object>(before: Row, after: Row): string[] {
  return (Object.keys(after) as (keyof Row & string)[])
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((k) => YAML_NAMES[k] ?? k);
}

/** A step for an entry of the file matched (or not) to a database row. */
export function matchedStep<Row extends object>(
  label: string,
  found: Current<Row> | undefined,
  after: Row,
): Step<Row> {
  if (!found) return { action: "created", id: null, label, before: null, after, fields: [] };
  const fields = changedFields(found.row, after);
  return {
    action: fields.length ? "updated" : "unchanged",
    id: found.id,
    label,
    before: found.row,
    after,
    fields,
  };
}

/** A step for a database row the file does not mention. `kept` is the row with anything released. */
export function missingStep<Row extends object>(
  label: string,
  cur: Current<Row>,
  kept: Row,
  removed: Row | null,
  prune: boolean,
): Step<Row> {
  if (prune && (removed === null || changedFields(cur.row, removed).length > 0)) {
    const fields = removed ? changedFields(cur.row, removed) : [];
    return { action: "removed", id: cur.id, label, before: cur.row, after: removed, fields };
  }
  const after = prune && removed ? removed : kept;
  return {
    action: "notInFile",
    id: cur.id,
    label,
    before: cur.row,
    after,
    fields: changedFields(cur.row, after),
  };
}

export function planUnits(file: DirectoryFile, current: Current<UnitRow>[], prune: boolean): Step<UnitRow>[] {
  const byName = new Map(current.map((c) => [c.row.name, c]));
  const steps = file.units.map((u) =>
    matchedStep(u.name, byName.get(u.name), { name: u.name, aliases: u.aliases }),
  );
  const index = new UnitIndex(file.units);
  const inFile = new Set(file.units.map((u) => u.name));
  for (const cur of current) {
    if (inFile.has(cur.row.name)) continue;
    // An alias the file gives to another unit now means that unit: take it away from this one.
    const kept = { ...cur.row, aliases: cur.row.aliases.filter((a) => !index.resolve(a)) };
    steps.push(missingStep(cur.row.name, cur, kept, null, prune));
  }
  return steps;
}

export function planGroups(
  file: DirectoryFile,
  current: Current<GroupRow>[],
  prune: boolean,
): Step<GroupRow>[] {
  const key = (platform: string, chatId: string) => `${platform}\u0000${chatId}`;
  const byKey = new Map(current.map((c) => [key(c.row.platform, c.row.chatId), c]));
  const index = new UnitIndex(file.units);
  const steps = file.groups.map((g) =>
    matchedStep(g.name, byKey.get(key(g.platform, g.chatId)), {
      platform: g.platform,
      chatId: g.chatId,
      name: g.name,
      unit: g.unit ? (index.resolve(g.unit) ?? null) : null,
      webhookKey: g.webhookKey,
      webhookSecret: g.webhookSecret,
    }),
  );
  const inFile = new Set(file.groups.map((g) => key(g.platform, g.chatId)));
  for (const cur of current) {
    if (!inFile.has(key(cur.row.platform, cur.row.chatId)))
      steps.push(missingStep(cur.row.name, cur, cur.row, null, prune));
  }
  return steps;
}
