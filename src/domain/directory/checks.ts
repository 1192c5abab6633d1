import { checkChannels } from "./channel-checks.ts";
import type { ChannelEntry, GroupEntry, PersonEntry, UnitEntry, UnplacedEntry } from "./types.ts";
import { UnitIndex } from "./units-index.ts";

/** A file whose invalid entries were dropped (undefined) so the remaining ones keep their index. */
export interface SparseDirectory {
  units: readonly (UnitEntry | undefined)[];
  people: readonly (PersonEntry | undefined)[];
  groups: readonly (GroupEntry | undefined)[];
  unplaced: readonly (UnplacedEntry | undefined)[];
  channels?: readonly (ChannelEntry | undefined)[];
}

export interface Finding {
  path: (string | number)[];
  message: string;
}

/**
 * Rules that span entries: duplicates and references to units. Pure, so importDirectory can run them
 * again on a DirectoryFile built in code.
 * @param extraUnitNames names of unit entries that failed validation, so references to them are not
 *   reported a second time as unknown.
 */
export function checkDirectory(file: SparseDirectory, extraUnitNames: Iterable<string> = []): Finding[] {
  const out: Finding[] = [];
  checkUnits(file.units, out);
  const index = new UnitIndex(file.units, extraUnitNames);
  const checkRef = (section: string, i: number, unit: string | null | undefined) => {
    if (unit && !index.resolve(unit)) {
      out.push({ path: [section, i, "unit"], message: `未知单位 "${unit}"（units 里没有这个名称或别名）` });
    }
  };
  for (const section of ["people", "unplaced", "groups"] as const) {
    file[section].forEach((entry, i) => {
      checkRef(section, i, entry?.unit);
    });
  }
  checkPeople(file, out);
  checkGroups(file.groups, out);
  if (file.channels) checkChannels(file.channels, file.people, index, out);
  return out;
}

function checkUnits(units: SparseDirectory["units"], out: Finding[]): void {
  const names = new Map<string, number>();
  units.forEach((u, i) => {
    if (!u) return;
    const first = names.get(u.name);
    if (first === undefined) names.set(u.name, i);
    else
      out.push({
        path: ["units", i, "name"],
        message: `单位名称 "${u.name}" 重复（已在 units[${first}] 出现）`,
      });
  });
  const aliases = new Map<string, number>();
  units.forEach((u, i) => {
    u?.aliases.forEach((a, k) => {
      const path = ["units", i, "aliases", k];
      const named = names.get(a);
      const owner = aliases.get(a);
      if (named !== undefined && named !== i) {
        out.push({ path, message: `别名 "${a}" 与 units[${named}] 的名称相同` });
      } else if (owner === i) {
        out.push({ path, message: `别名 "${a}" 重复` });
      } else if (owner !== undefined) {
        out.push({ path, message: `别名 "${a}" 已被 units[${owner}] 使用` });
      } else {
        aliases.set(a, i);
      }
    });
  });
}

function checkPeople(file: SparseDirectory, out: Finding[]): void {
  const names = new Map<string, number>();
  file.people.forEach((p, i) => {
    if (!p) return;
    const first = names.get(p.name);
    if (first === undefined) names.set(p.name, i);
    else {
      out.push({
        path: ["people", i, "name"],
        message: `姓名 "${p.name}" 重复（已在 people[${first}] 出现；同名的人请写成“张伟（环卫处）”之类加以区分）`,
      });
    }
  });
  // Unplaced people may share a nickname; they are told apart by their platform ids. Without ids, they cannot be.
  const bare = new Map<string, number>();
  file.unplaced.forEach((p, i) => {
    if (!p || p.wecom || p.dingtalk) return;
    const first = bare.get(p.name);
    if (first === undefined) bare.set(p.name, i);
    else {
      out.push({
        path: ["unplaced", i, "name"],
        message: `姓名 "${p.name}" 重复，且都没有 wecom 或 dingtalk，无法区分（已在 unplaced[${first}] 出现）`,
      });
    }
  });
  const everyone = [
    ...file.people.map((p, i) => ({ p, section: "people", i })),
    ...file.unplaced.map((p, i) => ({ p, section: "unplaced", i })),
  ];
  for (const [field, label] of [
    ["wecom", "企业微信 userid"],
    ["dingtalk", "钉钉 staffId"],
  ] as const) {
    const seen = new Map<string, string>();
    for (const { p, section, i } of everyone) {
      const id = p?.[field];
      if (!id) continue;
      const first = seen.get(id);
      if (first === undefined) seen.set(id, `${section}[${i}]`);
      else out.push({ path: [section, i, field], message: `${label} "${id}" 重复（已在 ${first} 出现）` });
    }
  }
}

function checkGroups(groups: SparseDirectory["groups"], out: Finding[]): void {
  const seen = new Map<string, number>();
  groups.forEach((g, i) => {
    if (!g) return;
    const key = `${g.platform}\u0000${g.chatId}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else {
      out.push({
        path: ["groups", i, "chat_id"],
        message: `群 "${g.chatId}"（${g.platform}）重复（已在 groups[${first}] 出现）`,
      });
    }
    // Webhook settings on the wrong platform are almost always a copy-paste mistake; say so early.
    if (g.webhookSecret && g.platform !== "dingtalk") {
      out.push({
        path: ["groups", i, "webhook_secret"],
        message: "只有钉钉群（platform: dingtalk）用得到 webhook_secret",
      });
    }
    if (g.webhookKey && g.platform === "local") {
      out.push({
        path: ["groups", i, "webhook_key"],
        message: "本地群（platform: local）不需要 webhook_key",
      });
    }
  });
}
