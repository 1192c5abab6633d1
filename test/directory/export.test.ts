import { describe, expect, it } from "vitest";
import { exportDirectory } from "../../src/domain/directory/export.ts";
import { identifySender } from "../../src/domain/directory/identify.ts";
import { importDirectory } from "../../src/domain/directory/sync.ts";
import { EXAMPLE, parse, snapshot, useDb } from "./db.ts";

const t = useDb();

describe("exportDirectory", () => {
  it("writes a file that imports back as all unchanged, unplaced people included", async () => {
    await importDirectory(t.db, parse(EXAMPLE));
    // Everything export has to carry: recorded newcomers, a pruned person who keeps a unit, no roles at all.
    await identifySender(t.db, { platform: "wecom", userId: "newbie", nick: "小新" });
    await identifySender(t.db, { platform: "dingtalk", userId: "0555" });
    await identifySender(t.db, { platform: "local", userId: "访客" });
    await t.db.person.updateMany({ where: { name: "吴磊" }, data: { placed: false, roles: [] } });
    await t.db.person.updateMany({ where: { name: "赵敏" }, data: { roles: [] } });
    const before = await snapshot(t.db);

    const yaml = await exportDirectory(t.db);
    const s = await importDirectory(t.db, parse(yaml), { prune: true });
    expect(s.changes).toEqual([]);
    expect([s.units.unchanged, s.people.unchanged, s.groups.unchanged]).toEqual([6, 15, 4]);
    expect(await snapshot(t.db)).toEqual(before);
  });

  it("lists recorded people under unplaced, with a note on how to place them", async () => {
    await importDirectory(t.db, parse(EXAMPLE));
    await identifySender(t.db, { platform: "wecom", userId: "newbie", nick: "小新" });
    const yaml = await exportDirectory(t.db);
    expect(yaml).toContain("# 登记方法：把条目整个移到上面的 people 里");
    const file = parse(yaml);
    expect(file.unplaced.map((p) => p.name)).toEqual(["小刘", "小新"]);
    expect(file.people.map((p) => p.name)).not.toContain("小新");
    // Units are written by full name, ids as text.
    expect(file.people.find((p) => p.name === "黄海")).toMatchObject({
      unit: "市城市管理局城西分局",
      dingtalk: "0123456711",
    });
  });

  it("lets an admin place a recorded person by moving their entry into people", async () => {
    await importDirectory(t.db, parse(EXAMPLE));
    const newbie = await identifySender(t.db, { platform: "wecom", userId: "newbie", nick: "小新" });
    const file = parse(await exportDirectory(t.db));
    const entry = file.unplaced.find((p) => p.name === "小新");
    if (!entry) throw new Error("小新 is not in the export");
    file.unplaced = file.unplaced.filter((p) => p !== entry);
    file.people.push({ ...entry, name: "辛晓", unit: "宣传科", roles: ["member"] });

    const s = await importDirectory(t.db, file);
    expect(s.changes).toEqual([
      { entity: "person", action: "updated", name: "辛晓", fields: ["name", "unit", "roles", "placed"] },
    ]);
    expect(await identifySender(t.db, { platform: "wecom", userId: "newbie" })).toMatchObject({
      id: newbie.id,
      name: "辛晓",
      unitName: "市城市管理局宣传科",
      roles: ["member"],
      placed: true,
    });
  });

  it("exports an empty directory as a file that imports", async () => {
    const yaml = await exportDirectory(t.db);
    expect(parse(yaml)).toEqual({ units: [], people: [], groups: [], unplaced: [] });
    expect(yaml).not.toContain("webhook 密钥");
  });
});
