import { describe, expect, it } from "vitest";
import { type DirectoryFile, DirectoryFileError } from "../../src/domain/directory/file.ts";
import { identifySender } from "../../src/domain/directory/identify.ts";
import { importDirectory } from "../../src/domain/directory/sync.ts";
import { EXAMPLE, parse, personNamed, snapshot, useDb } from "./db.ts";

const t = useDb();
const example = () => parse(EXAMPLE);

function edit(change: (file: DirectoryFile) => void): DirectoryFile {
  const file = example();
  change(file);
  return file;
}

function person(file: DirectoryFile, name: string) {
  const p = file.people.find((x) => x.name === name);
  if (!p) throw new Error(`no ${name} in the example`);
  return p;
}

describe("importDirectory", () => {
  it("creates units, people and groups from the file", async () => {
    const s = await importDirectory(t.db, example());
    expect([s.units.created, s.people.created, s.groups.created]).toEqual([6, 12, 4]);

    const zhang = await personNamed(t.db, "张伟");
    expect(zhang).toMatchObject({ roles: ["admin"], wecomUserId: "zhangwei", placed: true });
    expect(zhang.unit?.name).toBe("市城市管理局宣传科"); // written as the alias 宣传科
    expect((await personNamed(t.db, "陈静")).roles).toEqual(["member"]);
    const wang = await personNamed(t.db, "王建国");
    expect(wang).toMatchObject({ unitId: null, dingtalkStaffId: "0123456701", mobile: "13800000001" });
    expect(await personNamed(t.db, "小刘")).toMatchObject({
      placed: false,
      roles: [],
      wecomUserId: "liuxiaoming",
    });
    expect((await t.db.unit.findUniqueOrThrow({ where: { name: "市城市管理局办公室" } })).aliases).toEqual([
      "办公室",
      "局办",
    ]);
    const ding = await t.db.group.findFirstOrThrow({
      where: { platform: "dingtalk" },
      include: { unit: true },
    });
    expect(ding).toMatchObject({ name: "环卫处信息员群", webhookSecret: expect.stringMatching(/^SEC/) });
    expect(ding.unit?.name).toBe("市城市管理局环境卫生管理处");
  });

  it("reports everything unchanged on a second import and writes nothing", async () => {
    await importDirectory(t.db, example());
    const before = await snapshot(t.db);
    const s = await importDirectory(t.db, example());
    expect(s.changes).toEqual([]);
    expect([s.units.unchanged, s.people.unchanged, s.groups.unchanged]).toEqual([6, 12, 4]);
    expect(await snapshot(t.db)).toEqual(before);
  });

  it("updates exactly what changed", async () => {
    await importDirectory(t.db, example());
    const before = await snapshot(t.db);
    const file = edit((f) => {
      person(f, "陈静").roles = ["approver"];
      person(f, "李秀英").roles = ["approver", "admin"]; // same roles, other order: not a change
      f.units[1]?.aliases.push("宣传组");
      const group = f.groups.find((g) => g.chatId === "wrOgQhDgAAexample0002");
      if (group) group.name = "全局宣传员群";
      f.people.push({
        name: "新人",
        unit: "宣传组",
        roles: ["member"],
        wecom: "xinren",
        dingtalk: null,
        mobile: null,
      });
    });
    const s = await importDirectory(t.db, file);
    expect(s.changes).toEqual([
      { entity: "unit", action: "updated", name: "市城市管理局宣传科", fields: ["aliases"] },
      { entity: "person", action: "updated", name: "陈静", fields: ["roles"] },
      { entity: "person", action: "created", name: "新人", fields: [] },
      { entity: "group", action: "updated", name: "全局宣传员群", fields: ["name"] },
    ]);
    const after = await snapshot(t.db);
    const untouched = (rows: { id: number; updatedAt: Date }[]) =>
      rows.map((r) => `${r.id}@${r.updatedAt.getTime()}`);
    const changedPeople = after.people.filter(
      (p, i) => p.updatedAt.getTime() !== before.people[i]?.updatedAt.getTime(),
    );
    expect(changedPeople.map((p) => p.name)).toEqual(["陈静", "新人"]);
    expect(untouched(after.units.filter((u) => u.name !== "市城市管理局宣传科"))).toEqual(
      untouched(before.units.filter((u) => u.name !== "市城市管理局宣传科")),
    );
    expect((await personNamed(t.db, "新人")).unit?.name).toBe("市城市管理局宣传科");
  });

  it("renames a person matched by their WeCom id, keeping the same row", async () => {
    await importDirectory(t.db, example());
    const old = await personNamed(t.db, "吴磊");
    const s = await importDirectory(
      t.db,
      edit((f) => {
        person(f, "吴磊").name = "吴磊磊";
      }),
    );
    expect(s.people).toMatchObject({ created: 0, updated: 1 });
    expect(await t.db.person.findUniqueOrThrow({ where: { id: old.id } })).toMatchObject({ name: "吴磊磊" });
  });

  it("gives a person matched by name a new id", async () => {
    await importDirectory(t.db, example());
    const old = await personNamed(t.db, "周婷");
    await importDirectory(
      t.db,
      edit((f) => {
        person(f, "周婷").dingtalk = "0999";
      }),
    );
    expect(await t.db.person.findUniqueOrThrow({ where: { id: old.id } })).toMatchObject({
      dingtalkStaffId: "0999",
    });
  });

  it("moves a DingTalk id from one person to another in one import", async () => {
    await importDirectory(t.db, example());
    // 吴磊 comes first in the file: without releasing 黄海's id first, the unique index would refuse.
    const s = await importDirectory(
      t.db,
      edit((f) => {
        person(f, "吴磊").dingtalk = "0123456711";
        person(f, "黄海").dingtalk = null;
      }),
    );
    expect(s.people.updated).toBe(2);
    expect((await personNamed(t.db, "吴磊")).dingtalkStaffId).toBe("0123456711");
    expect((await personNamed(t.db, "黄海")).dingtalkStaffId).toBeNull();
  });

  it("takes an id the file assigns away from a recorded person who is not in the file", async () => {
    await importDirectory(t.db, example());
    const stranger = await identifySender(t.db, { platform: "dingtalk", userId: "0777", nick: "阿吴" });
    const s = await importDirectory(
      t.db,
      edit((f) => {
        person(f, "吴磊").dingtalk = "0777";
      }),
    );
    expect((await personNamed(t.db, "吴磊")).dingtalkStaffId).toBe("0777");
    expect(await t.db.person.findUniqueOrThrow({ where: { id: stranger.id } })).toMatchObject({
      dingtalkStaffId: null,
      placed: false,
    });
    expect(s.changes).toContainEqual({
      entity: "person",
      action: "notInFile",
      name: "阿吴",
      fields: ["dingtalk"],
    });
  });

  it("takes an alias the file gives to another unit away from a unit not in the file", async () => {
    await t.db.unit.create({ data: { name: "旧宣传科", aliases: ["宣传科", "老宣传"] } });
    await importDirectory(t.db, example());
    expect((await t.db.unit.findUniqueOrThrow({ where: { name: "旧宣传科" } })).aliases).toEqual(["老宣传"]);
  });

  it("writes nothing in a dry run but reports what it would do", async () => {
    const s = await importDirectory(t.db, example(), { dryRun: true });
    expect(s).toMatchObject({ dryRun: true, units: { created: 6 }, people: { created: 12 } });
    expect(await snapshot(t.db)).toEqual({ units: [], people: [], groups: [] });
  });

  describe("entries missing from the file", () => {
    const smaller = () =>
      edit((f) => {
        f.units = f.units.filter((u) => u.name !== "市城市管理局城西分局");
        f.people = f.people.filter((p) => p.name !== "黄海");
        f.groups = f.groups.filter((g) => g.chatId !== "wrOgQhDgAAexample0002");
      });

    it("are kept and reported as not in the file without --prune", async () => {
      await importDirectory(t.db, example());
      const newcomer = await identifySender(t.db, { platform: "wecom", userId: "newbie", nick: "新来的" });
      const before = await snapshot(t.db);
      const s = await importDirectory(t.db, smaller());
      expect(s.changes).toEqual([
        { entity: "unit", action: "notInFile", name: "市城市管理局城西分局", fields: [] },
        { entity: "person", action: "notInFile", name: "黄海", fields: [] },
        { entity: "person", action: "notInFile", name: newcomer.name, fields: [] },
        { entity: "group", action: "notInFile", name: "全局宣传信息员群", fields: [] },
      ]);
      expect(await snapshot(t.db)).toEqual(before);
    });

    it("are deleted (units, groups) or unplaced (people, never deleted) with --prune", async () => {
      await importDirectory(t.db, example());
      const huang = await personNamed(t.db, "黄海");
      const s = await importDirectory(t.db, smaller(), { prune: true });
      expect([s.units.removed, s.people.removed, s.groups.removed]).toEqual([1, 1, 1]);
      expect(await t.db.unit.findUnique({ where: { name: "市城市管理局城西分局" } })).toBeNull();
      expect(await t.db.group.findFirst({ where: { chatId: "wrOgQhDgAAexample0002" } })).toBeNull();
      // 黄海 stays, with his accounts, so his past reports keep their author.
      expect(await t.db.person.findUniqueOrThrow({ where: { id: huang.id } })).toMatchObject({
        placed: false,
        roles: [],
        wecomUserId: "huanghai",
        unitId: null,
      });
      expect(await t.db.person.count()).toBe(12);
      // Pruning again finds nothing more to do.
      const again = await importDirectory(t.db, smaller(), { prune: true });
      expect(again.changes.filter((c) => c.action !== "notInFile")).toEqual([]);
    });
  });

  it("refuses a file built in code that breaks the rules, writing nothing", async () => {
    const file = edit((f) => {
      person(f, "张伟").unit = "不存在的科";
    });
    await expect(importDirectory(t.db, file)).rejects.toThrow(DirectoryFileError);
    await expect(importDirectory(t.db, file)).rejects.toThrow(/people\[2\]\.unit：未知单位 "不存在的科"/);
    expect(await t.db.unit.count()).toBe(0);
  });
});
