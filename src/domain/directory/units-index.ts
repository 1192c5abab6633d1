import type { UnitEntry } from "./types.ts";

/**
 * Looks units up by full name or alias, the way people write them. First writer wins, so a
 * duplicate reported by checks.ts does not change what an earlier entry resolves to.
 */
export class UnitIndex {
  private readonly byKey = new Map<string, string>();

  constructor(units: readonly (UnitEntry | undefined)[], extraNames: Iterable<string> = []) {
    for (const u of units) if (u && !this.byKey.has(u.name)) this.byKey.set(u.name, u.name);
    for (const name of extraNames) if (!this.byKey.has(name)) this.byKey.set(name, name);
    for (const u of units)
      for (const a of u?.aliases ?? []) if (u && !this.byKey.has(a)) this.byKey.set(a, u.name);
  }

  /** The full name of the unit written as `nameOrAlias`, or undefined when no unit is known by it. */
  resolve(nameOrAlias: string): string | undefined {
    return this.byKey.get(nameOrAlias);
  }
}
