import type { CommandDefinition } from "../src/bot/command.ts";
import { Registry } from "../src/bot/registry.ts";
import help from "./help.ts";
import units from "./units.ts";
import whoami from "./whoami.ts";

/** Every chat command, in the order help lists them. Add a command: one file here, one line below. */
export const commands: CommandDefinition[] = [help, whoami, units];

export function createRegistry(extra: CommandDefinition[] = []): Registry {
  return new Registry([...commands, ...extra]);
}
