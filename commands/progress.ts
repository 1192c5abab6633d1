import { defineCommand, UserError } from "../src/bot/command.ts";
import { lookupTask } from "../src/domain/tasks/lookup.ts";
import { canReport } from "../src/domain/tasks/permissions.ts";
import { recordProgress } from "../src/domain/tasks/progress.ts";
import { confirmation, refusalText, reportHowTo, whoCanReport } from "../src/domain/tasks/replies.ts";
import { parseReportInput } from "../src/domain/tasks/report-input.ts";

export default defineCommand({
  name: "进度",
  aliases: ["progress", "report"],
  args: [
    { name: "code", type: "code", label: { zh: "任务编号", en: "task" } },
    {
      name: "change",
      type: "text",
      optional: true,
      label: { zh: "60% / +1 / 完成 说明", en: "60% / +1 / 完成 note" },
    },
  ],
  permission: "member",
  summary: { zh: "汇报任务进度", en: "report progress on a task" },
  help: {
    zh: [
      "按百分比：「进度 2.2 60% 已完成初稿」（６０％、百分之六十也行）。",
      "有计数目标的任务（如 4 场发布会）按次数：「进度 2.2 +1 第二场已召开」（＋1、加1 也行），不用百分比。",
      "做完了：「进度 2.2 完成」。百分比最多 100%，次数不超过目标；确实超额完成写「进度 2.2 +1 完成 说明」。",
      "往回调（百分比变小、-1）要写原因。负责和配合单位的同事、管理员可以汇报。",
      "报错了 10 分钟内可以发「撤销」。",
    ].join("\n"),
    en: [
      "Percent: 进度 2.2 60% note. Counted targets (4 press conferences): 进度 2.2 +1 note; no percent there.",
      "Done: 进度 2.2 完成. Never above 100% or the target unless you say 完成 (进度 2.2 +1 完成 note).",
      "Going backwards needs a reason. Members of the lead and support units and admins may report. 撤销 undoes.",
    ].join("\n"),
  },
  examples: ["进度 2.2 60% 已完成初稿", "进度 2.2 +1 第二场已召开", "进度 2.2 完成"],
  async run({ args, services, person, message }) {
    const found = await lookupTask(services.db, String(args.code));
    if (!found.ok) throw new UserError(found.message);
    const { task } = found;
    if (!canReport(person, task.owners)) throw new UserError(whoCanReport(task));
    const typed = args.change === undefined ? "" : String(args.change);
    if (!typed) throw new UserError(`${task.code} 要汇报什么？${reportHowTo(task)}`);
    const input = parseReportInput(typed);
    if (!input.ok) throw new UserError(`看不懂「${typed}」。${reportHowTo(task)}`);

    const base = {
      taskId: task.id,
      personId: person.id,
      note: input.note,
      platform: message.platform,
      messageId: message.messageId,
      at: services.clock.now(),
    };
    const change = input.change;
    const result = await recordProgress(
      services.db,
      change.kind === "percent"
        ? { ...base, kind: "percent", percent: change.percent }
        : change.kind === "count"
          ? { ...base, kind: "count", delta: change.delta }
          : { ...base, kind: "complete", delta: change.delta ?? 0 },
    );
    if (!result.ok) throw new UserError(refusalText(result.refusal, task, change));
    return confirmation(task, result.report, person.name);
  },
});
