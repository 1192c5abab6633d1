import { defineCommand, UserError } from "../src/bot/command.ts";
import { amount, changeText, progressBar } from "../src/domain/tasks/format.ts";
import { UNDO_WINDOW_MS, undoLastReport } from "../src/domain/tasks/undo.ts";
import { dayInZone, formatMoment } from "../src/domain/tasks/zone.ts";

const MINUTES = UNDO_WINDOW_MS / 60_000;

export default defineCommand({
  name: "撤销",
  aliases: ["undo"],
  args: [],
  permission: "member",
  summary: {
    zh: `撤销我 ${MINUTES} 分钟内的上一条汇报`,
    en: `undo my last report (within ${MINUTES} minutes)`,
  },
  help: {
    zh: `撤销你自己最近一条进度汇报，任务回到汇报前的状态；汇报记录留着，标为已撤销。只能撤销 ${MINUTES} 分钟内的；再早的请重新汇报正确的进度并写明原因。`,
    en: `Undoes your own latest progress report if it is at most ${MINUTES} minutes old; the history keeps it, marked undone.`,
  },
  examples: ["撤销"],
  async run({ services, person, message }) {
    const now = services.clock.now();
    const result = await undoLastReport(services.db, {
      personId: person.id,
      platform: message.platform,
      messageId: message.messageId,
      at: now,
    });
    const today = dayInZone(now, services.timezone);
    const when = (at: Date) => formatMoment(at, services.timezone, today);
    if (!result.ok) {
      if (result.reason === "nothing") throw new UserError("你没有可以撤销的汇报。");
      const { code } = result;
      const what = `${when(result.report.createdAt)} 对 ${code} 的汇报（${changeText(result.report)}）`;
      if (result.reason === "too_late") {
        throw new UserError(
          `只能撤销 ${MINUTES} 分钟内的汇报，你最近一条是 ${what}。如有错，请重新汇报正确的进度并写明原因。`,
        );
      }
      const by = result.sinceBy ?? (result.since.personId ? "别人" : "系统");
      throw new UserError(
        `${by} 在你之后也汇报了 ${code}，你 ${when(result.report.createdAt)} 的那条汇报（${changeText(result.report)}）不能再撤销了。请直接汇报正确的进度并写明原因。`,
      );
    }
    const { code } = result;
    const state = `${amount(result.task)} ${progressBar(result.task)}`;
    return `已撤销 ${when(result.undone.createdAt)} 对 ${code} 的汇报（${changeText(result.undone)}）。${code} 现在 ${state}`;
  },
});
