import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAudit } from "../../src/cli/audit.ts";
import { AUDIT_COLUMNS } from "../../src/domain/audit/export.ts";
import { DIRECTORY, GROUP, runCli, START, WEIBO } from "../approvals/support.ts";
import { startTestBot, type TestBot } from "../support/chat.ts";

let chat: TestBot;
const dir = mkdtempSync(join(tmpdir(), "huibao-audit-"));

beforeAll(async () => {
  chat = await startTestBot({ directory: DIRECTORY, now: START });
  // 26 Nov: submit, and a rejection with a comma, quotes and a line break, starting with "@" as a
  // spreadsheet formula may.
  await chat.group(GROUP).as("张三").says(WEIBO).replies();
  await chat.group(GROUP).as("李四").says('@汇报 驳回 =SUM(A1)，"数字"不对\n第二行').replies();
  // 27 Nov, 10:00 Shanghai: the edit; 30 Nov: an approval, outside the range exported below.
  chat.clock.set("2026-11-27T02:00:00Z");
  await chat.group(GROUP).as("张三").says("修改 #1 新正文").replies();
  chat.clock.set("2026-11-30T02:00:00Z");
  await chat.group(GROUP).as("王五").says("同意").replies();
});
afterAll(async () => {
  await chat?.close();
  rmSync(dir, { recursive: true, force: true });
});

const audit = (...argv: string[]) => runCli(runAudit, chat, argv);

/** RFC 4180, enough for reading our own file back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  return rows;
}

describe("huibao audit export", () => {
  it("writes a CSV of the records in the range that reads back, with the Chinese intact", async () => {
    const file = join(dir, "audit.csv");
    const r = await audit("export", "--from", "2026-11-26", "--to", "2026-11-27", "--out", file);
    expect(r).toEqual({
      code: 0,
      out: [
        `已导出 3 条审计记录到 ${file}（2026-11-26T00:00:00+08:00 至 2026-11-28T00:00:00+08:00，不含结束时刻）。`,
      ],
      err: [],
    });
    const text = readFileSync(file, "utf8");
    expect(text.startsWith("\uFEFF")).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual([...AUDIT_COLUMNS]);
    expect(rows.slice(1).map((row) => [row[1], row[2], row[5], row[7], row[8]])).toEqual([
      ["2026-11-26T10:00:00+08:00", "#1", "张三", "送审", "submit"],
      ["2026-11-26T10:00:00+08:00", "#1", "李四", "驳回", "reject"],
      ["2026-11-27T10:00:00+08:00", "#1", "张三", "修改", "edit"],
    ]);
    // Typed text that a spreadsheet would run as a formula is kept as text.
    expect(rows[2]?.[9]).toBe(`'@汇报 驳回 =SUM(A1)，"数字"不对\n第二行`);
    const stored = await chat.db.prisma.auditRecord.findMany({ orderBy: { id: "asc" }, take: 3 });
    expect(rows.slice(1).map((row) => row[13])).toEqual(stored.map((s) => s.hash));
  });

  it("writes the same rows as an Excel workbook", async () => {
    const file = join(dir, "audit.xlsx");
    const r = await audit("export", "--from", "2026-11-26", "--to", "2026-11-30", "--out", file);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^已导出 5 条审计记录/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const sheet = book.getWorksheet("审计记录");
    const values = (n: number) => ((sheet?.getRow(n).values ?? []) as unknown[]).slice(1);
    expect(values(1)).toEqual([...AUDIT_COLUMNS]);
    expect(sheet?.rowCount).toBe(6);
    expect(values(3).slice(5, 10)).toEqual([
      "李四",
      "第1级审批人「科室负责人」",
      "驳回",
      "reject",
      '@汇报 驳回 =SUM(A1)，"数字"不对\n第二行',
    ]);
    expect(values(6).slice(7, 9)).toEqual(["本级通过", "pass"]);
  });

  it("explains wrong usage with exit 2", async () => {
    for (const argv of [
      ["export", "--from", "2026-11-26", "--out", join(dir, "x.csv")],
      ["export", "--from", "11月26日", "--to", "2026-11-27", "--out", join(dir, "x.csv")],
      ["export", "--from", "2026-11-26", "--to", "2026-11-27", "--out", join(dir, "x.pdf")],
      ["export", "--from", "2026-11-27", "--to", "2026-11-26", "--out", join(dir, "x.csv")],
      ["verify", "extra"],
      [],
    ]) {
      const r = await audit(...argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.err.join("\n")).toContain("huibao audit export --from 日期 --to 日期");
    }
  });
});
