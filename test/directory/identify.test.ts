import { describe, expect, it } from "vitest";
import { hasRole, identifySender, ROLES } from "../../src/domain/directory/identify.ts";
import { importDirectory } from "../../src/domain/directory/sync.ts";
import { EXAMPLE, parse, useDb } from "./db.ts";

const t = useDb();

describe("identifySender", () => {
  it("finds directory people by WeCom id, DingTalk id and local name", async () => {
    await importDirectory(t.db, parse(EXAMPLE));
    const byWecom = await identifySender(t.db, { platform: "wecom", userId: "lixiuying", nick: "秀英" });
    expect(byWecom).toMatchObject({
      name: "李秀英",
      unitName: "市城市管理局宣传科",
      roles: ["admin", "approver"],
      placed: true,
      locale: null,
    });
    expect(byWecom.unitId).toEqual(expect.any(Number));
    const byDingtalk = await identifySender(t.db, { platform: "dingtalk", userId: "0123456707" });
    expect(byDingtalk).toMatchObject({ name: "孙强", roles: ["leader", "approver"], placed: true });
    // 黄海 has both accounts: either one finds the same person.
    const a = await identifySender(t.db, { platform: "wecom", userId: "huanghai" });
    const b = await identifySender(t.db, { platform: "dingtalk", userId: "0123456711" });
    expect(a.id).toBe(b.id);
    expect(await identifySender(t.db, { platform: "local", userId: "张伟" })).toMatchObject({
      roles: ["admin"],
    });
    expect(await t.db.person.count()).toBe(12);
  });

  it("records an unknown sender once, unplaced and without roles, even when messages arrive together", async () => {
    const seen = await Promise.all(
      Array.from({ length: 8 }, () =>
        identifySender(t.db, { platform: "wecom", userId: "newbie", nick: "小新" }),
      ),
    );
    expect(new Set(seen.map((p) => p.id)).size).toBe(1);
    expect(seen[0]).toMatchObject({ name: "小新", placed: false, roles: [], unitId: null, unitName: null });
    const rows = await t.db.person.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ wecomUserId: "newbie", dingtalkStaffId: null });
    // A later message, even under a new nickname, is the same person.
    const later = await identifySender(t.db, { platform: "wecom", userId: "newbie", nick: "新新" });
    expect(later.id).toBe(seen[0]?.id);
    expect(await t.db.person.count()).toBe(1);
  });

  it("names an unknown DingTalk sender without a nickname after their staffId", async () => {
    const seen = await Promise.all(
      Array.from({ length: 5 }, () => identifySender(t.db, { platform: "dingtalk", userId: "0555" })),
    );
    expect(new Set(seen.map((p) => p.id)).size).toBe(1);
    expect(await t.db.person.findMany()).toMatchObject([
      { name: "0555", dingtalkStaffId: "0555", placed: false },
    ]);
  });

  it("records an unknown local speaker once even when they speak in several places at once", async () => {
    const seen = await Promise.all(
      Array.from({ length: 5 }, () =>
        identifySender(t.db, { platform: "local", userId: "访客", nick: "访客" }),
      ),
    );
    expect(new Set(seen.map((p) => p.id)).size).toBe(1);
    expect(await t.db.person.findMany()).toMatchObject([{ name: "访客", placed: false, wecomUserId: null }]);
  });

  it("does not confuse the same id on the two platforms", async () => {
    const w = await identifySender(t.db, { platform: "wecom", userId: "0888" });
    const d = await identifySender(t.db, { platform: "dingtalk", userId: "0888" });
    expect(w.id).not.toBe(d.id);
  });
});

describe("hasRole", () => {
  it("lets admin do what every role does, and no other role stands in for another", () => {
    for (const role of ROLES) expect(hasRole({ roles: ["admin"] }, role)).toBe(true);
    expect(hasRole({ roles: ["leader"] }, "approver")).toBe(false);
    expect(hasRole({ roles: ["approver", "member"] }, "approver")).toBe(true);
    expect(hasRole({ roles: [] }, "member")).toBe(false);
  });
});
