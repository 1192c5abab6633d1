import { type CommandContext, type CommandDefinition, defineCommand, UserError } from "../src/bot/command.ts";
import { groupNames } from "../src/domain/events/audience.ts";
import { markHeld } from "../src/domain/events/held.ts";
import { type EventKind, KIND_NAMES, kindName, STATUS_NAMES } from "../src/domain/events/kinds.ts";
import {
  awaitingHeld,
  type EventSummary,
  eventDetail,
  upcomingEvents,
} from "../src/domain/events/queries.ts";
import { factLines, signupHint } from "../src/domain/events/render.ts";
import { formatWhen } from "../src/lib/dates-zh/index.ts";
import { requirePlaced } from "./common.ts";
import { shortWhen } from "./event-common.ts";

const HELD_WORDS = new Set([
  "已举办",
  "已经举办",
  "举办了",
  "已办",
  "办完了",
  "已开",
  "开完了",
  "已召开",
  "已完成",
]);
// Events that began within this span and are still not recorded as held are listed as a nudge.
const AWAITING_MS = 30 * 86_400_000;

function line(e: EventSummary, timezone: string, withKind: boolean): string {
  const kind = withKind ? `${kindName(e.kind)} ` : "";
  const signed = e.signups > 0 ? ` · 已报名 ${e.signups} 人` : "";
  return `#${e.id} ${kind}${e.topic}\n   ${shortWhen(e.startsAt, timezone)} · ${e.place ?? "地点待定"}${signed}`;
}

async function list(ctx: CommandContext, kind: EventKind | undefined): Promise<string> {
  const { db, clock, timezone } = ctx.services;
  const now = clock.now();
  const what = kind ? KIND_NAMES[kind] : "活动";
  const [upcoming, awaiting] = await Promise.all([
    upcomingEvents(db, { now, kind }),
    awaitingHeld(db, { now, withinMs: AWAITING_MS, kind }),
  ]);
  const lines: string[] = [];
  if (upcoming.length === 0) {
    lines.push(`近期没有安排${what}。新建请发“新建${kind ? KIND_NAMES[kind] : "活动"} 主题：… 时间：…”。`);
  } else {
    lines.push(`近期的${what}（${upcoming.length} 场）：`, ...upcoming.map((e) => line(e, timezone, !kind)));
    lines.push(`详情发“${what} 编号”，报名发“报名 编号”。`);
  }
  if (awaiting.length > 0) {
    lines.push("已开始、还没记录举办的：", ...awaiting.map((e) => line(e, timezone, !kind)));
    lines.push(`办完请发“活动 编号 已举办”。`);
  }
  return lines.join("\n");
}

async function show(ctx: CommandContext, id: number): Promise<string> {
  const { db, timezone } = ctx.services;
  const e = await eventDetail(db, id);
  if (!e) throw new UserError(`没有找到编号 ${id} 的活动。发“活动”看看近期的安排。`);
  let status = STATUS_NAMES[e.status] ?? e.status;
  if (e.status === "cancelled" && e.cancelReason) status += `，理由：${e.cancelReason}`;
  if (e.status === "held" && e.heldAt) status += `，${formatWhen(e.heldAt, timezone)}记录`;
  const groups = await groupNames(db, e.groupIds);
  const lines = [
    `#${e.id} ${kindName(e.kind)}：${e.topic}（${status}）`,
    ...factLines(e, timezone),
    ...(e.task ? [`任务：${e.task.code} ${e.task.title}`] : []),
    ...(groups.length > 0 ? [`通知群：${groups.join("、")}`] : []),
    ...(e.creator ? [`创建人：${e.creator}`] : []),
    e.signups > 0 ? `已报名 ${e.signups} 人：${e.signupNames.join("、")}` : "还没有人报名",
  ];
  if (e.status === "scheduled") lines.push(signupHint(e.id));
  return lines.join("\n");
}

async function held(ctx: CommandContext, id: number): Promise<string> {
  requirePlaced(ctx, { action: "记录已举办" });
  const { db, clock, timezone } = ctx.services;
  const r = await markHeld(db, {
    eventId: id,
    actor: ctx.person,
    now: clock.now(),
    timezone,
    platform: ctx.message.platform,
    messageId: ctx.message.messageId,
  });
  if (!r.ok) throw new UserError(r.why);
  const name = kindName(r.event.kind);
  const parts = [`已记录：${name} #${id}“${r.event.topic}”已举办。`];
  if (r.counted) {
    const c = r.counted;
    parts.push(`任务 ${c.code} 计 1 场，现在 ${c.count}/${c.target}（${c.percent}%）。`);
  }
  return parts.join("\n");
}

function listCommand(kind: EventKind | undefined, aliases: string[], en: string): CommandDefinition {
  const name = kind ? KIND_NAMES[kind] : "活动";
  return defineCommand({
    name,
    aliases,
    args: [
      { name: "id", type: "int", optional: true, label: { zh: "编号", en: "number" } },
      { name: "action", type: "text", optional: true, label: { zh: "已举办", en: "已举办" } },
    ],
    permission: "anyone",
    summary: {
      zh: kind ? `近期的${name}` : "近期的活动；“活动 5”看详情和报名，“活动 5 已举办”记录举办",
      en: `upcoming ${en}; with a number, one of them`,
    },
    help: {
      zh: `不带编号列出近期的${name}；“${name} 5”看 #5 的详情和报名名单；“${name} 5 已举办”记录 #5 已举办（限创建人或管理员），属于有计数目标的任务时该任务计 1 场。`,
      en: `Lists upcoming ${en}; "${name} 5" shows #5 with its sign-ups; "${name} 5 已举办" records it as held (creator or admin).`,
    },
    examples: [name, `${name} 5`, `${name} 5 已举办`],
    async run(ctx) {
      const id = ctx.args.id as number | undefined;
      const action = ctx.args.action === undefined ? undefined : String(ctx.args.action).trim();
      if (id === undefined) {
        if (action) throw new UserError(`请写上编号，例如“${name} 5”或“${name} 5 已举办”。`);
        return list(ctx, kind);
      }
      if (!action) return show(ctx, id);
      if (HELD_WORDS.has(action.replace(/[。！!.\s]/gu, ""))) return held(ctx, id);
      throw new UserError(`“${name} ${id}”后面只能跟“已举办”。看详情发“${name} ${id}”。`);
    },
  });
}

export const eventsCommand = listCommand(undefined, ["events"], "events");
export const lecturesCommand = listCommand("lecture", ["lectures"], "lectures");
export const pressConferencesCommand = listCommand("press_conference", ["press"], "press conferences");
