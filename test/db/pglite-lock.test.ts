import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { DataDirLockedError, lockDataDir } from "../../src/db/pglite-lock.ts";

const root = mkdtempSync(join(tmpdir(), "huibao-lock-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("one process per PGlite directory", () => {
  it("refuses a second opener with a message naming the holder, and frees the directory on close", async () => {
    const dir = join(root, "a", "pglite");
    const first = await openDatabase(`pglite:${dir}`);
    await expect(openDatabase(`pglite:${dir}`)).rejects.toThrow(DataDirLockedError);
    await expect(openDatabase(`pglite:${dir}`)).rejects.toThrow(`pid ${process.pid}`);
    await first.close();
    const again = await openDatabase(`pglite:${dir}`);
    await again.close();
  }, 60_000);

  it("takes over a lock left by a process that no longer runs", () => {
    const dir = join(root, "stale");
    writeFileSync(`${dir}.lock`, "999999999");
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    release();
    lockDataDir(dir)();
  });
});
