import { defineCommand, UserError } from "../src/bot/command.ts";
import { kindName } from "../src/domain/events/kinds.ts";
import { signUp, withdraw } from "../src/domain/events/signup.ts";
import { formatWhen } from "../src/lib/dates-zh/index.ts";
import { requirePlaced } from "./common.ts";

const idArg = { name: "id", type: "int", label: { zh: "活动编号", en: "event number" } } as const;

export const signupCommand = defineCommand({
  name: "报名",
  aliases: ["signup", "join"],
  args: [idArg],
  permission: "anyone",
  summary: { zh: "报名参加讲座、发布会或活动", en: "sign up for an event" },
  help: {
    zh: "“报名 5”报名参加 #5；报过名再发也没关系。编号见“活动”。",
    en: "Signs you up for event #N; signing up twice is harmless.",
  },
  examples: ["报名 5"],
  async run(ctx) {
    requirePlaced(ctx, { action: "报名" });
    const { db, clock, timezone } = ctx.services;
    const r = await signUp(db, Number(ctx.args.id), ctx.person.id, clock.now());
    if (!r.ok) throw new UserError(r.why);
    const e = r.event;
    const what = `${kindName(e.kind)} #${e.id}“${e.topic}”`;
    const when = `${formatWhen(e.startsAt, timezone)}${e.place ? `，${e.place}` : ""}`;
    return r.changed
      ? `报名成功：${what}，${when}。现在共 ${r.signups} 人报名。`
      : `你已经报过名了：${what}，${when}。共 ${r.signups} 人报名。`;
  },
});

export const withdrawCommand = defineCommand({
  name: "取消报名",
  aliases: ["unjoin", "withdraw"],
  args: [idArg],
  permission: "anyone",
  summary: { zh: "取消自己的报名", en: "withdraw a sign-up" },
  help: { zh: "“取消报名 5”撤回你对 #5 的报名。", en: "Withdraws your sign-up for event #N." },
  examples: ["取消报名 5"],
  async run(ctx) {
    requirePlaced(ctx, { action: "取消报名" });
    const r = await withdraw(ctx.services.db, Number(ctx.args.id), ctx.person.id);
    if (!r.ok) throw new UserError(r.why);
    const what = `${kindName(r.event.kind)} #${r.event.id}“${r.event.topic}”`;
    return r.changed ? `已取消报名：${what}。现在共 ${r.signups} 人报名。` : `你没有报名${what}，不用取消。`;
  },
});
