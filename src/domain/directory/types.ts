import type { Role } from "./roles.ts";

/** Where people talk to the bot. Mirrors Platform in src/platforms/types.ts without importing it (domain stays inward). */
export const PLATFORMS = ["wecom", "dingtalk", "local"] as const;
export type DirectoryPlatform = (typeof PLATFORMS)[number];

export interface UnitEntry {
  name: string;
  aliases: string[];
}

/** A person in `people:`: placed in the directory, with roles. */
export interface PersonEntry {
  name: string;
  /** Unit name or alias as written in the file; null when the person belongs to no unit. */
  unit: string | null;
  roles: Role[];
  wecom: string | null;
  dingtalk: string | null;
  mobile: string | null;
}

/** A person in `unplaced:`: known to the bot (they wrote to it) but not yet placed by an admin. */
export interface UnplacedEntry {
  name: string;
  unit: string | null;
  wecom: string | null;
  dingtalk: string | null;
  mobile: string | null;
}

export interface GroupEntry {
  name: string;
  platform: DirectoryPlatform;
  chatId: string;
  unit: string | null;
  webhookKey: string | null;
  webhookSecret: string | null;
}

/** Who may sign off in a stage: a named person, or everyone holding a role (in a unit, if given). */
export type ApproverEntry = { person: string } | { role: Role; unit: string | null };

export type StageMode = "any" | "all" | "k";

export interface StageEntry {
  name: string;
  mode: StageMode;
  /** Only with mode k: how many approvals the stage needs. */
  k: number | null;
  approvers: ApproverEntry[];
}

/** A channel that needs sign-off (微博, 网站, …) and its chain of stages, from `channels:`. */
export interface ChannelEntry {
  name: string;
  aliases: string[];
  deadlineHours: number;
  stages: StageEntry[];
}

/** The validated content of a directory YAML file. */
export interface DirectoryFile {
  units: UnitEntry[];
  people: PersonEntry[];
  groups: GroupEntry[];
  unplaced: UnplacedEntry[];
  /** Absent when the file has no `channels:` section: the stored channels are then left as they are. */
  channels?: ChannelEntry[];
}

/** One problem in a directory file. `path` is the YAML path, e.g. ["people", 3, "roles"]. */
export interface DirectoryIssue {
  /** 1-based line in the file; null when the file was built in code rather than parsed. */
  line: number | null;
  path: (string | number)[];
  message: string;
}
