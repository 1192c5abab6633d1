import { distance } from "fastest-levenshtein";
import type { CommandDefinition } from "./command.ts";
import { normalizeToken } from "./text.ts";

export interface Lookup {
  command: CommandDefinition;
  /** How many characters of the first token the name took: "进度2.2" is 进度 + "2.2". */
  consumed: number;
}

/** The declared commands, looked up by any of their names (NFKC, case-insensitive). */
export class Registry {
  private readonly byName = new Map<string, CommandDefinition>();

  constructor(readonly commands: readonly CommandDefinition[]) {
    for (const cmd of commands) {
      for (const name of [cmd.name, ...cmd.aliases]) {
        const key = normalizeToken(name);
        const prior = this.byName.get(key);
        if (prior && prior !== cmd) throw new Error(`command name "${name}" is declared twice`);
        this.byName.set(key, cmd);
      }
    }
  }

  get(name: string): CommandDefinition | undefined {
    return this.byName.get(normalizeToken(name));
  }

  /**
   * Finds the command a message starts with. Chinese names may be glued to their first argument
   * ("进度2.2"), so the longest Chinese name that prefixes the first token also counts.
   */
  find(firstToken: string): Lookup | undefined {
    const norm = normalizeToken(firstToken);
    const exact = this.byName.get(norm);
    if (exact) return { command: exact, consumed: firstToken.length };
    let best: Lookup | undefined;
    for (const [name, command] of this.byName) {
      // A one-character name glued to more text is a word, not a command ("我有不同意见" is not 我).
      if (!/^\p{Script=Han}/u.test(name) || name.length < 2 || !norm.startsWith(name)) continue;
      if (!best || name.length > best.consumed) best = { command, consumed: name.length };
    }
    return best;
  }

  /** The closest command name to what was typed, if it is close enough to be a plausible typo. */
  suggest(input: string): CommandDefinition | undefined {
    const norm = normalizeToken(input);
    let best: { cmd: CommandDefinition; d: number } | undefined;
    for (const [name, cmd] of this.byName) {
      const d = distance(norm, name);
      const limit = Math.max(1, Math.ceil(Math.max(name.length, norm.length) / 3));
      // Sharing no character at all ("好" vs "我") is never a typo, however short the names are.
      const shares = [...norm].some((ch) => name.includes(ch));
      const related =
        shares && (d <= limit || (norm.length >= 2 && (name.includes(norm) || norm.includes(name))));
      if (related && (!best || d < best.d)) best = { cmd, d };
    }
    return best?.cmd;
  }
}
