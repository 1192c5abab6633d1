import type { Db } from "../db/database.ts";
import type { PersonView, Role } from "../domain/directory/identify.ts";
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
}

export interface CommandContext {
  message: IncomingMessage;
  person: PersonView;
  args: Record<string, ArgValue | undefined>;
  locale: Locale;
  t: Translate;
  services: Services;
  registry: Registry;
}

export type Reply = string | OutgoingMessage;

export interface CommandDefinition {
  /** The Chinese name people type. */
  name: string;
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
