import type { Role } from "../directory/roles.ts";
import type { TaskOwners } from "./find.ts";
import { shortName } from "./units.ts";

/** Members of a lead or support unit report on a task; admins report on any. */
export function canReport(
  person: { unitId: number | null; roles: readonly Role[] },
  owners: TaskOwners,
): boolean {
  if (person.roles.includes("admin")) return true;
  if (person.unitId === null) return false;
  return [...owners.lead, ...owners.support].some((u) => u.id === person.unitId);
}

/**
 * Who owns a task, as people call them: short names of the matched units, then names the plan
 * gives that match no unit (各分局), so a refusal names everyone the plan names.
 */
export function ownerNames(owners: TaskOwners): string[] {
  const units = [...owners.lead, ...owners.support];
  const known = new Set(units.flatMap((u) => [u.name, ...u.aliases]));
  const names = units.map(shortName);
  for (const text of [...owners.leadText, ...owners.supportText]) if (!known.has(text)) names.push(text);
  return [...new Set(names)];
}
