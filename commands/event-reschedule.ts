import { defineCommand, UserError } from "../src/bot/command.ts";
import { groupNames, groupOfChat } from "../src/domain/events/audience.ts";
import { rescheduleEvent } from "../src/domain/events/change.ts";
import { parseEventFields } from "../src/domain/events/fields.ts";
import { kindName } from "../src/domain/events/kinds.ts";
import { rescheduledNotice } from "../src/domain/events/render.ts";
import { formatWhen } from "../src/lib/dates-zh/index.ts";
import { requirePlaced } from "./common.ts";
import { announce, readStart, reminderLine, tellSignedUp } from "./event-common.ts";

export default defineCommand({
  name: "改期",
  aliases: ["reschedule"],
  args: [
    { name: "id", type: "int", label: { zh: "活动编号", en: "event number" } },
    { name: "when", type: "text", label: { zh: "时间：新时间", en: "new time" } },
  ],
  permission: "anyone",
  summary: { zh: "改活动的时间，重新安排提醒并通知", en: "move an event; reminders follow" },
  help: {
    zh: "“改期 5 时间：下周三下午3点”把 #5 改到新时间：原来的提醒作废、按新时间重新提醒，并通知各群和已报名的人。限创建人或管理员。",
    en: "Moves event #N to a new time: old reminders are dropped, new ones planned, groups and sign-ups told. Creator or admin.",
  },
  examples: ["改期 5 时间：12月3日下午3点"],
  async run(ctx) {
    requirePlaced(ctx, { action: "改期" });
    const { db, clock, timezone, settings } = ctx.services;
    const id = Number(ctx.args.id);
    const rest = String(ctx.args.when ?? "");
    const text = parseEventFields(rest).when ?? rest.replace(/^\s*时间\s*[:：]?/u, "").trim();
    if (!text) throw new UserError(`请写上新时间，例如：改期 ${id} 时间：12月3日下午3点`);
    const startsAt = readStart(ctx, text);
    const r = await rescheduleEvent(
      db,
      { eventId: id, startsAt, actor: ctx.person },
      { now: clock.now(), settings, timezone },
    );
    if (!r.ok) throw new UserError(r.why);
    const e = r.event;
    const origin =
      ctx.message.chatType === "group"
        ? await groupOfChat(db, ctx.message.platform, ctx.message.chatId)
        : undefined;
    const notice = rescheduledNotice(e, r.before, timezone);
    const told = announce(ctx, e.groupIds, origin, notice, `${kindName(e.kind)}改期`);
    const people = await tellSignedUp(ctx, e.id, rescheduledNotice(e, r.before, timezone, true));
    const names = await groupNames(db, told);
    return [
      `已改期：${kindName(e.kind)} #${e.id}“${e.topic}”`,
      `原定：${formatWhen(r.before, timezone)}`,
      `改为：${formatWhen(e.startsAt, timezone)}`,
      reminderLine(r.reminders, timezone),
      ...(names.length > 0 ? [`已通知：${names.join("、")}`] : []),
      ...(people > 0 ? [`已单独告知报名的 ${people} 人。`] : []),
    ].join("\n");
  },
});
