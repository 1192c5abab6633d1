import type { Db } from "../../db/database.ts";
import type { Event } from "../../generated/prisma/client.ts";
import { formatWhen } from "../../lib/dates-zh/index.ts";
import { cancelJobs } from "../schedule.ts";
import { recordProgress } from "../tasks/progress.ts";
import { type Actor, type Changed, mayManage } from "./change.ts";
import { kindName } from "./kinds.ts";
import { eventJobPrefix } from "./reminders.ts";

export interface TaskCount {
  code: string;
  count: number;
  target: number;
  percent: number;
}

/**
 * Records that an event took place. When it belongs to a task with a counted target (4 场发布会),
 * the task counts one more, in the same transaction, with the event named in the task's history.
 * An event is held once: a second 已举办 is refused.
 */
export async function markHeld(
  db: Db,
  input: {
    eventId: number;
    actor: Actor;
    now: Date;
    timezone: string;
    platform?: string;
    messageId?: string;
  },
): Promise<Changed<{ event: Event; counted?: TaskCount }>> {
  const { eventId, actor, now } = input;
  return db.$transaction(async (tx) => {
    const event = await tx.event.findUnique({ where: { id: eventId } });
    if (!event) return { ok: false, why: `没有找到编号 ${eventId} 的活动。发“活动”看看近期的安排。` };
    const name = kindName(event.kind);
    if (!mayManage(event, actor))
      return { ok: false, why: `只有${name}的创建人或管理员可以记录 #${eventId} 已举办。` };
    if (event.status === "held") {
      const at = event.heldAt ? `（${formatWhen(event.heldAt, input.timezone)}记录）` : "";
      return { ok: false, why: `#${eventId} 已经记为已举办了${at}，不会重复计数。` };
    }
    if (event.status === "cancelled") return { ok: false, why: `#${eventId} 已经取消了，不能记为已举办。` };
    if (event.startsAt > now) {
      return {
        ok: false,
        why: `#${eventId} 定在 ${formatWhen(event.startsAt, input.timezone)}，还没到时间。提前办了的话，先发“改期 ${eventId} 时间：…”。`,
      };
    }
    const done = await tx.event.updateMany({
      where: { id: eventId, status: "scheduled" },
      data: { status: "held", heldAt: now, updatedAt: now },
    });
    if (done.count !== 1) return { ok: false, why: `#${eventId} 已经记为已举办了，不会重复计数。` };
    await cancelJobs(tx, eventJobPrefix(eventId), now);
    const held = { ...event, status: "held", heldAt: now, updatedAt: now };
    if (event.taskId === null) return { ok: true, event: held };
    const task = await tx.task.findUnique({
      where: { id: event.taskId },
      select: { code: true, targetCount: true },
    });
    if (!task || task.targetCount === null || task.targetCount <= 0) return { ok: true, event: held };
    const r = await recordProgress(tx, {
      taskId: event.taskId,
      personId: actor.id,
      eventId,
      kind: "count",
      delta: 1,
      note: `${name}“${event.topic}”已举办（#${eventId}）`,
      platform: input.platform,
      messageId: input.messageId,
      at: now,
    });
    if (!r.ok) return { ok: true, event: held };
    return {
      ok: true,
      event: held,
      counted: { code: task.code, count: r.task.count, target: task.targetCount, percent: r.task.percent },
    };
  });
}
