import { defineCommand, UserError } from "../src/bot/command.ts";
import { groupNames, groupOfChat } from "../src/domain/events/audience.ts";
import { cancelEvent } from "../src/domain/events/change.ts";
import { kindName } from "../src/domain/events/kinds.ts";
import { cancelledNotice } from "../src/domain/events/render.ts";
import { requirePlaced } from "./common.ts";
import { announce, tellSignedUp } from "./event-common.ts";

export default defineCommand({
  name: "取消活动",
  aliases: ["取消讲座", "取消发布会", "cancel-event"],
  args: [
    { name: "id", type: "int", label: { zh: "活动编号", en: "event number" } },
    { name: "reason", type: "text", optional: true, label: { zh: "理由", en: "reason" } },
  ],
  permission: "anyone",
  summary: { zh: "取消活动，通知各群，不再提醒", en: "cancel an event; groups told, reminders dropped" },
  help: {
    zh: "“取消活动 5 场地冲突”取消 #5：通知各群和已报名的人，待发的提醒不再发送。限创建人或管理员。",
    en: "Cancels event #N with a reason: groups and sign-ups are told, pending reminders dropped. Creator or admin.",
  },
  examples: ["取消活动 5 场地冲突，另行通知"],
  async run(ctx) {
    requirePlaced(ctx, { action: "取消活动" });
    const { db, clock, timezone } = ctx.services;
    const id = Number(ctx.args.id);
    const reason =
      ctx.args.reason === undefined
        ? null
        : String(ctx.args.reason)
            .replace(/^理由\s*[:：]/u, "")
            .trim() || null;
    const r = await cancelEvent(db, { eventId: id, reason, actor: ctx.person, now: clock.now() });
    if (!r.ok) throw new UserError(r.why);
    const e = r.event;
    const origin =
      ctx.message.chatType === "group"
        ? await groupOfChat(db, ctx.message.platform, ctx.message.chatId)
        : undefined;
    const notice = cancelledNotice(e, reason, timezone);
    const told = announce(ctx, e.groupIds, origin, notice, `${kindName(e.kind)}取消`);
    const people = await tellSignedUp(ctx, e.id, notice);
    const names = await groupNames(db, told);
    return [
      `已取消${kindName(e.kind)} #${e.id}“${e.topic}”${reason ? `（${reason}）` : ""}，待发的提醒不再发送。`,
      ...(names.length > 0 ? [`已通知：${names.join("、")}`] : []),
      ...(people > 0 ? [`已单独告知报名的 ${people} 人。`] : []),
    ].join("\n");
  },
});
