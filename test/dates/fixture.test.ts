import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatIso, parseWhen } from "../../src/lib/dates-zh/index.ts";

// The shared fixture, line by line: expression, expected time in Asia/Shanghai or ERROR, note.
const lines = readFileSync(new URL("../fixtures/dates-zh.tsv", import.meta.url), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "" && !l.startsWith("#"))
  .map((l) => l.split("\t"));

const now = new Date("2021-03-10T09:00:00+08:00");

describe("dates-zh fixture (now = 2021-03-10 09:00, Asia/Shanghai)", () => {
  it("has every line", () => {
    expect(lines.length).toBeGreaterThanOrEqual(34);
  });

  it.each(lines)("%s → %s", (expression = "", expected = "") => {
    const r = parseWhen(expression, { now, timezone: "Asia/Shanghai" });
    if (expected === "ERROR") {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(/[\u4e00-\u9fff]/u);
    } else {
      expect(r.ok ? formatIso(r.at, "Asia/Shanghai") : r.reason).toBe(expected);
      expect(r.ok && r.hasTime).toBe(true);
    }
  });
});
