import { renderPlain } from "../bot/local-chat.ts";
import type { Config } from "../config.ts";
import type { DbClient } from "../db/database.ts";
import type { OutboxEntry } from "../jobs/outbox.ts";
import type { Logger } from "../lib/logger.ts";
import { renderDingtalk } from "./dingtalk/render.ts";
import { dingtalkGroupEntries, openApiEntry } from "./dingtalk/reply-planner.ts";
import type { Mention, OutgoingMessage } from "./types.ts";
import { renderWecom, wecomBody } from "./wecom/render.ts";
import { appEntry, type WecomAppRef, webhookEntry, wsChatEntry } from "./wecom/reply-planner.ts";

/**
 * Turns notices (messages with `to`: a directory group or person) into outbox rows for the door each
 * platform offers for speaking first: a group's robot webhook (or the long connection), the WeCom app
 * or DingTalk's one-to-one API for a person. Local groups and people (huibao chat, tests) get "local"
 * rows. A notice nobody can receive is logged and dropped: there is no door to retry.
 */
export type NoticeRouter = (db: DbClient, notices: readonly OutgoingMessage[]) => Promise<OutboxEntry[]>;

export interface NoticeDoors {
  wecomApp?: WecomAppRef;
  /** WECOM_BOT_MODE=ws: the bot pushes over its long connection instead of the group robot. */
  wecomWsBotId?: string;
  /** DingTalk app configured: one-to-one messages go through oToMessages/batchSend. */
  dingtalkApp?: boolean;
}

export function noticeDoors(config: Config): NoticeDoors {
  const app = config.wecom.app;
  const bot = config.wecom.bot;
  return {
    wecomApp: app?.agentId && app.secret ? { corpId: app.corpId, agentId: app.agentId } : undefined,
    wecomWsBotId: bot?.mode === "ws" ? bot.botId : undefined,
    dingtalkApp: Boolean(config.dingtalk.app),
  };
}

export function localEntry(chatId: string, message: OutgoingMessage): OutboxEntry {
  return {
    platform: "local",
    channel: "local",
    destination: `local:${chatId}`,
    target: { chatId },
    body: { text: renderPlain(message), title: message.title ?? null },
  };
}

interface PersonIds {
  id: number;
  name: string;
  wecomUserId: string | null;
  dingtalkStaffId: string | null;
}

function idOn(platform: string, p: PersonIds): string | undefined {
  if (platform === "wecom") return p.wecomUserId ?? undefined;
  if (platform === "dingtalk") return p.dingtalkStaffId ?? undefined;
  if (platform === "local") return p.name;
  return undefined;
}

/** Mentions carry person ids; a person without an account on the platform is named in the text instead. */
function withMentions(message: OutgoingMessage, platform: string, people: Map<number, PersonIds>) {
  const mentions: Mention[] = [];
  const unnamed: string[] = [];
  for (const m of message.mentions) {
    const person = m.personId === undefined ? undefined : people.get(m.personId);
    const userId = person ? idOn(platform, person) : m.userId || undefined;
    if (userId) mentions.push({ userId, name: m.name ?? person?.name });
    else unnamed.push(`@${m.name ?? person?.name ?? "?"}`);
  }
  const text = unnamed.length > 0 ? `${unnamed.join(" ")} ${message.text}` : message.text;
  return { ...message, text, mentions, to: undefined };
}

export function createNoticeRouter(doors: NoticeDoors, logger: Logger): NoticeRouter {
  return async (db, notices) => {
    if (notices.length === 0) return [];
    const groupIds = new Set<number>();
    const personIds = new Set<number>();
    for (const n of notices) {
      if (n.to && "groupId" in n.to) groupIds.add(n.to.groupId);
      if (n.to && "personId" in n.to) personIds.add(n.to.personId);
      for (const m of n.mentions) if (m.personId !== undefined) personIds.add(m.personId);
    }
    const [groups, people] = await Promise.all([
      db.group.findMany({ where: { id: { in: [...groupIds] } } }),
      db.person.findMany({
        where: { id: { in: [...personIds] } },
        select: { id: true, name: true, wecomUserId: true, dingtalkStaffId: true },
      }),
    ]);
    const groupById = new Map(groups.map((g) => [g.id, g]));
    const personById = new Map(people.map((p) => [p.id, p]));

    const entries: OutboxEntry[] = [];
    for (const n of notices) {
      if (!n.to) continue;
      if ("groupId" in n.to) {
        const group = groupById.get(n.to.groupId);
        if (!group) {
          logger.warn({ groupId: n.to.groupId }, "notice to a group that is no longer in the directory");
          continue;
        }
        const message = withMentions(n, group.platform, personById);
        if (group.platform === "wecom") {
          const parts = renderWecom({ ...message, format: "markdown" });
          for (const part of parts) {
            entries.push(
              doors.wecomWsBotId
                ? wsChatEntry(doors.wecomWsBotId, group.chatId, String(part.content))
                : webhookEntry(group.chatId, wecomBody(part)),
            );
          }
        } else if (group.platform === "dingtalk") {
          entries.push(...dingtalkGroupEntries(group, message));
        } else {
          entries.push(localEntry(group.chatId, message));
        }
        continue;
      }
      const person = personById.get(n.to.personId);
      if (!person) {
        logger.warn({ personId: n.to.personId }, "notice to a person who is no longer in the directory");
        continue;
      }
      const message = { ...n, mentions: [], to: undefined };
      if (person.wecomUserId && doors.wecomApp) {
        entries.push(...appEntry(doors.wecomApp, person.wecomUserId, message));
      } else if (person.wecomUserId && doors.wecomWsBotId) {
        for (const part of renderWecom({ ...message, format: "markdown" })) {
          entries.push(wsChatEntry(doors.wecomWsBotId, person.wecomUserId, String(part.content)));
        }
      } else if (person.dingtalkStaffId && doors.dingtalkApp) {
        const chat = {
          chatId: `user:${person.dingtalkStaffId}`,
          chatType: "single",
          userId: person.dingtalkStaffId,
        };
        for (const body of renderDingtalk(message)) entries.push(openApiEntry(chat, body));
      } else if (!person.wecomUserId && !person.dingtalkStaffId) {
        entries.push(localEntry(`dm:${person.name}`, message));
      } else {
        logger.warn(
          { personId: person.id },
          "no one-to-one door for this person (configure the WeCom app or the DingTalk app)",
        );
      }
    }
    return entries;
  };
}
