import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { progressFrame, type ReportIO, runReport } from "../../src/cli/report.ts";
import { loadAssessment } from "../../src/domain/reports/assessment-data.ts";
import type { Assessment } from "../../src/domain/reports/assessment-types.ts";
import { renderAssessment } from "../../src/domain/reports/write.ts";
import { startTestBot, type TestBot } from "../support/chat.ts";
import { ASSESSMENT_NOW, seedAssessment } from "./assessment-seed.ts";
import { DIRECTORY } from "./support.ts";
import { unzip, wordParagraphs, wordTables } from "./unzip.ts";

const TZ = "Asia/Shanghai";
let chat: TestBot;
let dir: string;
let a: Assessment;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "huibao-reports-"));
  chat = await startTestBot({ directory: DIRECTORY, now: ASSESSMENT_NOW, settings: { reportsDir: dir } });
  await seedAssessment(chat.db.prisma);
  a = await loadAssessment(chat.db.prisma, {
    year: 2021,
    half: 1,
    now: new Date(ASSESSMENT_NOW),
    timezone: TZ,
  });
});

afterAll(async () => {
  await chat?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the first half of 2021, read from the tables", () => {
  it("counts tasks, completion, overdue items, reports, events and approvals as of 30 June", () => {
    expect(a.title).toBe("滨江市城市管理局 2021 年上半年宣传工作考核情况");
    expect(a.period).toMatchObject({
      first: "2021-01-01",
      last: "2021-06-30",
      asOf: "2021-06-30",
      complete: true,
    });
    expect(a.overview).toEqual({
      tasks: 6,
      done: 1,
      completionRate: 1 / 6,
      dueByEnd: 3,
      dueByEndDone: 1,
      overdue: 2,
      reports: 7,
      eventsHeld: 2,
      drafts: 6,
      approved: 2,
      rejected: 1,
      expired: 1,
      medianHours: 5,
    });
  });

  it("shows each task's progress at the start and the end of the half, not today's", () => {
    const row = (code: string) => a.tasks.find((t) => t.code === code);
    expect(a.tasks.map((t) => t.code)).toEqual(["1.1", "1.2", "1.3", "2.1", "2.2", "2.10"]);
    expect(row("1.1")).toMatchObject({
      percentStart: 0,
      percentEnd: 50,
      reports: 2,
      status: "进行中",
      lastNote: "五月集中学习",
    });
    expect(row("1.2")).toMatchObject({
      target: "两期城市管理专题讲座",
      targetCount: 2,
      countStart: 0,
      countEnd: 1,
      lead: "宣传科",
      support: "城东分局",
    });
    expect(row("1.3")).toMatchObject({ countEnd: 2, reports: 2, status: "逾期", lastNote: "第二期培训已办" });
    expect(row("2.1")).toMatchObject({ percentStart: 0, percentEnd: 100, status: "已完成" });
    expect(row("2.2")).toMatchObject({ lead: "各分局", status: "逾期", reports: 0 });
    expect(row("2.10")).toMatchObject({ status: "未开始" });
  });

  it("keeps the history of the half with taken-back reports marked, and leaves later ones out", () => {
    expect(a.history.map((h) => `${h.code} ${h.change}${h.undone ? " 已撤销" : ""}`)).toEqual([
      "1.1 0%→30%",
      "1.1 30%→50%",
      "1.2 +1（1/2）",
      "1.3 +1（1/3）",
      "1.3 +1（2/3）",
      "1.3 +1（3/3） 已撤销",
      "2.1 0%→40%",
      "2.1 完成",
    ]);
    expect(a.history.find((h) => h.code === "1.2")?.event).toBe("#1 城市管理专题讲座（一）");
  });

  it("lists overdue items with how late they are and the last note", () => {
    const byCode = Object.fromEntries(a.overdue.map((o) => [o.code, o]));
    expect(byCode["1.3"]).toMatchObject({
      unit: "环卫处",
      due: "2021-06-30",
      progress: "2/3",
      daysLate: 1,
      lastNote: "第二期培训已办",
      lastNoteBy: "李四",
    });
    expect(byCode["1.3"]?.lastNoteAt?.toISOString()).toBe("2021-06-20T02:00:00.000Z");
    expect(byCode["2.2"]).toMatchObject({ unit: "各分局", progress: "0%", daysLate: 92, lastNote: "" });
    // Directory units in the order of the units table, names the directory does not know last.
    expect(a.overdue.map((o) => o.unit)).toEqual(["环卫处", "各分局"]);
  });

  it("sets held events against counted targets and measures approvals by channel", () => {
    expect(a.targets).toEqual([
      {
        code: "1.2",
        title: "开展专题讲座",
        lead: "宣传科",
        kind: "讲座",
        targetCount: 2,
        heldInPeriod: 1,
        heldTotal: 1,
        countEnd: 1,
        rate: 0.5,
      },
      {
        code: "1.3",
        title: "组织业务培训",
        lead: "环卫处",
        kind: "培训",
        targetCount: 3,
        heldInPeriod: 0,
        heldTotal: 0,
        countEnd: 2,
        rate: 2 / 3,
      },
    ]);
    expect(a.events.map((e) => [e.topic, e.code, e.signups])).toEqual([
      ["城市管理专题讲座（一）", "1.2", 3],
      ["环卫工人节慰问", "", 0],
    ]);
    const ch = Object.fromEntries(a.approvals.map((r) => [r.channel, r]));
    expect(ch.微博).toMatchObject({
      submitted: 3,
      approved: 2,
      withdrawn: 1,
      rejectVotes: 1,
      medianHours: 7,
    });
    expect(ch.网站).toMatchObject({ submitted: 2, rejected: 1, expired: 1, rejectVotes: 1, medianHours: 2 });
    expect(ch.微信公众号).toMatchObject({ submitted: 1, pending: 1, medianHours: null });
    expect(a.approvals.at(-1)).toMatchObject({
      channel: "合计",
      submitted: 6,
      rejectVotes: 2,
      medianHours: 5,
    });
  });

  it("refuses a year without a plan and a half that has not begun", async () => {
    const load = (year: number, half: 1 | 2) =>
      loadAssessment(chat.db.prisma, { year, half, now: new Date(ASSESSMENT_NOW), timezone: TZ });
    await expect(load(2019, 1)).rejects.toThrow("没有 2019 年的工作计划");
    await expect(load(2022, 1)).rejects.toThrow("2022 年上半年还没开始");
  });

  it("counts a half still running up to now", async () => {
    const h2 = await loadAssessment(chat.db.prisma, {
      year: 2021,
      half: 2,
      now: new Date(ASSESSMENT_NOW),
      timezone: TZ,
    });
    expect(h2.period).toMatchObject({ complete: false, asOf: "2021-07-05" });
    expect(h2.title).toBe("滨江市城市管理局 2021 年下半年宣传工作考核情况");
    expect(h2.overview).toMatchObject({ eventsHeld: 1, drafts: 1, approved: 1, reports: 0 });
    // 1.1 stood at 50% on 1 July and the August report has not happened yet on 5 July's clock.
    expect(h2.tasks.find((t) => t.code === "1.1")).toMatchObject({ percentStart: 50, percentEnd: 50 });
  });
});

describe("the files, read back", () => {
  it("xlsx: one sheet per part, with numeric cells and percentage formats", async () => {
    const wb = await workbook(await renderAssessment(a, "xlsx"));
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      "概况",
      "各单位",
      "逾期事项",
      "任务进度",
      "进度记录",
      "计数目标",
      "已举办活动",
      "审批情况",
    ]);
    const rowOf = (sheet: string, first: string) => {
      const ws = wb.getWorksheet(sheet);
      let found: ExcelJS.Row | undefined;
      ws?.eachRow((r) => {
        if (r.getCell(1).value === first) found = r;
      });
      if (!found) throw new Error(`${sheet}: no row ${first}`);
      return found;
    };
    const overview = rowOf("概况", "完成率").getCell(2);
    expect(overview.value).toBeCloseTo(1 / 6, 10);
    expect(overview.numFmt).toBe("0.0%");
    expect(rowOf("概况", "任务总数").getCell(2).value).toBe(6);
    expect(rowOf("概况", "审批用时中位数（小时）").getCell(2).value).toBe(5);

    const unit = rowOf("各单位", "宣传科");
    expect([2, 3, 4, 5, 7, 8].map((c) => unit.getCell(c).value)).toEqual([3, 0, 1, 1, 0, 5]);
    expect(unit.getCell(6).value).toBeCloseTo(1 / 3, 10);
    expect(unit.getCell(6).numFmt).toBe("0.0%");
    expect(unit.getCell(9).value).toBeCloseTo(2 / 3, 10);
    expect(rowOf("各单位", "环卫处").getCell(7).value).toBe(1);

    const task = rowOf("任务进度", "1.1");
    expect(task.getCell(9).value).toBe(0.5);
    expect(task.getCell(9).numFmt).toBe("0%");
    expect(rowOf("任务进度", "1.2").getCell(11).value).toBe(1);
    const due = rowOf("任务进度", "1.3").getCell(7).value as Date;
    expect(due.toISOString()).toBe("2021-06-30T00:00:00.000Z");

    const late = rowOf("逾期事项", "各分局");
    expect(late.getCell(6).value).toBe(92);
    // Times are wall-clock in the bot's zone: 20 June 10:00 in Shanghai.
    expect((rowOf("逾期事项", "环卫处").getCell(8).value as Date).toISOString()).toBe(
      "2021-06-20T10:00:00.000Z",
    );

    expect(rowOf("计数目标", "1.3").getCell(9).value).toBeCloseTo(2 / 3, 10);
    const total = rowOf("审批情况", "合计");
    expect([2, 3, 4, 5, 6, 7, 8, 9].map((c) => total.getCell(c).value)).toEqual([6, 2, 1, 1, 1, 1, 2, 5]);
    expect(wb.getWorksheet("进度记录")?.rowCount).toBe(1 + 8);
  });

  it("docx: an official report with a title block, numbered headings and tables of the same numbers", async () => {
    const files = unzip((await renderAssessment(a, "docx")) as Buffer);
    const xml = files.get("word/document.xml")?.toString("utf8") ?? "";
    const paragraphs = wordParagraphs(xml).filter((p) => p.text !== "");
    expect(paragraphs[0]).toEqual({ style: "Title", text: "滨江市城市管理局 2021 年上半年宣传工作考核情况" });
    expect(paragraphs[1]?.text).toBe("（统计时段：2021年1月1日—2021年6月30日）");
    expect(paragraphs[2]?.text).toBe("报告日期：2021年7月5日");
    expect(paragraphs.filter((p) => p.style === "Heading1").map((p) => p.text)).toEqual([
      "一、总体情况",
      "二、各单位完成情况",
      "三、逾期事项",
      "四、任务进度",
      "五、进度记录",
      "六、计数目标完成情况",
      "七、已举办活动",
      "八、审批情况",
    ]);
    expect(paragraphs.find((p) => p.text.startsWith("2021 年上半年"))?.text).toContain(
      "共 6 项任务，已完成 1 项（完成率 16.7%）",
    );
    const tables = wordTables(xml);
    expect(tables).toHaveLength(8);
    expect(tables[1]?.[0]).toEqual([
      "单位",
      "牵头任务",
      "配合任务",
      "期末前到期",
      "已完成",
      "完成率",
      "逾期",
      "汇报次数",
      "平均进度",
    ]);
    expect(tables[1]?.find((r) => r[0] === "宣传科")).toEqual([
      "宣传科",
      "3",
      "0",
      "1",
      "1",
      "33.3%",
      "0",
      "5",
      "66.7%",
    ]);
    expect(tables[2]?.find((r) => r[1] === "1.3")).toEqual([
      "环卫处",
      "1.3",
      "组织业务培训",
      "2021-06-30",
      "2/3",
      "1",
      "第二期培训已办",
      "2021-06-20 10:00",
      "李四",
    ]);
    expect(tables[7]?.at(-1)).toEqual(["合计", "6", "2", "1", "1", "1", "1", "2", "5.0"]);
    // The wide task table is in a landscape section; the title page is portrait.
    expect(xml).toMatch(/w:orient="landscape"/);
    expect(files.get("word/footer1.xml")?.toString("utf8")).toContain("PAGE");
  });

  it("csv: the per-task table in UTF-8 with a byte-order mark, numbers bare", async () => {
    const text = (await renderAssessment(a, "csv")) as string;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual([
      "编号",
      "任务",
      "牵头单位",
      "配合单位",
      "目标",
      "目标数",
      "截止日期",
      "期初进度（%）",
      "期末进度（%）",
      "期初计数",
      "期末计数",
      "状态",
      "本期汇报",
      "最后汇报",
      "最后说明",
    ]);
    expect(rows).toHaveLength(7);
    expect(rows.find((r) => r[0] === "1.1")).toEqual([
      "1.1",
      "落实集中学习制度",
      "宣传科",
      "",
      "",
      "",
      "2021-12-31",
      "0",
      "50",
      "0",
      "0",
      "进行中",
      "2",
      "2021-05-20 10:00",
      "五月集中学习",
    ]);
    expect(rows.find((r) => r[0] === "1.3")?.slice(9, 13)).toEqual(["0", "2", "逾期", "2"]);
  });

  it("md: every part as a section with a table", async () => {
    const md = (await renderAssessment(a, "md")) as string;
    expect(md.startsWith("# 滨江市城市管理局 2021 年上半年宣传工作考核情况\n")).toBe(true);
    expect(md.match(/^## .+$/gm)).toEqual([
      "## 一、总体情况",
      "## 二、各单位完成情况",
      "## 三、逾期事项",
      "## 四、任务进度",
      "## 五、进度记录",
      "## 六、计数目标完成情况",
      "## 七、已举办活动",
      "## 八、审批情况",
    ]);
    expect(md).toContain("| 宣传科 | 3 | 0 | 1 | 1 | 33.3% | 0 | 5 | 66.7% |");
    expect(md).toContain("| 完成率 | 16.7% |");
    expect(md).toContain("| 合计 | 6 | 2 | 1 | 1 | 1 | 1 | 2 | 5.0 |");
  });
});

describe("huibao report", () => {
  function io(progress = false) {
    const out: string[] = [];
    const err: string[] = [];
    const frames: string[] = [];
    const written: string[] = [];
    const deps: ReportIO = {
      db: chat.db.prisma,
      now: () => new Date(ASSESSMENT_NOW),
      timezone: TZ,
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      write: (c) => written.push(c),
      progress: progress ? (f) => frames.push(f) : undefined,
    };
    return { deps, out, err, frames, written };
  }

  it("writes the format asked for, or the one the file name says", async () => {
    const docx = join(dir, "h1.docx");
    const r = io();
    expect(await runReport(["--year", "2021", "--half", "1", "--out", docx], r.deps)).toBe(0);
    expect(r.out).toEqual([`已写入 ${docx}：滨江市城市管理局 2021 年上半年宣传工作考核情况（任务 6 项）`]);
    expect(unzip(readFileSync(docx)).has("word/document.xml")).toBe(true);
    const csv = join(dir, "tasks.txt");
    expect(await runReport(["--half", "上半年", "--format", "csv", "--out", csv], io().deps)).toBe(0);
    expect(readFileSync(csv, "utf8").startsWith("\uFEFF编号,任务,")).toBe(true);
  });

  it("prints Markdown to stdout with --out -", async () => {
    const r = io();
    expect(await runReport(["--half", "1", "--format", "md", "--out", "-"], r.deps)).toBe(0);
    expect(r.written.join("")).toMatch(/^# 滨江市城市管理局 2021 年上半年宣传工作考核情况\n/);
  });

  it("draws a progress bar unit by unit on stderr", async () => {
    const r = io(true);
    expect(await runReport(["--half", "1", "--out", join(dir, "p.xlsx")], r.deps)).toBe(0);
    const clear = "\r\u001b[K";
    expect(r.frames.at(-1)).toBe(clear);
    const shown = r.frames.filter((f) => f !== clear).map((f) => f.slice(1, -"\u001b[K".length));
    expect(shown.map((f) => f.replace(/^\[[█░]+\] /, ""))).toEqual([
      "0/3 宣传科",
      "1/3 环卫处",
      "2/3 未对应单位",
      "3/3 活动和审批",
      "1/1 生成 xlsx",
    ]);
    expect(progressFrame(1, 2, "环卫处")).toBe(`[${"█".repeat(12)}${"░".repeat(12)}] 1/2 环卫处`);
  });

  it("explains an unknown format, a missing plan and a path it cannot write", async () => {
    let r = io();
    expect(await runReport(["--half", "1", "--format", "pdf"], r.deps)).toBe(2);
    expect(r.err[0]).toBe("不支持的格式：pdf（可以用 xlsx、docx、csv、md）");
    r = io();
    expect(await runReport(["--half", "3"], r.deps)).toBe(2);
    expect(r.err[0]).toContain("--half 只能是 1（上半年）或 2（下半年）");
    r = io();
    expect(await runReport(["--year", "2019", "--half", "1", "--out", join(dir, "x.xlsx")], r.deps)).toBe(1);
    expect(r.err).toEqual(["没有 2019 年的工作计划。请先导入（huibao plan import 文件）。"]);
    r = io();
    const missing = join(dir, "no-such-folder", "x.xlsx");
    expect(await runReport(["--half", "1", "--out", missing], r.deps)).toBe(1);
    expect(r.err).toEqual([`无法写入 ${missing}：目录不存在`]);
    r = io();
    expect(await runReport(["--half", "1", "--out", dir], r.deps)).toBe(1);
    expect(r.err).toEqual([`无法写入 ${dir}：这是一个目录`]);
    r = io();
    expect(await runReport(["--half", "1", "--format", "xlsx", "--out", "-"], r.deps)).toBe(2);
    expect(r.err[0]).toBe("xlsx 不能输出到屏幕，请用 --out 指定文件");
  });
});

describe("考核 in chat", () => {
  it("posts the summary and writes the workbook under REPORTS_DIR", async () => {
    const reply = await chat
      .group("领导群")
      .as("王局长")
      .says("考核 上半年")
      .expectReply(/2021 年上半年考核/);
    expect(reply).toContain("统计截至 6月30日");
    expect(reply).toContain("任务 6 项，已完成 1 项（16.7%），逾期 2 项");
    expect(reply).toContain("宣传科 完成 1/3（33.3%），逾期 0");
    expect(reply).toContain("送审 6 篇：通过 2、驳回 1、过期 1，审批用时中位数 5 小时");
    const file = join(dir, "2021年上半年考核.xlsx");
    expect(reply).toContain(`完整报表（Excel）：${file}`);
    const wb = await workbook(readFileSync(file));
    expect(wb.getWorksheet("概况")?.getRow(2).getCell(2).value).toBe(6);
  });

  it("takes a year, says when a half is still running, and explains mistakes", async () => {
    const g = chat.group("领导群").as("王局长");
    await g.says("考核 下半年 2021").expectReply(/2021 年下半年考核（进行中，统计截至 7月5日）/);
    await g.says("考核 下半年 2022年").expectReply("2022 年下半年还没开始。");
    await g.says("考核 2019 上半年").expectReply(/没看懂「2019」/);
    await g.says("考核 上半年 2019").expectReply(/没有 2019 年的工作计划/);
  });

  it("is for leaders and admins", async () => {
    const reply = await chat.group("宣传科工作群").as("张三").says("考核 上半年").replies();
    expect(reply).toHaveLength(1);
    expect(reply[0]).not.toContain("考核（");
    expect(reply[0]).toMatch(/领导/);
  });
});

async function workbook(content: Buffer | string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  // exceljs declares a Buffer type of its own; a Node Buffer is what it reads.
  await wb.xlsx.load(content as unknown as ExcelJS.Buffer);
  return wb;
}

/** RFC 4180 fields: quoted fields may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  return rows;
}
