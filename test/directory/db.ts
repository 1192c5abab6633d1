import { readFileSync } from "node:fs";
import type { Db } from "../../src/db/database.ts";
import { type DirectoryFile, parseDirectoryFile } from "../../src/domain/directory/file.ts";
import { useMemoryDb } from "../support/memory-db.ts";

export const EXAMPLE = readFileSync(new URL("../../examples/directory.yaml", import.meta.url), "utf8");

/**
 * One in-memory PGlite per test file, emptied before each test. TRUNCATE … CASCADE also empties
 * tables other features add that point at people, units or groups.
 */
export function useDb(): { readonly db: Db } {
  return useMemoryDb("units, people, groups");
}

export function parse(text: string): DirectoryFile {
  const r = parseDirectoryFile(text);
  if (!r.ok) throw new Error(`unexpected errors:\n${r.errors.join("\n")}`);
  return r.file;
}

/** Every row with every column, updatedAt included: equal snapshots mean nothing was written. */
export async function snapshot(db: Db) {
  return {
    units: await db.unit.findMany({ orderBy: { id: "asc" } }),
    people: await db.person.findMany({ orderBy: { id: "asc" } }),
    groups: await db.group.findMany({ orderBy: { id: "asc" } }),
  };
}

export async function personNamed(db: Db, name: string) {
  return db.person.findFirstOrThrow({ where: { name }, include: { unit: true }, orderBy: { id: "asc" } });
}
