import type { Finding } from "./checks.ts";
import { normalizeRoles } from "./roles.ts";
import type { ApproverEntry, ChannelEntry, PersonEntry } from "./types.ts";
import type { UnitIndex } from "./units-index.ts";

const ROLE_WORDS: Record<string, string> = {
  admin: "管理员",
  leader: "领导",
  approver: "审批人",
  member: "成员",
};

/**
 * Rules of `channels:` that need the rest of the file: approvers must be people in `people:`, units
 * must exist, a role must be held by someone, and every stage must be able to reach its quorum.
 */
export function checkChannels(
  channels: readonly (ChannelEntry | undefined)[],
  people: readonly (PersonEntry | undefined)[],
  units: UnitIndex,
  out: Finding[],
): void {
  const names = new Map<string, string>();
  const claim = (key: string, owner: string, path: (string | number)[], label: string) => {
    const norm = key.normalize("NFKC").toLowerCase();
    const first = names.get(norm);
    if (first === undefined) names.set(norm, owner);
    else out.push({ path, message: `${label} "${key}" 重复（已被 ${first} 使用）` });
  };
  channels.forEach((c, i) => {
    if (!c) return;
    claim(c.name, `channels[${i}]`, ["channels", i, "name"], "渠道名称");
    c.aliases.forEach((a, k) => {
      claim(a, `channels[${i}]`, ["channels", i, "aliases", k], "别名");
    });
    c.stages.forEach((stage, j) => {
      const path = ["channels", i, "stages", j];
      const who = new Set<string>();
      stage.approvers.forEach((a, n) => {
        for (const name of resolve(a, people, units, [...path, "approvers", n], out)) who.add(name);
      });
      if (stage.mode === "k" && stage.k === null) {
        out.push({ path: [...path, "k"], message: "mode: k 需要写 k（这一级要几人同意）" });
      } else if (stage.mode !== "k" && stage.k !== null) {
        out.push({ path: [...path, "k"], message: `只有 mode: k 才写 k（现在是 mode: ${stage.mode}）` });
      } else if (stage.mode === "k" && stage.k !== null && stage.k > who.size) {
        out.push({
          path: [...path, "k"],
          message: `k 为 ${stage.k}，但这一级只有 ${who.size} 位审批人，永远凑不够`,
        });
      }
    });
  });
}

/** The names of the people an approver entry stands for (empty, with a finding, when it names nobody). */
function resolve(
  a: ApproverEntry,
  people: readonly (PersonEntry | undefined)[],
  units: UnitIndex,
  path: (string | number)[],
  out: Finding[],
): string[] {
  if ("person" in a) {
    if (people.some((p) => p?.name === a.person)) return [a.person];
    out.push({ path: [...path, "person"], message: `未知人员 "${a.person}"（people 里没有这个姓名）` });
    return [];
  }
  const unit = a.unit ? units.resolve(a.unit) : null;
  if (a.unit && !unit) {
    out.push({ path: [...path, "unit"], message: `未知单位 "${a.unit}"（units 里没有这个名称或别名）` });
    return [];
  }
  const holders = people.filter(
    (p): p is PersonEntry =>
      p !== undefined &&
      normalizeRoles(p.roles).includes(a.role) &&
      (unit === null || (p.unit !== null && units.resolve(p.unit) === unit)),
  );
  if (holders.length === 0) {
    const where = a.unit ? `${a.unit}里` : "";
    out.push({
      path: [...path, "role"],
      message: `${where}没有人担任 ${a.role}（${ROLE_WORDS[a.role] ?? a.role}），这条审批人找不到人`,
    });
  }
  return holders.map((p) => p.name);
}
