import type { BoardPage } from "./board.ts";
import { barWithAmount, shorten, taskLine } from "./format.ts";
import type { OverduePage, OverdueTask } from "./overdue.ts";
import { shortName } from "./units.ts";
import { formatDay } from "./zone.ts";

/** Tasks per reply: a phone screen or two. */
export const PER_PAGE = 15;

const pageNote = (page: number, pages: number) => (pages > 1 ? `，第 ${page}/${pages} 页` : "");

/**
 * A board page: "宣传科的任务（共 37 项，第 1/3 页）：", the lines, and how to see the next page.
 * `command(n)` is what to send for page n.
 */
export function boardText(
  board: BoardPage,
  title: string,
  today: string,
  command: (page: number) => string,
): string {
  const lines = [`${title}（共 ${board.total} 项${pageNote(board.page, board.pages)}）：`];
  for (const t of board.tasks) lines.push(taskLine(t, today, { supportOnly: t.supportOnly }));
  if (board.page < board.pages) lines.push(`下一页：发「${command(board.page + 1)}」`);
  return lines.join("\n");
}

export function pageOutOfRange(page: number, pages: number, command: (page: number) => string): string {
  return `没有第 ${page} 页，只有 ${pages} 页。发「${command(pages)}」看最后一页。`;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function groupName(t: OverdueTask): string {
  if (t.unit) return shortName(t.unit);
  return t.leadText.length ? t.leadText.join("、") : "未指定负责单位";
}

/** 逾期: tasks grouped under their lead unit, each with how many days late. */
export function overdueText(
  overdue: OverduePage,
  today: string,
  scope: string,
  command: (page: number) => string,
): string {
  const lines = [
    `${scope}逾期未完成 ${overdue.tasks} 项（今天 ${formatDay(today, today)}${pageNote(overdue.page, overdue.pages)}）：`,
  ];
  let group: string | undefined;
  for (const t of overdue.rows) {
    const name = groupName(t);
    if (name !== group) lines.push(`【${name}】`);
    group = name;
    const due = t.due ?? today;
    lines.push(
      `${t.code} ${shorten(t.title, 14)} ${barWithAmount(t)} 截止 ${formatDay(due, today)} 逾期${daysBetween(due, today)}天`,
    );
  }
  if (overdue.page < overdue.pages) lines.push(`下一页：发「${command(overdue.page + 1)}」`);
  return lines.join("\n");
}

/** "2", "２", "第2页" → 2; anything else → null. */
export function parsePage(text: string): number | null {
  const m = /^第?(\d{1,4})页?$/u.exec(text.normalize("NFKC").trim());
  const n = m ? Number(m[1]) : Number.NaN;
  return n >= 1 ? n : null;
}
