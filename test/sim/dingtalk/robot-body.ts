import { isObject, jsonObject, str } from "./http.ts";

/**
 * The message body both oapi robot doors take (custom robot webhook and sessionWebhook):
 * `{msgtype:"text", text:{content}}`, `{msgtype:"markdown", markdown:{title, text}}`, link,
 * actionCard, feedCard, plus `at:{atUserIds, atMobiles, isAtAll}`.
 */

export interface RobotBodyRecord {
  msgtype: string;
  /** text.content or markdown.text (empty for the other types). */
  text: string;
  /** markdown.title. */
  title?: string;
  atUserIds: string[];
  atMobiles: string[];
  isAtAll: boolean;
  at: Date;
  raw: Record<string, unknown>;
}

const TYPES = new Set(["text", "markdown", "link", "actionCard", "feedCard"]);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === "string") : []);

/** The parsed body, or undefined when it is not one DingTalk would take. */
export function parseRobotBody(body: string, at: Date): RobotBodyRecord | undefined {
  const msg = jsonObject(body);
  if (!msg) return undefined;
  const msgtype = str(msg.msgtype);
  if (!TYPES.has(msgtype)) return undefined;
  const part = msg[msgtype];
  if (!isObject(part)) return undefined;
  let text = "";
  let title: string | undefined;
  if (msgtype === "text") {
    text = str(part.content);
    if (!text) return undefined;
  } else if (msgtype === "markdown") {
    text = str(part.text);
    title = str(part.title);
    if (!text || !title) return undefined;
  }
  const mention = isObject(msg.at) ? msg.at : {};
  return {
    msgtype,
    text,
    ...(title !== undefined ? { title } : {}),
    atUserIds: strings(mention.atUserIds),
    atMobiles: strings(mention.atMobiles),
    isAtAll: mention.isAtAll === true,
    at,
    raw: msg,
  };
}
