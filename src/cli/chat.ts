import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { LocalChat, type LocalGroup, renderPlain } from "../bot/local-chat.ts";
import type { NoticeTarget } from "../domain/notice.ts";
import type { Runtime } from "../runtime.ts";
import { readUtterances } from "./utterances.ts";

export interface ChatIO {
  input: NodeJS.ReadableStream;
  isTTY: boolean;
  out: (line: string) => void;
}

/** Who talks by default: an admin from the directory, so a new user can try every command. */
async function defaultSpeaker(runtime: Runtime): Promise<string> {
  const admin = await runtime.db.prisma.person.findFirst({
    where: { placed: true, roles: { has: "admin" } },
    orderBy: { id: "asc" },
  });
  return admin?.name ?? "访客";
}

/** A group named in the directory, or the group of a unit named by alias, or an ad hoc group. */
async function resolveGroup(runtime: Runtime, name: string | undefined): Promise<LocalGroup | undefined> {
  const db = runtime.db.prisma;
  if (name === undefined) {
    const local = await db.group.findFirst({ where: { platform: "local" }, orderBy: { id: "asc" } });
    return { name: local?.name ?? "本地测试群" };
  }
  const byName = await db.group.findFirst({ where: { name }, orderBy: { id: "asc" } });
  if (byName) return { name: byName.name };
  const unit = await db.unit.findFirst({ where: { OR: [{ name }, { aliases: { has: name } }] } });
  if (unit) {
    const g = await db.group.findFirst({ where: { unitId: unit.id }, orderBy: { id: "asc" } });
    if (g) return { name: g.name };
  }
  return { name };
}

async function noticeTargetName(runtime: Runtime, to: NoticeTarget): Promise<string> {
  const db = runtime.db.prisma;
  if ("groupId" in to) return (await db.group.findUnique({ where: { id: to.groupId } }))?.name ?? "群";
  return `私聊 ${(await db.person.findUnique({ where: { id: to.personId } }))?.name ?? "?"}`;
}

export async function runChat(runtime: Runtime, argv: string[], io: ChatIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { as: { type: "string" }, group: { type: "string" }, dm: { type: "boolean", default: false } },
    strict: true,
  });
  const speaker = values.as ?? (await defaultSpeaker(runtime));
  const group = values.dm ? undefined : await resolveGroup(runtime, values.group);
  const chat = new LocalChat(runtime.bot, runtime.clock, runtime.config.botNames);
  const where = group ? `群「${group.name}」` : "单聊";

  if (io.isTTY) {
    io.out(
      `和汇报助手对话（${where}），当前身份：${speaker}。输入「帮助」开始；「名字> 内容」换人说话；Ctrl-D 退出。`,
    );
  }
  const rl = createInterface({ input: io.input, terminal: false });
  for await (const u of readUtterances(rl, { speaker, isTTY: io.isTTY })) {
    const replies = await chat.say({ speaker: u.speaker, group, text: u.text });
    for (const reply of replies) {
      // Notices (announcements, one-to-one messages) are shown with where they would go.
      const prefix = reply.to ? `bot → ${await noticeTargetName(runtime, reply.to)}> ` : "bot> ";
      for (const l of renderPlain(reply).split("\n")) io.out(`${prefix}${l}`);
    }
  }
  return 0;
}
