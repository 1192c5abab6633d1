import { defineCommand, UserError } from "../src/bot/command.ts";
import { createTask } from "../src/domain/tasks/admin.ts";
import { parseTaskFields } from "../src/domain/tasks/fields.ts";
import { NO_PLAN } from "../src/domain/tasks/lookup.ts";
import { currentPlan } from "../src/domain/tasks/plan.ts";
import { readDue, readUnits } from "../src/domain/tasks/task-input.ts";
import { shortName, type UnitRef } from "../src/domain/tasks/units.ts";

const USAGE = "新增任务 2.5 标题 [截止 6月30日] [负责 宣传科] [配合 环卫处] [目标 4]";

export default defineCommand({
  name: "新增任务",
  aliases: ["addtask", "newtask"],
  args: [
    { name: "code", type: "code", label: { zh: "任务编号", en: "task" } },
    {
      name: "rest",
      type: "text",
      label: { zh: "标题 [截止 …] [负责 …] [配合 …] [目标 N]", en: "title [fields]" },
    },
  ],
  permission: "admin",
  summary: { zh: "在当前工作计划里加一项任务", en: "add a task to the current plan" },
  help: {
    zh: `${USAGE}\n加到最新一年的工作计划里。有「目标 4」的任务按次数汇报（+1），否则按百分比。`,
    en: `${USAGE}\nAdds a task to the newest plan. With 目标 N it is reported by count (+1), else by percent.`,
  },
  examples: [
    "新增任务 2.5 开展网络安全宣传周 截止 9月30日 负责 宣传科",
    "新增任务 3.4 举办开放日活动 目标 2",
  ],
  async run({ args, services, person, message }) {
    const plan = await currentPlan(services.db);
    if (!plan) throw new UserError(NO_PLAN);
    const code = String(args.code);
    if (!code.includes(".")) throw new UserError(`任务编号写成「章.条」，如 2.5。\n用法：${USAGE}`);
    const fields = parseTaskFields(String(args.rest ?? ""));
    if (!fields.title) throw new UserError(`缺少标题。\n用法：${USAGE}`);
    const at = services.clock.now();
    const units = async (names: string[] | undefined): Promise<UnitRef[]> => {
      if (!names) return [];
      const r = await readUnits(services.db, names);
      if (!r.ok) throw new UserError(r.message);
      return r.units;
    };
    const lead = await units(fields.lead);
    const support = await units(fields.support);
    let due: string | null = null;
    if (fields.due !== undefined) {
      const r = readDue(fields.due, { now: at, timezone: services.timezone });
      if (!r.ok) throw new UserError(r.message);
      due = r.day;
    }
    let targetCount: number | null = null;
    if (fields.target !== undefined) {
      const m = /^(\d{1,4})\D{0,3}$/u.exec(fields.target.normalize("NFKC").trim());
      targetCount = m ? Number(m[1]) : 0;
      if (!targetCount) throw new UserError("目标写次数，如「目标 4」。");
    }
    const r = await createTask(
      services.db,
      { planId: plan.id, code, title: fields.title, due, lead, support, targetCount },
      { personId: person.id, platform: message.platform, messageId: message.messageId, at },
    );
    if (!r.ok) throw new UserError(`${code} 已经有了。发「任务 ${code}」查看，换一个编号再加。`);
    const owners = lead.length ? `，负责 ${lead.map(shortName).join("、")}` : "，还没有负责单位";
    return `已新增 ${code} ${fields.title}${owners}。发「任务 ${code}」查看。`;
  },
});
