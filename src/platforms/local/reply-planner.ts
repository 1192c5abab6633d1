import type { ReplyPlanner } from "../../jobs/handle-inbox.ts";
import { localEntry } from "../notices.ts";

const QUOTE_CHARS = 60;

/**
 * Replies to a local message go back to its chat, carrying the message they answer (its id, and
 * who said what) so a sandbox page opened later can still show what each reply was about.
 */
export const localReplyPlanner: ReplyPlanner = async (item, replies) => {
  const { message } = item;
  const said = message.text.length > QUOTE_CHARS ? `${message.text.slice(0, QUOTE_CHARS)}…` : message.text;
  return replies.map((reply) => {
    const entry = localEntry(message.chatId, reply);
    return {
      ...entry,
      target: { ...entry.target, replyTo: message.messageId, quote: `${message.sender.userId}：${said}` },
    };
  });
};
