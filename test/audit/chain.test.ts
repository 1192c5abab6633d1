import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runAudit } from "../../src/cli/audit.ts";
import { auditHash, GENESIS_HASH } from "../../src/domain/audit/hash.ts";
import { verifyAuditChain } from "../../src/domain/audit/verify.ts";
import { DIRECTORY, GROUP, runCli, START, WEIBO } from "../approvals/support.ts";
import { startTestBot, type TestBot } from "../support/chat.ts";

let chat: TestBot;

beforeAll(async () => {
  chat = await startTestBot({ directory: DIRECTORY, now: START });
  // Six records: submit, reject, edit, approve, pass (stage 1 done), approve.
  await chat.group(GROUP).as("张三").says(WEIBO).replies();
  chat.clock.advance(60_000);
  await chat.group(GROUP).as("李四").says("驳回 标题再短一点").replies();
  chat.clock.advance(60_000);
  await chat.group(GROUP).as("张三").says("修改 #1 标题：宣传周").replies();
  chat.clock.advance(60_000);
  await chat.group(GROUP).as("王五").says("同意").replies();
  await chat.dm("赵六").says("同意 #1").replies();
});
afterAll(async () => {
  await chat?.close();
});

const verifyCli = () => runCli(runAudit, chat, ["verify"]);
/** The trigger that keeps audit records append-only (migration audit_append_only). */
const GUARD = "audit_records_append_only";

describe("the audit trail", () => {
  it("records every action with the version's content hash, the actor's role then and the raw reply", async () => {
    const rows = await chat.db.prisma.auditRecord.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.action, r.actorName, r.actorRole, r.version])).toEqual([
      ["submit", "张三", "送审人", 1],
      ["reject", "李四", "第1级审批人「科室负责人」", 1],
      ["edit", "张三", "送审人", 2],
      ["approve", "王五", "第1级审批人「科室负责人」", 2],
      ["pass", "系统", "系统", 2],
      ["approve", "赵六", "第2级审批人「分管领导」", 2],
    ]);
    expect(rows[1]).toMatchObject({ rawText: "驳回 标题再短一点", platform: "local" });
    expect(rows[1]?.messageId).toMatch(/^local-/);
    const versions = await chat.db.prisma.draftVersion.findMany({ orderBy: { version: "asc" } });
    expect(rows[0]?.contentSha).toBe(versions[0]?.sha256);
    expect(rows[2]?.contentSha).toBe(versions[1]?.sha256);
    expect(rows[0]?.contentSha).not.toBe(rows[2]?.contentSha);
    // A chain: each record carries the hash of the one before, and its own hash covers every field.
    expect(rows[0]?.prevHash).toBe(GENESIS_HASH);
    rows.slice(1).forEach((r, i) => {
      expect(r.prevHash).toBe(rows[i]?.hash);
    });
    for (const r of rows) expect(auditHash(r)).toBe(r.hash);
  });

  it("verifies an intact chain and says how many records it checked", async () => {
    expect(await verifyAuditChain(chat.db.prisma)).toEqual({ ok: true, checked: 6 });
    const head = (await chat.db.prisma.auditRecord.findFirstOrThrow({ where: { id: 6n } })).hash;
    expect(await verifyCli()).toEqual({
      code: 0,
      out: [
        "审计记录完好：检查了 6 条，哈希链一致。",
        `链头（编号 6 的哈希）：${head}  请和半年导出一起保存，下次用 --head 核对。`,
      ],
      err: [],
    });
  });

  it("checks a head kept from an earlier run, and refuses a malformed one", async () => {
    const db = chat.db.prisma;
    const kept = (await db.auditRecord.findFirstOrThrow({ where: { id: 5n } })).hash;
    expect((await runCli(runAudit, chat, ["verify", "--head", kept.toUpperCase()])).code).toBe(0);
    const bad = await runCli(runAudit, chat, ["verify", "--head", "abc"]);
    expect(bad.code).toBe(2);
    expect(bad.err[0]).toBe("--head 要写 64 位十六进制的哈希（audit verify 上次打印的链头）");
  });

  it("refuses to change or delete an audit record", async () => {
    const db = chat.db.prisma;
    await expect(
      db.$executeRawUnsafe("UPDATE audit_records SET raw_text = '同意' WHERE id = 2"),
    ).rejects.toThrow(/append-only \(UPDATE refused\)/);
    await expect(db.auditRecord.deleteMany({ where: { id: 3n } })).rejects.toThrow(/append-only/);
    expect(await verifyAuditChain(db)).toEqual({ ok: true, checked: 6 });
  });

  // What the chain is for: someone with the database owner's rights switches the guard off.
  describe("when the database owner disables the guard", () => {
    beforeEach(() => chat.db.prisma.$executeRawUnsafe(`ALTER TABLE audit_records DISABLE TRIGGER ${GUARD}`));
    afterEach(() => chat.db.prisma.$executeRawUnsafe(`ALTER TABLE audit_records ENABLE TRIGGER ${GUARD}`));

    it("names the first record whose field was changed in the database", async () => {
      const db = chat.db.prisma;
      const before = await db.auditRecord.findUniqueOrThrow({ where: { id: 2n } });
      await db.$executeRawUnsafe("UPDATE audit_records SET raw_text = '同意' WHERE id = 2");
      try {
        expect(await verifyAuditChain(db)).toMatchObject({
          ok: false,
          checked: 1,
          reason: "hash",
          bad: { id: 2n },
        });
        const r = await verifyCli();
        expect(r.code).toBe(1);
        expect(r.err).toEqual([
          "审计记录对不上：第 2 条（编号 2，稿件 #1，驳回，2026-11-26T10:01:00+08:00）：这条记录的内容和它的哈希不符（记录被改过）。前面 1 条完好。",
        ]);
      } finally {
        await db.auditRecord.update({ where: { id: 2n }, data: { rawText: before.rawText } });
      }
      expect((await verifyAuditChain(db)).ok).toBe(true);
    });

    it("catches a change of any field, the time included", async () => {
      const db = chat.db.prisma;
      for (const [column, value] of [
        ["actor_name", "'钱七'"],
        ["at", "at + interval '1 second'"],
        ["action", "'reject'"],
        ["content_sha", "'0'"],
      ] as const) {
        await db.$executeRawUnsafe("BEGIN");
        try {
          await db.$executeRawUnsafe(`UPDATE audit_records SET ${column} = ${value} WHERE id = 4`);
          expect(await verifyAuditChain(db), column).toMatchObject({ ok: false, bad: { id: 4n } });
        } finally {
          await db.$executeRawUnsafe("ROLLBACK");
        }
      }
    });

    it("finds the newest records deleted when given the head kept before", async () => {
      const db = chat.db.prisma;
      const kept = (await db.auditRecord.findFirstOrThrow({ where: { id: 6n } })).hash;
      await db.$executeRawUnsafe("BEGIN");
      try {
        await db.$executeRawUnsafe("DELETE FROM audit_records WHERE id >= 5");
        // The chain alone still looks whole…
        expect(await verifyAuditChain(db)).toEqual({ ok: true, checked: 4 });
        // …the kept head does not.
        const r = await runCli(runAudit, chat, ["verify", "--head", kept]);
        expect(r.code).toBe(1);
        expect(r.err).toEqual([
          `审计记录对不上：链上找不到记下的链头 ${kept.slice(0, 12)}…：那条记录或它之后的记录被删除了（也可能这个哈希抄错了）。`,
        ]);
      } finally {
        await db.$executeRawUnsafe("ROLLBACK");
      }
      expect((await runCli(runAudit, chat, ["verify", "--head", kept])).code).toBe(0);
    });

    it("names the record after one that was deleted, and after one whose hash was recomputed", async () => {
      const db = chat.db.prisma;
      await db.$executeRawUnsafe("BEGIN");
      try {
        await db.$executeRawUnsafe("DELETE FROM audit_records WHERE id = 3");
        expect(await verifyAuditChain(db)).toMatchObject({
          ok: false,
          checked: 2,
          reason: "prevHash",
          bad: { id: 4n },
        });
      } finally {
        await db.$executeRawUnsafe("ROLLBACK");
      }
      const row = await db.auditRecord.findUniqueOrThrow({ where: { id: 5n } });
      const forged = auditHash({ ...row, rawText: "伪造" });
      await db.$executeRawUnsafe("BEGIN");
      try {
        await db.$executeRawUnsafe(
          `UPDATE audit_records SET raw_text = '伪造', hash = '${forged}' WHERE id = 5`,
        );
        expect(await verifyAuditChain(db)).toMatchObject({ ok: false, reason: "prevHash", bad: { id: 6n } });
      } finally {
        await db.$executeRawUnsafe("ROLLBACK");
      }
      expect(await verifyAuditChain(db)).toEqual({ ok: true, checked: 6 });
    });
  });
});
