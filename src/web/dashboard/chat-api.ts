import { randomUUID } from "node:crypto";
import type { Context } from "koa";
import type { Bot } from "../../bot/bot.ts";
import { LocalChat } from "../../bot/local-chat.ts";
import type { DbClient } from "../../db/database.ts";
import type { Clock } from "../../lib/clock.ts";
import type { IncomingMessage } from "../../platforms/types.ts";
import { readBody } from "../body.ts";
import { chatLabel } from "./format.ts";
import { refuse } from "./respond.ts";

export interface ChatApiDeps {
  db: DbClient;
  bot: Bot;
  clock: Clock;
  botNames: readonly string[];
  bodyLimitBytes: number;
  receive(message: IncomingMessage): Promise<unknown>;
}

const MAX_TEXT = 2000;

/**
 * POST /dashboard/api/chat {group, person, text, id?}: a message from a directory person in a local
 * group (or, with no group, one-to-one with the bot). It is recorded in the inbox like any platform
 * message; the replies come back over the live stream. `id` (from the page) makes a resend harmless.
 */
export function chatApi(deps: ChatApiDeps) {
  const local = new LocalChat(deps.bot, deps.clock, deps.botNames);
  return async (ctx: Context) => {
    if (!ctx.is("application/json")) return refuse(ctx, 415, "请用 JSON 发送：{ group, person, text }");
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(await readBody(ctx, deps.bodyLimitBytes)) as Record<string, unknown>;
    } catch {
      return refuse(ctx, 400, "看不懂请求内容：应为 JSON { group, person, text }");
    }
    const str = (v: unknown) => (typeof v === "string" ? v.trim() : "");
    const person = str(input?.person);
    const group = str(input?.group);
    const text = str(input?.text);
    const id = str(input?.id);
    if (!person) return refuse(ctx, 400, "请选择一个人（person）");
    if (!text) return refuse(ctx, 400, "消息是空的（text）");
    if (text.length > MAX_TEXT) return refuse(ctx, 400, `消息太长了：最多 ${MAX_TEXT} 个字`);
    if (group.length > 64) return refuse(ctx, 400, "群名太长了：最多 64 个字");
    if (id && !/^[\w-]{8,64}$/.test(id))
      return refuse(ctx, 400, "消息编号（id）只能是 8–64 个字母、数字、- 或 _");

    // Only people the directory placed: a typo must not add a stranger to the directory.
    const known = await deps.db.person.findFirst({
      where: { name: person, placed: true },
      select: { id: true },
    });
    if (!known) return refuse(ctx, 400, `通讯录里没有「${person}」`);
    const directoryGroup = group
      ? await deps.db.group.findFirst({
          where: { platform: "local", name: group },
          orderBy: { id: "asc" },
          select: { chatId: true, name: true },
        })
      : null;

    const base = local.toIncoming({ speaker: person, group: group ? { name: group } : undefined, text });
    const message: IncomingMessage = {
      ...base,
      // A directory group keeps its own chat id, so the bot knows its unit.
      chatId: directoryGroup?.chatId ?? base.chatId,
      messageId: `web-${id || randomUUID()}`,
    };
    await deps.receive(message);
    const names = new Map(directoryGroup ? [[directoryGroup.chatId, directoryGroup.name]] : []);
    ctx.status = 202;
    ctx.body = {
      messageId: message.messageId,
      chatId: message.chatId,
      chat: chatLabel(message.chatId, names),
    };
  };
}
