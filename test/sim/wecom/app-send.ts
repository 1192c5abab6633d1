import { randomBytes } from "node:crypto";
import type { Clock } from "../../../src/lib/clock.ts";
import type { SimCodes } from "./codes.ts";
import { bytes, fail, jsonObject, ok, type SimAnswer } from "./http.ts";
import type { TokenStore } from "./tokens.ts";

/**
 * `POST /cgi-bin/message/send?access_token=` for one-to-one app messages (text / markdown).
 * Both text and markdown content are limited to 2048 bytes (documented for the app message API).
 */

export interface AppMessageRecord {
  toUser: string;
  msgtype: "text" | "markdown";
  content: string;
  agentId: string;
  at: Date;
  raw: Record<string, unknown>;
}

export const APP_CONTENT_MAX_BYTES = 2048;

export class AppMessages {
  readonly all: AppMessageRecord[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly codes: SimCodes,
    private readonly tokens: TokenStore,
  ) {}

  to(userId: string): AppMessageRecord[] {
    return this.all.filter((m) => m.toUser === userId);
  }

  send(query: URLSearchParams, body: string): SimAnswer {
    const auth = this.tokens.check(query);
    if ("answer" in auth) return auth.answer;
    const msg = jsonObject(body);
    if (!msg) return fail(this.codes.invalidParameter, "Warning: wrong json format.");
    const touser = typeof msg.touser === "string" ? msg.touser : "";
    if (!touser) return fail(this.codes.invalidParameter, "touser missing");
    if (String(msg.agentid ?? "") !== auth.app.agentId)
      return fail(this.codes.invalidAgentId, "invalid agentid");
    const msgtype = msg.msgtype;
    if (msgtype !== "text" && msgtype !== "markdown")
      return fail(this.codes.invalidMsgType, "invalid message type");
    const part = msg[msgtype];
    const content =
      typeof part === "object" && part !== null ? (part as Record<string, unknown>).content : undefined;
    if (typeof content !== "string" || content === "") return fail(this.codes.emptyContent, "empty content");
    if (bytes(content) > APP_CONTENT_MAX_BYTES)
      return fail(this.codes.contentTooLong, "content size out of limit");
    // touser may name several members, "a|b|c".
    for (const toUser of touser.split("|")) {
      this.all.push({ toUser, msgtype, content, agentId: auth.app.agentId, at: this.clock.now(), raw: msg });
    }
    return ok({ invaliduser: "", msgid: randomBytes(12).toString("base64url") });
  }
}
