import { defineCommand, UserError } from "../src/bot/command.ts";
import { overdueText, PER_PAGE, pageOutOfRange, parsePage } from "../src/domain/tasks/board-text.ts";
import { NO_PLAN } from "../src/domain/tasks/lookup.ts";
import { overduePage } from "../src/domain/tasks/overdue.ts";
import { currentPlan } from "../src/domain/tasks/plan.ts";
import { findUnit, shortName } from "../src/domain/tasks/units.ts";
import { dayInZone, formatDay } from "../src/domain/tasks/zone.ts";

export default defineCommand({
  name: "逾期",
  aliases: ["overdue", "late"],
  args: [
    { name: "unit", type: "word", optional: true, label: { zh: "单位", en: "unit" } },
    { name: "page", type: "int", optional: true, label: { zh: "页码", en: "page" } },
  ],
  permission: "anyone",
  summary: { zh: "过了截止日期还没完成的任务", en: "tasks past their due date" },
  help: {
    zh: "列出过了截止日期（按本地日期，截止当天不算逾期）还没完成的任务，按负责单位分组。「逾期 环卫处」只看一个单位，后面加页码看下一页。",
    en: "Tasks past their due date (local calendar day) and not complete, grouped by lead unit. Add a unit or a page number.",
  },
  examples: ["逾期", "逾期 环卫处", "逾期 2"],
  async run({ args, services }) {
    const plan = await currentPlan(services.db);
    if (!plan) throw new UserError(NO_PLAN);
    let word = args.unit === undefined ? undefined : String(args.unit);
    let page = typeof args.page === "number" ? args.page : 1;
    const asPage = word === undefined ? null : parsePage(word);
    if (asPage !== null && args.page === undefined) {
      page = asPage;
      word = undefined;
    }
    const unit = word === undefined ? null : await findUnit(services.db, word);
    if (word !== undefined && !unit) throw new UserError(`没有叫「${word}」的单位。发「单位」查看单位简称。`);
    const today = dayInZone(services.clock.now(), services.timezone);
    const overdue = await overduePage(services.db, {
      planId: plan.id,
      today,
      unitId: unit?.id,
      page,
      perPage: PER_PAGE,
    });
    const name = unit ? shortName(unit) : "";
    const command = (n: number) => (unit ? `逾期 ${name} ${n}` : `逾期 ${n}`);
    if (overdue.tasks === 0) return `${name}没有逾期的任务（今天 ${formatDay(today, today)}）。`;
    if (overdue.rows.length === 0) return pageOutOfRange(page, overdue.pages, command);
    return overdueText(overdue, today, name, command);
  },
});
