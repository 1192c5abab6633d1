import { randomBytes } from "node:crypto";
import type { Clock } from "../../../src/lib/clock.ts";
import type { SimCodes } from "./codes.ts";
import { fail, jsonObject, ok, type SimAnswer } from "./http.ts";

/**
 * The AI bot's `response_url`: `https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=…`
 * (doc 101138, 主动回复消息): "每个 response_url 用户可以调用接口一次, 有效期为 1 个小时".
 * What WeCom answers to a second POST or an expired code is not documented: see codes.ts.
 */

export interface ResponseUrlRecord {
  code: string;
  createdAt: Date;
  /** The one accepted body, once used. */
  body?: Record<string, unknown>;
  usedAt?: Date;
  /** Every POST, accepted or not. */
  attempts: Array<{ at: Date; errcode: number }>;
}

export const RESPONSE_URL_TTL_MS = 3600_000;

export class ResponseUrls {
  private readonly byCode = new Map<string, ResponseUrlRecord>();

  constructor(
    private readonly clock: Clock,
    private readonly codes: SimCodes,
  ) {}

  create(): ResponseUrlRecord {
    const record: ResponseUrlRecord = {
      code: randomBytes(24).toString("base64url"),
      createdAt: this.clock.now(),
      attempts: [],
    };
    this.byCode.set(record.code, record);
    return record;
  }

  /** The record of a response_url (the full URL or its response_code). */
  get(urlOrCode: string): ResponseUrlRecord {
    const code = urlOrCode.includes("response_code=")
      ? (new URL(urlOrCode).searchParams.get("response_code") ?? "")
      : urlOrCode;
    const record = this.byCode.get(code);
    if (!record) throw new Error("unknown response_url");
    return record;
  }

  post(query: URLSearchParams, body: string): SimAnswer {
    const record = this.byCode.get(query.get("response_code") ?? "");
    if (!record) return fail(this.codes.responseUrlUnknown, "invalid response_code");
    const now = this.clock.now();
    const answer = this.accept(record, body, now);
    record.attempts.push({ at: now, errcode: answer.errcode });
    return answer;
  }

  private accept(record: ResponseUrlRecord, body: string, now: Date): SimAnswer {
    if (record.usedAt) return fail(this.codes.responseUrlUsed, "response_code already used");
    if (now.getTime() - record.createdAt.getTime() >= RESPONSE_URL_TTL_MS) {
      return fail(this.codes.responseUrlExpired, "response_code expired");
    }
    const msg = jsonObject(body);
    if (!msg) return fail(this.codes.invalidParameter, "Warning: wrong json format.");
    // Documented types for response_url: markdown and template_card.
    if (msg.msgtype !== "markdown" && msg.msgtype !== "template_card") {
      return fail(this.codes.invalidMsgType, "invalid message type");
    }
    record.body = msg;
    record.usedAt = now;
    return ok();
  }
}
