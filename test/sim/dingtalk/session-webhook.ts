import { randomBytes } from "node:crypto";
import type { Clock } from "../../../src/lib/clock.ts";
import type { SimCodes } from "./codes.ts";
import { bytes, oapi, oapiOk, type SimAnswer } from "./http.ts";
import { parseRobotBody, type RobotBodyRecord } from "./robot-body.ts";

/**
 * Session webhooks: `POST /robot/sendBySession?session=…` (production: oapi.dingtalk.com), handed
 * out in every callback with `sessionWebhookExpiredTime`. They take text / markdown bodies until
 * that instant (judged by the injected clock), any number of times (UNVERIFIED: no documented cap),
 * then `{errcode: 300001, errmsg: "session 不存在"}` (REPORTED, see codes.ts).
 */

export interface SessionWebhook {
  session: string;
  conversationId: string;
  createdAt: Date;
  expiresAt: number;
  messages: RobotBodyRecord[];
  /** Every POST, accepted or not. */
  attempts: Array<{ at: Date; errcode: number }>;
}

/** Observed in public callback logs: 20 minutes (Stream) to 90 minutes (HTTP); UNVERIFIED rule. */
export const DEFAULT_SESSION_TTL_MS = 20 * 60_000;
/** Same limit as the custom robot (UNVERIFIED for sessions). */
export const SESSION_BODY_MAX_BYTES = 20_000;

export class SessionWebhooks {
  private readonly bySession = new Map<string, SessionWebhook>();

  constructor(
    private readonly clock: Clock,
    private readonly codes: SimCodes,
  ) {}

  create(conversationId: string, ttlMs = DEFAULT_SESSION_TTL_MS): SessionWebhook {
    const createdAt = this.clock.now();
    const hook: SessionWebhook = {
      session: randomBytes(16).toString("hex"),
      conversationId,
      createdAt,
      expiresAt: createdAt.getTime() + ttlMs,
      messages: [],
      attempts: [],
    };
    this.bySession.set(hook.session, hook);
    return hook;
  }

  /** A session webhook by its URL or its session id. */
  get(urlOrSession: string): SessionWebhook {
    const session = urlOrSession.includes("session=")
      ? (new URL(urlOrSession).searchParams.get("session") ?? "")
      : urlOrSession;
    const hook = this.bySession.get(session);
    if (!hook) throw new Error("unknown session webhook");
    return hook;
  }

  /** Messages accepted for one conversation, over all its session webhooks. */
  inConversation(conversationId: string): RobotBodyRecord[] {
    return [...this.bySession.values()]
      .filter((h) => h.conversationId === conversationId)
      .flatMap((h) => h.messages);
  }

  post(query: URLSearchParams, body: string): SimAnswer {
    const now = this.clock.now();
    const hook = this.bySession.get(query.get("session") ?? "");
    if (!hook) return oapi(this.codes.sessionExpired, "session 不存在");
    const answer = this.accept(hook, body, now);
    hook.attempts.push({ at: now, errcode: answer.body.errcode as number });
    return answer;
  }

  private accept(hook: SessionWebhook, body: string, now: Date): SimAnswer {
    if (now.getTime() >= hook.expiresAt) return oapi(this.codes.sessionExpired, "session 不存在");
    if (bytes(body) > SESSION_BODY_MAX_BYTES) return oapi(this.codes.tooLong, "message too long");
    const record = parseRobotBody(body, now);
    if (!record) return oapi(this.codes.robotBadBody, "缺少参数 json");
    hook.messages.push(record);
    return oapiOk();
  }
}
