import type { Db } from "../../src/db/database.ts";

const AT = new Date("2021-03-09T02:00:00Z");

async function personId(db: Db, name: string): Promise<number> {
  return (await db.person.findFirstOrThrow({ where: { name } })).id;
}

/** A lecture two days ahead with two sign-ups, a draft with one vote, and a message that failed. */
export async function seedActivity(db: Db): Promise<void> {
  const group = await db.group.findFirstOrThrow({ where: { name: "宣传科工作群" } });
  const event = await db.event.create({
    data: {
      kind: "lecture",
      topic: "垃圾分类专题讲座",
      startsAt: new Date("2021-03-12T06:00:00Z"),
      place: "三楼会议室",
      speaker: "王教授",
      groupIds: [group.id],
      createdAt: AT,
      updatedAt: AT,
    },
  });
  for (const name of ["李四", "张三"]) {
    await db.eventSignup.create({
      data: { eventId: event.id, personId: await personId(db, name), createdAt: AT },
    });
  }
  const draft = await db.draft.create({
    data: {
      channel: "微博",
      title: "春季市容整治进展",
      body: "正文",
      stages: [
        { name: "科室负责人", mode: "any", approvers: [{ person: "管理员" }] },
        { name: "分管领导", mode: "any", approvers: [] },
      ],
      stage: 1,
      submitterId: await personId(db, "张三"),
      platform: "local",
      chatId: "group:宣传科工作群",
      deadline: new Date("2021-03-11T01:00:00Z"),
      createdAt: AT,
      updatedAt: AT,
    },
  });
  await db.vote.create({
    data: {
      draftId: draft.id,
      version: 1,
      stage: 0,
      personId: await personId(db, "管理员"),
      decision: "approve",
      platform: "local",
      messageId: "seed-vote-1",
      at: new Date("2021-03-09T03:00:00Z"),
    },
  });
  await db.outboxMessage.create({
    data: {
      platform: "wecom",
      channel: "wecom.webhook",
      destination: "wecom.webhook:wrGroup",
      target: { chatId: "wrGroup" },
      body: { msgtype: "text", text: { content: "周报提醒" } },
      status: "failed",
      attempts: 5,
      lastError: "webhook key invalid (93000)",
      nextAttemptAt: AT,
      createdAt: AT,
    },
  });
}
