import { defineCommand, UserError } from "../src/bot/command.ts";
import { boardPage } from "../src/domain/tasks/board.ts";
import { boardText, PER_PAGE, pageOutOfRange } from "../src/domain/tasks/board-text.ts";
import { NO_PLAN } from "../src/domain/tasks/lookup.ts";
import { currentPlan } from "../src/domain/tasks/plan.ts";
import { shortName, unitById } from "../src/domain/tasks/units.ts";
import { dayInZone } from "../src/domain/tasks/zone.ts";

export default defineCommand({
  name: "我的任务",
  aliases: ["mytasks", "my"],
  args: [{ name: "page", type: "int", optional: true, label: { zh: "页码", en: "page" } }],
  permission: "anyone",
  summary: { zh: "我们单位还没完成的任务", en: "my unit's open tasks" },
  help: {
    zh: "列出你所在单位负责或配合、还没完成的任务，截止日期近的在前。你可以汇报这些任务的进度。",
    en: "Open tasks your unit leads or supports, soonest due first: the ones you can report on.",
  },
  examples: ["我的任务", "我的任务 2"],
  async run({ args, services, person }) {
    const unit = person.unitId === null ? null : await unitById(services.db, person.unitId);
    if (!unit) {
      throw new UserError("通讯录里你还没有所属单位，没有可列的任务。发「任务 全部」看全部任务。");
    }
    const plan = await currentPlan(services.db);
    if (!plan) throw new UserError(NO_PLAN);
    const page = typeof args.page === "number" ? args.page : 1;
    const board = await boardPage(services.db, {
      planId: plan.id,
      unitId: unit.id,
      openOnly: true,
      page,
      perPage: PER_PAGE,
    });
    const command = (n: number) => `我的任务 ${n}`;
    const name = shortName(unit);
    if (board.total === 0) return `${name}没有未完成的任务。发「任务 ${name}」查看全部。`;
    if (board.tasks.length === 0) return pageOutOfRange(page, board.pages, command);
    return boardText(
      board,
      `${name}未完成的任务`,
      dayInZone(services.clock.now(), services.timezone),
      command,
    );
  },
});
