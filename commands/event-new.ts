import { type CommandContext, type CommandDefinition, defineCommand, UserError } from "../src/bot/command.ts";
import { groupNames, groupOfChat, resolveAudience, unitGroups } from "../src/domain/events/audience.ts";
import { createEvent } from "../src/domain/events/create.ts";
import { parseEventFields } from "../src/domain/events/fields.ts";
import { type EventKind, KIND_NAMES } from "../src/domain/events/kinds.ts";
import { factLines, newEventNotice, signupHint } from "../src/domain/events/render.ts";
import { parseTaskCode } from "../src/domain/tasks/code.ts";
import { lookupTask } from "../src/domain/tasks/lookup.ts";
import { requirePlaced } from "./common.ts";
import { announce, readStart, reminderLine } from "./event-common.ts";

const DAY = 86_400_000;

const EXAMPLES: Record<EventKind, string> = {
  lecture: "新建讲座 主题：垃圾分类知识 时间：12月2日下午2点 地点：三楼会议室 主讲：李秀英",
  press_conference:
    "新建发布会 主题：城市管理年度成果 时间：下周三上午10点 地点：新闻中心 发言人：王建国 任务：3.1",
  event: "新建活动 主题：环卫工人慰问 时间：明天下午3点 地点：城东环卫所 群：环卫处 宣传科",
};

async function taskOf(ctx: CommandContext, text: string) {
  const code = parseTaskCode(text);
  if (!code) throw new UserError(`任务编号“${text}”看不懂，应该像 3.1 这样。`);
  const r = await lookupTask(ctx.services.db, code);
  if (!r.ok) throw new UserError(r.message);
  return r.task;
}

/** Who hears about it: the groups named, else the groups of the task's units, else this group. */
async function audience(ctx: CommandContext, named: string | undefined, unitIds: number[], origin?: number) {
  const db = ctx.services.db;
  if (named) {
    const r = await resolveAudience(db, named);
    if (!r.ok) {
      throw new UserError(
        `不认识这些群或单位：${r.unknown.join("、")}。“群：”后面可以写群名、单位名，或“全部”。`,
      );
    }
    if (r.groupIds.length === 0) throw new UserError("通讯录里还没有登记任何群，暂时发不了通知。");
    return r.groupIds;
  }
  const ofUnits = await unitGroups(db, unitIds);
  if (ofUnits.length > 0) return ofUnits;
  if (origin !== undefined) return [origin];
  throw new UserError("请用“群：”写上要通知的群，例如 群：宣传科工作群，或 群：全部。");
}

function newEventCommand(kind: EventKind, aliases: string[], en: string): CommandDefinition {
  const name = KIND_NAMES[kind];
  return defineCommand({
    name: `新建${name}`,
    aliases,
    args: [{ name: "fields", type: "text", optional: true, label: { zh: "主题、时间…", en: "fields" } }],
    permission: "anyone",
    summary: { zh: `安排一场${name}，按时通知和提醒`, en: `schedule a ${en}, announced and reminded` },
    help: {
      zh: [
        `写明 主题、时间，可加 地点、${kind === "press_conference" ? "发言人" : "主讲"}、任务（计入哪项任务）、群（通知哪些群：群名、单位名或“全部”）；`,
        "字段顺序随意，冒号全角半角都行，可以写在一行或分几行。",
        "不写“群”时通知任务牵头和配合单位的群，没有任务就通知本群。",
        "开始前按设置提醒（默认提前 7 天、1 天、2 小时；提前一天以上的提醒遇到节假日提前到上一个工作日）。",
        "已登记的人都可以新建；改期、取消、记录已举办限创建人或管理员。",
      ].join(""),
      en: `Fields: 主题 (topic), 时间 (time), optional 地点 (place), 主讲 (speaker), 任务 (task code), 群 (groups). Any order, one line or several. Any placed person may create; the creator or an admin may change it.`,
    },
    examples: [EXAMPLES[kind]],
    async run(ctx) {
      requirePlaced(ctx, { action: `新建${name}` });
      const { db, clock, timezone, settings } = ctx.services;
      const f = parseEventFields(String(ctx.args.fields ?? ""));
      const topic = f.topic ?? f.lead;
      if (!topic || !f.when) {
        const missing = [topic ? "" : "主题", f.when ? "" : "时间"].filter(Boolean).join("和");
        throw new UserError(`请写上${name}的${missing}，例如：\n${EXAMPLES[kind]}`);
      }
      const startsAt = readStart(ctx, f.when);
      const task = f.task ? await taskOf(ctx, f.task) : null;
      const origin =
        ctx.message.chatType === "group"
          ? await groupOfChat(db, ctx.message.platform, ctx.message.chatId)
          : undefined;
      const unitIds = task ? [...task.owners.lead, ...task.owners.support].map((u) => u.id) : [];
      const groupIds = await audience(ctx, f.groups, unitIds, origin);
      const now = clock.now();
      const created = await createEvent(
        db,
        {
          kind,
          topic,
          startsAt,
          place: f.place ?? null,
          speaker: f.speaker ?? null,
          taskId: task?.id ?? null,
          groupIds,
          createdById: ctx.person.id,
        },
        { now, settings, timezone },
      );
      const e = created.event;
      const names = await groupNames(db, e.groupIds);
      const lines = [
        created.duplicate
          ? `这场${name}已经建好了，不用重发：#${e.id} ${e.topic}`
          : `已新建${name} #${e.id}：${e.topic}`,
        ...factLines(e, timezone),
        ...(task ? [`任务：${task.code} ${task.title}`] : []),
        `通知：${names.join("、")}`,
        reminderLine(created.reminders, timezone),
        `${signupHint(e.id)}；改时间发“改期 ${e.id} 时间：…”，取消发“取消活动 ${e.id} 理由”。`,
      ];
      if (!created.duplicate && e.startsAt.getTime() - now.getTime() > DAY) {
        announce(ctx, e.groupIds, origin, newEventNotice(e, timezone), `${name}预告`);
      }
      return lines.join("\n");
    },
  });
}

export const newLecture = newEventCommand("lecture", ["new-lecture"], "lecture");
export const newPressConference = newEventCommand("press_conference", ["new-press"], "press conference");
export const newEvent = newEventCommand("event", ["new-event"], "event");
