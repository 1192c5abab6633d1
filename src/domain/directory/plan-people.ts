import { type Current, matchedStep, missingStep, type PersonRow, type Step } from "./plan.ts";
import { normalizeRoles } from "./roles.ts";
import type { DirectoryFile, UnplacedEntry } from "./types.ts";
import { UnitIndex } from "./units-index.ts";

/**
 * Matches the people of the file to the database: by WeCom id, then DingTalk id, then name, each
 * pass over every entry before the next, so a name can never take a row that an id points to.
 * Matching by id first is what lets an admin rename someone; name last lets ids be added or changed.
 */
export function planPeople(
  file: DirectoryFile,
  current: Current<PersonRow>[],
  prune: boolean,
): Step<PersonRow>[] {
  const index = new UnitIndex(file.units);
  const row = (p: UnplacedEntry, roles: string[], placed: boolean): PersonRow => ({
    name: p.name,
    unit: p.unit ? (index.resolve(p.unit) ?? null) : null,
    roles,
    wecom: p.wecom,
    dingtalk: p.dingtalk,
    mobile: p.mobile,
    placed,
  });
  const targets = [
    // Canonical role order, so that [approver, admin] and [admin, approver] are the same roles.
    ...file.people.map((p) => row(p, normalizeRoles(p.roles), true)),
    ...file.unplaced.map((p) => row(p, [], false)),
  ];

  const matches = new Map<number, Current<PersonRow>>();
  const taken = new Set<number>();
  const claim = (i: number, found: Current<PersonRow> | undefined) => {
    if (!found || taken.has(found.id) || matches.has(i)) return;
    matches.set(i, found);
    taken.add(found.id);
  };
  for (const field of ["wecom", "dingtalk"] as const) {
    const byId = new Map(current.filter((c) => c.row[field]).map((c) => [c.row[field], c]));
    targets.forEach((t, i) => {
      if (t[field]) claim(i, byId.get(t[field]));
    });
  }
  targets.forEach((t, i) => {
    // Among namesakes prefer one in the same state (placed or not), then the oldest.
    const candidates = current
      .filter((c) => c.row.name === t.name && !taken.has(c.id))
      .sort((a, b) => Number(a.row.placed !== t.placed) - Number(b.row.placed !== t.placed) || a.id - b.id);
    claim(i, candidates[0]);
  });

  const steps = targets.map((t, i) => matchedStep(t.name, matches.get(i), t));
  const wecomIds = new Set(targets.map((t) => t.wecom).filter(Boolean));
  const dingtalkIds = new Set(targets.map((t) => t.dingtalk).filter(Boolean));
  for (const cur of current) {
    if (taken.has(cur.id)) continue;
    // An id the file gives to someone else is released, or the unique index would refuse the write.
    const kept: PersonRow = {
      ...cur.row,
      wecom: cur.row.wecom && wecomIds.has(cur.row.wecom) ? null : cur.row.wecom,
      dingtalk: cur.row.dingtalk && dingtalkIds.has(cur.row.dingtalk) ? null : cur.row.dingtalk,
    };
    // People are never deleted (their reports and approvals refer to them): prune only unplaces them.
    steps.push(missingStep(cur.row.name, cur, kept, { ...kept, placed: false, roles: [] }, prune));
  }
  return steps;
}
