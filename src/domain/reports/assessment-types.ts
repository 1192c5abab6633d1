import type { Period } from "./period.ts";

/**
 * The half-year assessment (上半年/下半年考核) as plain rows, one list per part of the report. Every
 * file format is written from this; numbers stay numbers (shares are 0…1, percents 0…100).
 */
export interface Assessment {
  /** "滨江市城市管理局 2021 年上半年宣传工作考核情况" */
  title: string;
  issuer: string | null;
  planTitle: string;
  period: Period;
  generatedAt: Date;
  timezone: string;
  overview: Overview;
  units: UnitRow[];
  tasks: TaskRow[];
  history: HistoryRow[];
  overdue: OverdueRow[];
  targets: TargetRow[];
  events: HeldEventRow[];
  approvals: ApprovalRow[];
}

export interface Overview {
  tasks: number;
  done: number;
  /** done / tasks, 0…1 */
  completionRate: number;
  /** Tasks due by the last day of the half. */
  dueByEnd: number;
  dueByEndDone: number;
  overdue: number;
  /** Progress reports in the half (taken-back ones not counted). */
  reports: number;
  eventsHeld: number;
  drafts: number;
  approved: number;
  rejected: number;
  expired: number;
  /** Median hours from submission to decision; null without decisions. */
  medianHours: number | null;
}

export interface UnitRow {
  unit: string;
  /** Tasks it leads. */
  tasks: number;
  /** Tasks it supports. */
  support: number;
  dueByEnd: number;
  done: number;
  /** done / tasks, 0…1 */
  completionRate: number;
  overdue: number;
  reports: number;
  /** Mean progress of the tasks it leads at the cutoff, 0…1 */
  avgProgress: number;
}

export type TaskStatus = "已完成" | "逾期" | "进行中" | "未开始";

export interface TaskRow {
  code: string;
  section: string;
  title: string;
  lead: string;
  support: string;
  /** The targets as written ("四次新闻发布会"). */
  target: string;
  targetCount: number | null;
  due: string | null;
  percentStart: number;
  percentEnd: number;
  countStart: number;
  countEnd: number;
  status: TaskStatus;
  /** Progress reports in the half. */
  reports: number;
  lastReportAt: Date | null;
  lastNote: string;
}

export interface HistoryRow {
  code: string;
  title: string;
  at: Date;
  person: string;
  /** 进度 | 计数 | 完成 | 修改 */
  kind: string;
  change: string;
  percentAfter: number;
  countAfter: number;
  note: string;
  /** The held event it came from, "#5 垃圾分类知识". */
  event: string;
  /** Taken back with 撤销. */
  undone: boolean;
}

export interface OverdueRow {
  unit: string;
  code: string;
  title: string;
  due: string;
  percent: number;
  progress: string;
  daysLate: number;
  lastNote: string;
  lastNoteAt: Date | null;
  lastNoteBy: string;
}

export interface TargetRow {
  code: string;
  title: string;
  lead: string;
  /** 讲座 | 新闻发布会 | … */
  kind: string;
  targetCount: number;
  /** Events held in the half that count for it. */
  heldInPeriod: number;
  /** Events held up to the cutoff (the year so far). */
  heldTotal: number;
  countEnd: number;
  /** countEnd / targetCount, 0…1 */
  rate: number;
}

export interface HeldEventRow {
  id: number;
  at: Date;
  kind: string;
  topic: string;
  place: string;
  speaker: string;
  code: string;
  signups: number;
}

export interface ApprovalRow {
  /** A channel, or "合计". */
  channel: string;
  submitted: number;
  approved: number;
  rejected: number;
  expired: number;
  withdrawn: number;
  pending: number;
  /** Reject votes cast (a draft rejected, edited and approved still shows its rejection here). */
  rejectVotes: number;
  medianHours: number | null;
}

export type ProgressCallback = (done: number, total: number, label: string) => void;
