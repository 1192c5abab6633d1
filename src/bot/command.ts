import type { Db } from "../db/database.ts";
import type { PersonView, Role } from "../domain/directory/identify.ts";
import type { Notice } from "../domain/notice.ts";
import type { Clock } from "../lib/clock.ts";
import type { IncomingMessage, Mention, OutgoingMessage } from "../platforms/types.ts";
import type { Locale, Localized, Translate } from "./i18n.ts";
import type { Registry } from "./registry.ts";

/**
 * How a chat command is declared: one file per command under commands/, collected in commands/index.ts.
 * Help, usage lines and suggestions are generated from these declarations.
 */

export type ArgType = "word" | "int" | "code" | "percent" | "text";

export interface ArgSpec {
  name: string;
  type: ArgType;
  label: Localized;
  optional?: boolean;
}

export type ArgValue = string | number;

/** "anyone" commands are read-only and open to people not yet in the directory. */
export type Permission = "anyone" | Role;

/** What a command handler may use. Domain services hang off here; no HTTP, no platform code. */
export interface Services {
  db: Db;
  clock: Clock;
  timezone: string;
  settings: DomainSettings;
}

/** Tunables the domain reads (parsed from the environment in src/config.ts). Durations in ms. */
export interface DomainSettings {
  /** Event reminders: how long before the start, per event kind ("default" for the others). */
  eventRemindBefore: Record<string, number[]>;
  /** Reminders a day or more ahead that fall on a non-working day move to the previous working day. */
  eventRemindWorkdaysOnly: boolean;
  /** Approval reminders: how long after submission, and how long before the deadline. */
  approvalRemindAfter: number[];
  approvalRemindBeforeDeadline: number[];
  /** Weekly digest: ISO weekday (1 = Monday) and wall-clock time in the bot's zone; null: none. */
  digestSchedule: { weekday: number; hour: number; minute: number } | null;
  /** Where half-year assessments asked for in chat are written. */
  reportsDir: string;
}

export const DEFAULT_SETTINGS: DomainSettings = {
  eventRemindBefore: { default: [7 * 86_400_000, 86_400_000, 2 * 3_600_000] },
  eventRemindWorkdaysOnly: true,
  approvalRemindAfter: [2 * 3_600_000],
  approvalRemindBeforeDeadline: [3_600_000],
  digestSchedule: { weekday: 1, hour: 9, minute: 0 },
  reportsDir: "./reports",
};

export interface CommandContext {
  message: IncomingMessage;
  person: PersonView;
  args: Record<string, ArgValue | undefined>;
  locale: Locale;
  t: Translate;
  services: Services;
  registry: Registry;
  /** Queue an announcement or a one-to-one message; it is sent with the replies, in their transaction. */
  notify(notice: Notice): void;
}

export type Reply = string | OutgoingMessage;

/** Where help lists a command: the overview is one line per area, so it fits a phone screen. */
export type Area = "tasks" | "events" | "approvals" | "reports" | "basic";

export const AREA_LABELS: Record<Area, Localized> = {
  tasks: { zh: "任务进度", en: "Tasks" },
  events: { zh: "活动", en: "Events" },
  approvals: { zh: "审批", en: "Approvals" },
  reports: { zh: "汇总", en: "Reports" },
  basic: { zh: "其他", en: "Other" },
};

export interface CommandDefinition {
  /** The Chinese name people type. */
  name: string;
  /** Help's grouping; commands/index.ts sets it. Unset: "basic". */
  area?: Area;
  /** Other Chinese names and English aliases. */
  aliases: string[];
  args: ArgSpec[];
  permission: Permission;
  summary: Localized;
  help: Localized;
  examples: string[];
  run(ctx: CommandContext): Promise<Reply | Reply[]>;
}

export function defineCommand(def: CommandDefinition): CommandDefinition {
  return def;
}

/** A failure the user caused or can fix: it becomes a friendly reply, never a stack trace. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}

export function textReply(text: string, mentions: Mention[] = []): OutgoingMessage {
  return { format: "text", text, mentions };
}
