/** A unit of the directory, as task_units needs it. */
export interface DirectoryUnit {
  id: number;
  name: string;
  aliases: string[];
}

/** 各分局 means every unit whose name ends in 分局; 各单位 means all of them. */
function collective(written: string): ((name: string) => boolean) | null {
  if (/^(?:局属各|各)(?:单位|部门)$/u.test(written)) return () => true;
  if (/^(?:机关各|各)科室$/u.test(written)) return (n) => /[科室]$/u.test(n);
  if (/^(?:机关各|各)处室$/u.test(written)) return (n) => /[处室]$/u.test(n);
  const kind = /^各(分局|大队|中队|支队|科|处)$/u.exec(written)?.[1];
  return kind ? (n) => n.endsWith(kind) : null;
}

/**
 * The directory units a name written in the plan stands for: its full name or an alias, every unit a
 * collective name covers, or the one unit whose full name ends with it (园林处 → 市城市管理局园林处).
 * Empty when none (or more than one) fits: the name is then kept as text only.
 */
export function matchUnit(written: string, units: readonly DirectoryUnit[]): DirectoryUnit[] {
  const exact = units.find((u) => u.name === written) ?? units.find((u) => u.aliases.includes(written));
  if (exact) return [exact];
  const covers = collective(written);
  if (covers) return units.filter((u) => [u.name, ...u.aliases].some(covers));
  if (written.length < 2) return [];
  const endsWith = units.filter(
    (u) => u.name.endsWith(written) || u.aliases.some((a) => a.endsWith(written)),
  );
  return endsWith.length === 1 ? endsWith : [];
}

export interface MatchedUnits {
  lead: number[];
  support: number[];
  /** Names the directory knows no unit by. */
  unmatched: string[];
}

export function matchUnits(
  mentions: { lead: readonly string[]; support: readonly string[] },
  units: readonly DirectoryUnit[],
): MatchedUnits {
  const unmatched: string[] = [];
  const ids = (names: readonly string[]) =>
    names.flatMap((n) => {
      const found = matchUnit(n, units);
      if (found.length === 0) unmatched.push(n);
      return found.map((u) => u.id);
    });
  const lead = [...new Set(ids(mentions.lead))];
  const support = [...new Set(ids(mentions.support))].filter((id) => !lead.includes(id));
  return { lead, support, unmatched };
}
