import { type CommandContext, defineCommand, UserError } from "../src/bot/command.ts";
import { hasRole } from "../src/domain/directory/roles.ts";
import { setTaskDue, setTaskOwners } from "../src/domain/tasks/admin.ts";
import { boardPage } from "../src/domain/tasks/board.ts";
import { boardText, PER_PAGE, pageOutOfRange, parsePage } from "../src/domain/tasks/board-text.ts";
import { parseTaskCode } from "../src/domain/tasks/code.ts";
import { parseTaskFields } from "../src/domain/tasks/fields.ts";
import type { TaskDetail } from "../src/domain/tasks/find.ts";
import { lookupTask, NO_PLAN } from "../src/domain/tasks/lookup.ts";
import { currentPlan } from "../src/domain/tasks/plan.ts";
import { chatUnit } from "../src/domain/tasks/scope.ts";
import { readDue, readUnits } from "../src/domain/tasks/task-input.ts";
import { findUnit, shortName, type UnitRef } from "../src/domain/tasks/units.ts";
import { taskView } from "../src/domain/tasks/view.ts";
import { dayInZone } from "../src/domain/tasks/zone.ts";

const ALL = new Set(["全部", "所有", "all"]);

async function list(ctx: CommandContext, scope: "here" | "all" | string, pageText: string | undefined) {
  const { services, message, person } = ctx;
  const page = pageText === undefined ? 1 : parsePage(pageText);
  if (page === null) throw new UserError(`「${pageText}」不是页码。例如「任务 全部 2」看第 2 页。`);
  const plan = await currentPlan(services.db);
  if (!plan) throw new UserError(NO_PLAN);
  let unit: { id: number; name: string; aliases: string[] } | null = null;
  let title = "全部任务";
  let command = (n: number) => `任务 全部 ${n}`;
  if (scope === "here") {
    unit = await chatUnit(services.db, message, person.unitId);
    if (!unit) {
      throw new UserError("这里没有对应的单位。发「任务 全部」看全部任务，或「任务 单位名」看某个单位的。");
    }
    command = (n) => `任务 ${n}`;
  } else if (scope !== "all") {
    unit = await findUnit(services.db, scope);
    if (!unit)
      throw new UserError(
        `没有叫「${scope}」的单位或任务。发「单位」查看单位简称，任务编号写成「2.2」这样。`,
      );
    const name = shortName(unit);
    command = (n) => `任务 ${name} ${n}`;
  }
  if (unit) title = `${shortName(unit)}的任务`;
  const board = await boardPage(services.db, {
    planId: plan.id,
    unitId: unit?.id,
    page,
    perPage: PER_PAGE,
  });
  if (board.total === 0)
    return unit ? `${shortName(unit)}在${plan.title}里没有任务。` : `${plan.title}里没有任务。`;
  if (board.tasks.length === 0) return pageOutOfRange(page, board.pages, command);
  return boardText(board, title, dayInZone(services.clock.now(), services.timezone), command);
}

async function units(ctx: CommandContext, names: string[]): Promise<UnitRef[]> {
  const r = await readUnits(ctx.services.db, names);
  if (!r.ok) throw new UserError(r.message);
  return r.units;
}

async function edit(ctx: CommandContext, task: TaskDetail, text: string): Promise<string> {
  const { services, person, message } = ctx;
  if (!hasRole(person, "admin"))
    throw new UserError(`只有管理员可以修改任务。查看任务发「任务 ${task.code}」。`);
  const fields = parseTaskFields(text);
  if (fields.title || fields.target !== undefined || (!fields.due && !fields.lead && !fields.support)) {
    throw new UserError(
      `看不懂「${text}」。管理员可以这样改：\n任务 ${task.code} 负责 宣传科 配合 环卫处\n任务 ${task.code} 截止 6月30日`,
    );
  }
  const at = services.clock.now();
  // Everything is checked before anything is written.
  const lead = fields.lead ? await units(ctx, fields.lead) : undefined;
  const support = fields.support ? await units(ctx, fields.support) : undefined;
  const due =
    fields.due === undefined ? undefined : readDue(fields.due, { now: at, timezone: services.timezone });
  if (due && !due.ok) throw new UserError(due.message);

  const meta = { personId: person.id, platform: message.platform, messageId: message.messageId, at };
  const done: string[] = [];
  if (lead || support) {
    const r = await setTaskOwners(services.db, task.id, { lead, support }, meta);
    if (!r.ok) throw new UserError(`任务 ${task.code} 不存在了。`);
    if (lead) done.push(`负责 ${lead.map(shortName).join("、") || "无"}`);
    if (support) done.push(`配合 ${support.map(shortName).join("、") || "无"}`);
  }
  if (due?.ok) {
    // One message, two history rows: the second needs its own key.
    const messageId = done.length ? `${message.messageId}#due` : message.messageId;
    const r = await setTaskDue(services.db, task.id, due.day, { ...meta, messageId });
    if (!r.ok) throw new UserError(`任务 ${task.code} 不存在了。`);
    done.push(due.text);
  }
  return `已修改 ${task.code}：${done.join("，")}。`;
}

async function view(ctx: CommandContext, code: string, year?: number): Promise<string> {
  const { services } = ctx;
  const found = await lookupTask(services.db, code, year);
  if (!found.ok) throw new UserError(found.message);
  return taskView(
    services.db,
    found.task,
    services.timezone,
    dayInZone(services.clock.now(), services.timezone),
  );
}

export default defineCommand({
  name: "任务",
  aliases: ["tasks", "task"],
  args: [
    { name: "what", type: "word", optional: true, label: { zh: "全部/单位/编号", en: "all/unit/code" } },
    { name: "more", type: "text", optional: true, label: { zh: "页码", en: "page" } },
  ],
  permission: "anyone",
  summary: { zh: "看任务和进度", en: "tasks and their progress" },
  help: {
    zh: [
      "「任务」看本群单位（一对一时是你的单位）的任务；「任务 全部」看全部；「任务 环卫处」看某个单位的。",
      "每行是编号、标题、进度条（百分比，或有计数目标的 2/4）和截止日期；✅ 已完成，⚠️逾期 已过截止日期。",
      "每页 15 项，后面加页码看下一页，如「任务 全部 2」。",
      "「任务 2.2」看一项任务的内容、负责单位、目标和全部汇报记录。",
      "看的是最新一年的工作计划；往年的任务写上年份，如「任务 2020 2.2」。",
      "管理员：「任务 2.2 负责 宣传科 配合 环卫处」改负责单位（写「无」清空），「任务 2.2 截止 6月30日」改截止日期。",
    ].join("\n"),
    en: [
      "Tasks of this group's unit (in a one-to-one chat: your unit); 全部 for all, or a unit name.",
      "15 per page; add a page number for more. 任务 2.2 shows one task with its full history.",
      "Only the newest plan. Admins: 任务 2.2 负责 <units> 配合 <units>, 任务 2.2 截止 <date>.",
    ].join("\n"),
  },
  examples: ["任务", "任务 全部 2", "任务 环卫处", "任务 2.2", "任务 2.2 截止 6月30日"],
  async run(ctx) {
    const what = ctx.args.what === undefined ? undefined : String(ctx.args.what);
    const more = ctx.args.more === undefined ? undefined : String(ctx.args.more);
    if (what === undefined) return list(ctx, "here", undefined);
    if (more === undefined && parsePage(what) !== null) return list(ctx, "here", what);
    if (ALL.has(what.normalize("NFKC").toLowerCase())) return list(ctx, "all", more);
    const year = /^(20\d\d)年?$/u.exec(what.normalize("NFKC"))?.[1];
    const olderCode = year && more !== undefined ? parseTaskCode(more) : null;
    if (year && olderCode) return view(ctx, olderCode, Number(year));
    const code = parseTaskCode(what);
    if (!code) return list(ctx, what, more);
    if (more === undefined) return view(ctx, code);
    const found = await lookupTask(ctx.services.db, code);
    if (!found.ok) throw new UserError(found.message);
    return edit(ctx, found.task, more);
  },
});
