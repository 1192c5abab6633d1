import type { Clock } from "../lib/clock.ts";
import type { IncomingMessage, Mention, OutgoingMessage } from "../platforms/types.ts";
import type { Bot } from "./bot.ts";

/**
 * A conversation with the real bot without any platform: `huibao chat` and the tests use it.
 * Only the transport differs from WeCom and DingTalk; the message goes through the same Bot.handle.
 */
export interface LocalGroup {
  name: string;
}

export interface Utterance {
  speaker: string;
  /** Omit for a one-to-one chat with the bot. */
  group?: LocalGroup;
  text: string;
}

const MENTION = /[@＠]([^\s@＠]+)/gu;

export class LocalChat {
  private seq = 0;
  constructor(
    private readonly bot: Bot,
    private readonly clock: Clock,
    private readonly botNames: readonly string[] = [],
  ) {}

  toIncoming({ speaker, group, text }: Utterance): IncomingMessage {
    this.seq += 1;
    const now = this.clock.now();
    const mentions: Mention[] = [...text.matchAll(MENTION)]
      .map((m) => m[1] ?? "")
      .filter((name) => name && !this.botNames.includes(name))
      .map((name) => ({ userId: name, name }));
    return {
      platform: "local",
      botId: "local",
      chatId: group ? `group:${group.name}` : `dm:${speaker}`,
      chatType: group ? "group" : "single",
      chatName: group?.name,
      sender: { userId: speaker, nick: speaker },
      text,
      mentions,
      messageId: `local-${now.getTime()}-${this.seq}`,
      receivedAt: now,
    };
  }

  async say(u: Utterance): Promise<OutgoingMessage[]> {
    return this.bot.handle(this.toIncoming(u));
  }
}

/** How a reply reads in a terminal: mentions first, as a platform would show them. */
export function renderPlain(message: OutgoingMessage): string {
  const at = message.mentions.map((m) => `@${m.name ?? m.userId}`).join(" ");
  return at ? `${at} ${message.text}` : message.text;
}
