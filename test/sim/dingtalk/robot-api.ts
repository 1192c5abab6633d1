import { randomBytes } from "node:crypto";
import type { Clock } from "../../../src/lib/clock.ts";
import type { SimCodes } from "./codes.ts";
import { apiError, apiOk, bytes, jsonObject, type SimAnswer, str } from "./http.ts";
import type { SimApp, TokenStore } from "./tokens.ts";

/**
 * The enterprise robot's proactive APIs (header x-acs-dingtalk-access-token):
 * `POST /v1.0/robot/groupMessages/send {robotCode, openConversationId, msgKey, msgParam}` and
 * `POST /v1.0/robot/oToMessages/batchSend {robotCode, userIds[], msgKey, msgParam}`, both → `{processQueryKey}`.
 * msgParam is a JSON *string*; its shape depends on msgKey (sampleText {content}, sampleMarkdown {title, text}).
 */

export interface RobotMessageRecord {
  robotCode: string;
  msgKey: string;
  /** msgParam parsed. */
  param: Record<string, unknown>;
  processQueryKey: string;
  at: Date;
}
export interface GroupMessageRecord extends RobotMessageRecord {
  openConversationId: string;
}
export interface OneToOneRecord extends RobotMessageRecord {
  userId: string;
}

/** DOCUMENTED for groupMessages/send; assumed for batchSend. */
export const MSG_PARAM_MAX_BYTES = 15_000;
/** batchSend takes at most 20 userIds per call (DOCUMENTED: 每次最多传20个). */
export const BATCH_MAX_USERS = 20;

const REQUIRED: Record<string, string[]> = { sampleText: ["content"], sampleMarkdown: ["title", "text"] };

export class RobotApi {
  readonly groupMessages: GroupMessageRecord[] = [];
  readonly oneToOne: OneToOneRecord[] = [];
  /** userIds batchSend reports in invalidStaffIdList (not in the organisation). */
  readonly unknownUsers = new Set<string>();
  /** userIds batchSend reports in flowControlledStaffIdList. */
  readonly flowControlledUsers = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly codes: SimCodes,
    private readonly tokens: TokenStore,
  ) {}

  inConversation(openConversationId: string): GroupMessageRecord[] {
    return this.groupMessages.filter((m) => m.openConversationId === openConversationId);
  }

  toUser(userId: string): OneToOneRecord[] {
    return this.oneToOne.filter((m) => m.userId === userId);
  }

  sendGroup(token: string | undefined, body: string): SimAnswer {
    const checked = this.common(token, body);
    if ("answer" in checked) return checked.answer;
    const openConversationId = str(checked.req.openConversationId);
    if (!openConversationId) return this.error("invalidParameter");
    this.groupMessages.push({ ...checked.record, openConversationId });
    return apiOk({ processQueryKey: checked.record.processQueryKey });
  }

  batchSend(token: string | undefined, body: string): SimAnswer {
    const checked = this.common(token, body);
    if ("answer" in checked) return checked.answer;
    const userIds = checked.req.userIds;
    if (!Array.isArray(userIds) || userIds.length === 0 || userIds.length > BATCH_MAX_USERS) {
      return this.error("invalidParameter");
    }
    if (!userIds.every((u) => typeof u === "string" && u !== "")) return this.error("invalidParameter");
    const invalid = userIds.filter((u) => this.unknownUsers.has(u));
    const flowControlled = userIds.filter((u) => !invalid.includes(u) && this.flowControlledUsers.has(u));
    for (const userId of userIds) {
      if (!invalid.includes(userId) && !flowControlled.includes(userId))
        this.oneToOne.push({ ...checked.record, userId });
    }
    return apiOk({
      processQueryKey: checked.record.processQueryKey,
      invalidStaffIdList: invalid,
      flowControlledStaffIdList: flowControlled,
    });
  }

  /** Token, JSON body, robotCode, msgKey/msgParam: what both routes check. */
  private common(
    token: string | undefined,
    body: string,
  ): { answer: SimAnswer } | { req: Record<string, unknown>; record: RobotMessageRecord; app: SimApp } {
    const auth = this.tokens.check(token);
    if ("answer" in auth) return auth;
    const req = jsonObject(body);
    if (!req) return { answer: this.error("invalidParameter") };
    const robotCode = str(req.robotCode);
    if (!robotCode) return { answer: this.error("invalidParameter") };
    if (robotCode !== auth.app.robotCode) return { answer: this.error("robotNotOwned") };
    const msgKey = str(req.msgKey);
    const rawParam = str(req.msgParam);
    if (!msgKey || !rawParam) return { answer: this.error("invalidParameter") };
    if (bytes(rawParam) > MSG_PARAM_MAX_BYTES) return { answer: this.error("msgParamTooLong") };
    const param = jsonObject(rawParam);
    if (!param) return { answer: this.error("invalidParameter") };
    const missing = (REQUIRED[msgKey] ?? []).some((k) => typeof param[k] !== "string" || param[k] === "");
    if (missing) return { answer: this.error("invalidParameter") };
    const processQueryKey = randomBytes(24).toString("base64");
    return {
      req,
      app: auth.app,
      record: { robotCode, msgKey, param, processQueryKey, at: this.clock.now() },
    };
  }

  private error(name: "invalidParameter" | "robotNotOwned" | "msgParamTooLong"): SimAnswer {
    const c = this.codes[name];
    return apiError(c.status, c.code, c.message);
  }
}
