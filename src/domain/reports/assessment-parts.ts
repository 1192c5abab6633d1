import type { Assessment } from "./assessment-types.ts";
import { type CellType, type CellValue, type Column, chineseDate, formatShare } from "./cells.ts";

/**
 * The assessment as numbered parts (一、二、…), each one table: the .docx has a heading and a table
 * per part, the .xlsx a sheet per part, the .md a section per part. Built once here so the formats
 * cannot disagree.
 */
export interface Part {
  /** 一、二、… */
  numeral: string;
  title: string;
  /** Sheet name (at most 31 characters, no []:*?/\). */
  sheet: string;
  /** Paragraphs before the table. */
  intro: string[];
  columns: Column[];
  rows: CellValue[][];
  /** For columns of type "byRow": the type of each row's cell. */
  rowTypes?: CellType[];
  /** Rows left out of the .docx and .md (the .xlsx has them all). */
  note?: string;
}

const NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

const col = (header: string, type: CellType, width = 12): Column => ({ header, type, width });

/** A column of a table part: its header, cell type, width and how to read it from an item. */
type Field<T> = [header: string, type: CellType, width: number, value: (item: T) => CellValue];

/** Each header sits next to the value under it, so the two cannot drift apart. */
function table<T>(items: T[], fields: Field<T>[]): Pick<Part, "columns" | "rows"> {
  return {
    columns: fields.map(([header, type, width]) => col(header, type, width)),
    rows: items.map((item) => fields.map(([, , , value]) => value(item))),
  };
}

export function summarySentence(a: Assessment): string {
  const o = a.overview;
  const p = a.period;
  const due = `${Number(p.last.slice(5, 7))}月${Number(p.last.slice(8, 10))}日`;
  const median = o.medianHours === null ? "" : `，审批用时中位数 ${o.medianHours} 小时`;
  return (
    `${p.year} 年${p.label}，《${a.planTitle}》共 ${o.tasks} 项任务，已完成 ${o.done} 项（完成率 ${formatShare(o.completionRate)}）；` +
    `截止日期在${due}前的 ${o.dueByEnd} 项中已完成 ${o.dueByEndDone} 项，逾期未完成 ${o.overdue} 项。` +
    `期内进度汇报 ${o.reports} 条，举办活动 ${o.eventsHeld} 场；送审稿件 ${o.drafts} 篇，` +
    `通过 ${o.approved} 篇、驳回 ${o.rejected} 篇、过期 ${o.expired} 篇${median}。`
  );
}

export function assessmentParts(a: Assessment, opts: { maxRows?: number } = {}): Part[] {
  const o = a.overview;
  const cap = <T>(rows: T[]) => (opts.maxRows !== undefined ? rows.slice(0, opts.maxRows) : rows);
  const capNote = (n: number, what: string) =>
    opts.maxRows !== undefined && n > opts.maxRows
      ? `（共 ${n} ${what}，这里列出前 ${opts.maxRows} ${what}，全部见 Excel 版。）`
      : undefined;
  const parts: Omit<Part, "numeral">[] = [
    {
      title: "总体情况",
      sheet: "概况",
      intro: [summarySentence(a)],
      columns: [col("指标", "text", 28), col("数值", "byRow", 14)],
      rows: [
        ["任务总数", o.tasks],
        ["已完成", o.done],
        ["完成率", o.completionRate],
        ["截止在期末前的任务", o.dueByEnd],
        ["其中已完成", o.dueByEndDone],
        ["逾期未完成", o.overdue],
        ["进度汇报（条）", o.reports],
        ["举办活动（场）", o.eventsHeld],
        ["送审稿件（篇）", o.drafts],
        ["通过", o.approved],
        ["驳回", o.rejected],
        ["过期", o.expired],
        ["审批用时中位数（小时）", o.medianHours],
      ],
      rowTypes: [
        "int",
        "int",
        "share",
        "int",
        "int",
        "int",
        "int",
        "int",
        "int",
        "int",
        "int",
        "int",
        "hours",
      ],
    },
    {
      title: "各单位完成情况",
      sheet: "各单位",
      intro: ["按牵头单位统计；配合任务只计数，不计入完成率。"],
      ...table(a.units, [
        ["单位", "text", 16, (u) => u.unit],
        ["牵头任务", "int", 10, (u) => u.tasks],
        ["配合任务", "int", 10, (u) => u.support],
        ["期末前到期", "int", 10, (u) => u.dueByEnd],
        ["已完成", "int", 10, (u) => u.done],
        ["完成率", "share", 10, (u) => u.completionRate],
        ["逾期", "int", 8, (u) => u.overdue],
        ["汇报次数", "int", 10, (u) => u.reports],
        ["平均进度", "share", 10, (u) => u.avgProgress],
      ]),
    },
    {
      title: "逾期事项",
      sheet: "逾期事项",
      intro: [
        a.overdue.length
          ? `截至 ${chineseDate(a.period.asOf)}，过了截止日期仍未完成的任务如下（附最后一次汇报的说明）。`
          : `截至 ${chineseDate(a.period.asOf)}，没有逾期未完成的任务。`,
      ],
      ...table(a.overdue, [
        ["单位", "text", 14, (r) => r.unit],
        ["编号", "text", 8, (r) => r.code],
        ["任务", "text", 30, (r) => r.title],
        ["截止日期", "day", 12, (r) => r.due],
        ["进度", "text", 8, (r) => r.progress],
        ["逾期天数", "int", 10, (r) => r.daysLate],
        ["最后说明", "text", 36, (r) => r.lastNote],
        ["说明时间", "time", 18, (r) => r.lastNoteAt],
        ["汇报人", "text", 10, (r) => r.lastNoteBy],
      ]),
    },
    {
      title: "任务进度",
      sheet: "任务进度",
      intro: ["每项任务的目标、期初和期末进度（有计数目标的按次数计）及本期汇报。"],
      ...table(a.tasks, [
        ["编号", "text", 8, (t) => t.code],
        ["任务", "text", 30, (t) => t.title],
        ["牵头单位", "text", 14, (t) => t.lead],
        ["配合单位", "text", 14, (t) => t.support],
        ["目标", "text", 24, (t) => t.target],
        ["目标数", "int", 8, (t) => t.targetCount],
        ["截止日期", "day", 12, (t) => t.due],
        ["期初进度", "percent", 10, (t) => t.percentStart],
        ["期末进度", "percent", 10, (t) => t.percentEnd],
        ["期初计数", "int", 10, (t) => t.countStart],
        ["期末计数", "int", 10, (t) => t.countEnd],
        ["状态", "text", 8, (t) => t.status],
        ["本期汇报", "int", 10, (t) => t.reports],
        ["最后汇报", "time", 18, (t) => t.lastReportAt],
        ["最后说明", "text", 36, (t) => t.lastNote],
      ]),
    },
    {
      title: "进度记录",
      sheet: "进度记录",
      intro: [`本期每一条进度汇报和任务修改，按任务和时间排列；已撤销的标明“已撤销”。`],
      note: capNote(a.history.length, "条"),
      ...table(cap(a.history), [
        ["编号", "text", 8, (h) => h.code],
        ["任务", "text", 24, (h) => h.title],
        ["时间", "time", 18, (h) => h.at],
        ["汇报人", "text", 10, (h) => h.person],
        ["类型", "text", 6, (h) => h.kind],
        ["变化", "text", 16, (h) => h.change],
        ["进度", "percent", 8, (h) => h.percentAfter],
        ["计数", "int", 8, (h) => h.countAfter],
        ["说明", "text", 36, (h) => h.note],
        ["活动", "text", 20, (h) => h.event],
        ["已撤销", "text", 8, (h) => (h.undone ? "已撤销" : "")],
      ]),
    },
    {
      title: "计数目标完成情况",
      sheet: "计数目标",
      intro: ["有计数目标的任务（如“四次新闻发布会”），对照已举办的活动。"],
      ...table(a.targets, [
        ["编号", "text", 8, (t) => t.code],
        ["任务", "text", 28, (t) => t.title],
        ["牵头单位", "text", 14, (t) => t.lead],
        ["类别", "text", 10, (t) => t.kind],
        ["目标数", "int", 8, (t) => t.targetCount],
        ["本期举办", "int", 10, (t) => t.heldInPeriod],
        ["累计举办", "int", 10, (t) => t.heldTotal],
        ["期末计数", "int", 10, (t) => t.countEnd],
        ["完成比例", "share", 10, (t) => t.rate],
      ]),
    },
    {
      title: "已举办活动",
      sheet: "已举办活动",
      intro: [a.events.length ? `本期共举办活动 ${a.events.length} 场。` : "本期没有记为已举办的活动。"],
      ...table(a.events, [
        ["活动编号", "int", 10, (e) => e.id],
        ["时间", "time", 18, (e) => e.at],
        ["类别", "text", 8, (e) => e.kind],
        ["主题", "text", 28, (e) => e.topic],
        ["地点", "text", 16, (e) => e.place],
        ["主讲", "text", 10, (e) => e.speaker],
        ["对应任务", "text", 10, (e) => e.code],
        ["报名人数", "int", 10, (e) => e.signups],
      ]),
    },
    {
      title: "审批情况",
      sheet: "审批情况",
      intro: [
        "按送审时间统计本期送审的稿件；用时为送审到最终决定（通过或驳回）的小时数中位数，过期、撤回的不计。",
      ],
      ...table(a.approvals, [
        ["渠道", "text", 14, (r) => r.channel],
        ["送审", "int", 8, (r) => r.submitted],
        ["通过", "int", 8, (r) => r.approved],
        ["驳回", "int", 8, (r) => r.rejected],
        ["过期", "int", 8, (r) => r.expired],
        ["撤回", "int", 8, (r) => r.withdrawn],
        ["待审", "int", 8, (r) => r.pending],
        ["驳回次数", "int", 10, (r) => r.rejectVotes],
        ["用时中位数（小时）", "hours", 18, (r) => r.medianHours],
      ]),
    },
  ];
  return parts.map((p, i) => ({ ...p, numeral: NUMERALS[i] ?? String(i + 1) }));
}
