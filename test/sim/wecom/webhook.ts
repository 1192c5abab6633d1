import type { Clock } from "../../../src/lib/clock.ts";
import type { SimCodes } from "./codes.ts";
import { bytes, fail, jsonObject, ok, type SimAnswer } from "./http.ts";

/**
 * Group robot webhook `POST /cgi-bin/webhook/send?key=KEY` (send only). 20 messages per rolling
 * minute per robot (documented), then 45009. text ≤ 2048 bytes, markdown ≤ 4096 bytes (documented).
 */

export interface WebhookRecord {
  msgtype: string;
  content: string;
  mentionedList: string[];
  mentionedMobileList: string[];
  at: Date;
  raw: Record<string, unknown>;
}

export interface WebhookRobot {
  key: string;
  chatName: string;
  messages: WebhookRecord[];
  /** How often the frequency limit answered 45009. */
  rateLimitHits: number;
  /** Requests refused for another reason (too long, bad type...). */
  rejected: Array<{ errcode: number; at: Date }>;
  /** Accept times inside the current window, ms. */
  window: number[];
}

const LIMITS: Record<string, number> = { text: 2048, markdown: 4096, markdown_v2: 4096 };
const TYPES = new Set(["text", "markdown", "markdown_v2", "news", "image", "file", "template_card"]);

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === "string") : []);

export class WebhookRobots {
  private readonly robots = new Map<string, WebhookRobot>();

  constructor(
    private readonly clock: Clock,
    private readonly codes: SimCodes,
    private readonly perMinute: number,
  ) {}

  add(key: string, chatName: string): WebhookRobot {
    const robot: WebhookRobot = { key, chatName, messages: [], rateLimitHits: 0, rejected: [], window: [] };
    this.robots.set(key, robot);
    return robot;
  }

  get(key: string): WebhookRobot {
    const robot = this.robots.get(key);
    if (!robot) throw new Error(`no webhook robot with key ${key} in the simulator`);
    return robot;
  }

  send(query: URLSearchParams, body: string): SimAnswer {
    const robot = this.robots.get(query.get("key") ?? "");
    if (!robot) return fail(this.codes.invalidWebhookKey, "invalid webhook url");
    const now = this.clock.now();
    const answer = this.check(robot, body, now.getTime());
    if (answer.errcode !== 0) robot.rejected.push({ errcode: answer.errcode, at: now });
    return answer;
  }

  private check(robot: WebhookRobot, body: string, nowMs: number): SimAnswer {
    robot.window = robot.window.filter((t) => t > nowMs - 60_000);
    if (robot.window.length >= this.perMinute) {
      robot.rateLimitHits++;
      return fail(this.codes.rateLimited, "api freq out of limit");
    }
    const msg = jsonObject(body);
    if (!msg) return fail(this.codes.invalidParameter, "Warning: wrong json format.");
    const msgtype = typeof msg.msgtype === "string" ? msg.msgtype : "";
    if (!TYPES.has(msgtype)) return fail(this.codes.invalidMsgType, "invalid message type");
    const part = (msg[msgtype] ?? {}) as Record<string, unknown>;
    const content = typeof part.content === "string" ? part.content : "";
    const limit = LIMITS[msgtype];
    if (limit !== undefined && content === "") return fail(this.codes.emptyContent, "empty content");
    if (limit !== undefined && bytes(content) > limit) {
      return fail(this.codes.contentTooLong, "content size out of limit");
    }
    robot.window.push(nowMs);
    robot.messages.push({
      msgtype,
      content,
      mentionedList: strings(part.mentioned_list),
      mentionedMobileList: strings(part.mentioned_mobile_list),
      at: new Date(nowMs),
      raw: msg,
    });
    return ok();
  }
}
