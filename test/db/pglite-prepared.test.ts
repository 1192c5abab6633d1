import { PGlite, types } from "@electric-sql/pglite";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PglitePrepared } from "../../src/db/pglite-prepared.ts";

const TEXT_ARRAY = 1009;
const INSERT = `
  INSERT INTO notes (body, at) SELECT b, $2::timestamptz FROM unnest($1::text[]) AS b
  RETURNING id::text, body, note`;

let db: PGlite;
beforeAll(async () => {
  db = new PGlite("memory://");
  await db.exec(
    "CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL UNIQUE, at timestamptz, note text)",
  );
});
afterAll(() => db.close());
beforeEach(() => db.exec("TRUNCATE notes"));

const insert = () => new PglitePrepared(db, "test_insert", INSERT, [TEXT_ARRAY, types.TIMESTAMPTZ]);
const bodies = async () =>
  (await db.query<{ body: string }>("SELECT body FROM notes ORDER BY id")).rows.map((r) => r.body);

describe("a prepared PGlite statement", () => {
  it("stores values exactly as query would and returns rows as text, null as null", async () => {
    const awkward = ['quote " and \\ backslash', "{braces}", "NULL", "", "中文 é"];
    const rows = await insert().run([awkward, new Date("2026-11-26T02:00:00Z")]);
    expect(rows.map((r) => r[1])).toEqual(awkward);
    expect(rows.every((r) => /^\d+$/.test(String(r[0])) && r[2] === null)).toBe(true);
    expect(await bodies()).toEqual(awkward);
    const at = await db.query<{ at: Date }>("SELECT at FROM notes LIMIT 1");
    expect(at.rows[0]?.at.toISOString()).toBe("2026-11-26T02:00:00.000Z");
  });

  it("keeps working after the statement was deallocated behind its back", async () => {
    const statement = insert();
    await statement.run([["a"], new Date()]);
    await db.exec("DEALLOCATE ALL");
    expect((await statement.run([["b"], new Date()])).map((r) => r[1])).toEqual(["b"]);
    expect(await bodies()).toEqual(["a", "b"]);
  });

  it("reports a failed run and runs the next one normally", async () => {
    const statement = insert();
    await statement.run([["a"], new Date()]);
    await expect(statement.run([["b", "a"], new Date()])).rejects.toMatchObject({ code: "23505" });
    expect((await statement.run([["c"], new Date()])).map((r) => r[1])).toEqual(["c"]);
    // The failed run stored nothing, not even its first row.
    expect(await bodies()).toEqual(["a", "c"]);
  });

  it("waits for someone else's transaction instead of landing inside it", async () => {
    let inTransaction!: () => void;
    const opened = new Promise<void>((resolve) => {
      inTransaction = resolve;
    });
    let finish!: () => void;
    const rolledBack = db
      .transaction(async (tx) => {
        await tx.query("INSERT INTO notes (body) VALUES ('rolled back')");
        inTransaction();
        await new Promise<void>((resolve) => {
          finish = resolve;
        });
        throw new Error("roll back");
      })
      .catch(() => "rolled back");
    await opened;
    const run = insert().run([["kept"], new Date()]);
    // Give the run every chance to slip in while the transaction is open.
    await new Promise((r) => setTimeout(r, 20));
    finish();
    expect(await rolledBack).toBe("rolled back");
    expect((await run).map((r) => r[1])).toEqual(["kept"]);
    expect(await bodies()).toEqual(["kept"]);
  });
});
