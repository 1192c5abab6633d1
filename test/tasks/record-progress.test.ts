import { describe, expect, it } from "vitest";
import { type ProgressInput, recordProgress } from "../../src/domain/tasks/progress.ts";
import { taskState } from "../support/tasks.ts";
import { useTaskChat } from "./fixture.ts";

/** recordProgress as events call it: a held event counts one toward its task. */
const t = useTaskChat();
const db = () => t.chat.db.prisma;
const taskId = async (code: string) => (await db().task.findFirstOrThrow({ where: { code } })).id;
const at = new Date("2021-03-10T02:00:00Z");

async function event(topic = "城市管理专题讲座") {
  const e = await db().event.create({
    data: {
      kind: "lecture",
      topic,
      startsAt: at,
      groupIds: [],
      status: "held",
      createdAt: at,
      updatedAt: at,
    },
  });
  return e.id;
}

async function held(code: string, eventId?: number, extra: Partial<ProgressInput> = {}) {
  return recordProgress(db(), {
    taskId: await taskId(code),
    personId: null,
    eventId: eventId ?? (await event()),
    kind: "count",
    delta: 1,
    note: "活动已举办",
    at,
    ...extra,
  });
}

describe("recordProgress for held events", () => {
  it("counts one and names the event in the report", async () => {
    const id = await event("第一期城市管理大讲堂");
    const r = await held("2.2", id);
    expect(r).toMatchObject({
      ok: true,
      duplicate: false,
      task: { count: 1, percent: 25, completedAt: null },
    });
    expect(r.ok && r.report).toMatchObject({ eventId: id, personId: null, countBefore: 0, countAfter: 1 });
    const view = await t.chat
      .dm("张三")
      .says("任务 2.2")
      .expectReply(/进度记录（1 条）/);
    expect(view).toContain("· 3月10日 10:00 活动「第一期城市管理大讲堂」 +1 → 1 活动已举办");
  });

  it("counts an event past the target: it happened", async () => {
    for (let i = 1; i <= 5; i++) await held("2.2");
    expect(await taskState(db(), "2.2")).toMatchObject({ count: 5, percent: 100, complete: true });
  });

  it("counts on a task without a counted target without touching its percent", async () => {
    const r = await held("1.1");
    expect(r).toMatchObject({ ok: true, task: { count: 1, percent: 0 } });
  });

  it("reports a message once", async () => {
    const input = { platform: "wecom", messageId: "msg-1" };
    const id = await event();
    const first = await held("2.2", id, input);
    const again = await held("2.2", id, input);
    expect(again).toMatchObject({ ok: true, duplicate: true });
    expect(first.ok && again.ok && again.report.id).toBe(first.ok && first.report.id);
    expect(await taskState(db(), "2.2")).toMatchObject({ count: 1 });
  });

  it("runs inside the caller's transaction and rolls back with it", async () => {
    const id = await taskId("2.2");
    const eventId = await event();
    await expect(
      db().$transaction(async (tx) => {
        const r = await recordProgress(tx, {
          taskId: id,
          personId: null,
          eventId,
          kind: "count",
          delta: 1,
          note: "",
          at,
        });
        expect(r).toMatchObject({ ok: true, task: { count: 1 } });
        throw new Error("the event could not be marked held");
      }),
    ).rejects.toThrow("could not be marked held");
    expect(await taskState(db(), "2.2")).toMatchObject({ count: 0 });
    expect(await db().progressReport.count()).toBe(0);
  });

  it("refuses a task that does not exist", async () => {
    expect(
      await recordProgress(db(), { taskId: 999, personId: null, kind: "count", delta: 1, note: "", at }),
    ).toEqual({
      ok: false,
      refusal: { code: "task_not_found" },
    });
  });
});
