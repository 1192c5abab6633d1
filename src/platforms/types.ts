/**
 * The platform-neutral shapes that cross the boundary between platform adapters and the bot.
 * Adapters turn wire formats into IncomingMessage and deliver OutgoingMessage; the bot knows nothing else.
 */

import type { NoticeTarget } from "../domain/notice.ts";

export type { NoticeTarget };

export type Platform = "wecom" | "dingtalk" | "local";
export type ChatType = "group" | "single";

export interface QuotedMessage {
  /** The platform id of the quoted message, when the platform gives one. */
  messageId?: string;
  /** The quoted text as the platform shows it. */
  text: string;
}

export interface Mention {
  /** WeCom userid / DingTalk staffId / local name. Empty in a notice until the platform layer fills it. */
  userId: string;
  name?: string;
  /** The directory person, in notices (their platform id is looked up when the notice is routed). */
  personId?: number;
}

export interface IncomingMessage {
  platform: Platform;
  /** Which bot (or app) of that platform heard it: WeCom aibotid / agent id, DingTalk robotCode, "local". */
  botId: string;
  chatId: string;
  chatType: ChatType;
  chatName?: string;
  sender: {
    /** WeCom userid, DingTalk staffId, or the local name. */
    userId: string;
    nick?: string;
  };
  text: string;
  mentions: Mention[];
  quote?: QuotedMessage;
  /** The platform's message id, for dedupe. */
  messageId: string;
  receivedAt: Date;
}

export interface OutgoingMessage {
  format: "text" | "markdown";
  /** Markdown or plain text; mentions are given separately and rendered per platform. */
  text: string;
  /** Markdown title (DingTalk needs one). */
  title?: string;
  mentions: Mention[];
  /**
   * Set on a notice (an announcement or one-to-one message the bot sends on its own initiative):
   * where it goes. Unset on a reply to the message being handled.
   */
  to?: NoticeTarget;
}

/** Where an outgoing message goes. */
export interface Destination {
  platform: Platform;
  chatId: string;
  chatType: ChatType;
  /** Set when the message answers a member's message (platforms may offer a reply door). */
  replyTo?: IncomingMessage;
}

export interface PlatformSender {
  readonly platform: Platform;
  send(to: Destination, message: OutgoingMessage): Promise<void>;
}
