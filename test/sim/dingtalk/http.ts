import { jsonSender } from "../shared/http.ts";

/**
 * The simulator's routes, as fault injection and the request log name them. DingTalk has two API
 * styles: api.dingtalk.com (v1.0) answers HTTP status + `{code, message, requestid}` on failure and
 * the bare result on success; oapi.dingtalk.com (robots) answers HTTP 200 + `{errcode, errmsg}`.
 */
export type RouteName =
  | "oauth2/accessToken"
  | "groupMessages/send"
  | "oToMessages/batchSend"
  | "gateway/connections/open"
  | "robot/send"
  | "robot/sendBySession";

/** What a route answers: an HTTP status and a JSON body. */
export interface SimAnswer {
  status: number;
  body: Record<string, unknown>;
}

let requestSeq = 0;
/** DingTalk's requestid looks like an upper-case UUID; any unique string serves. */
export const requestId = (): string =>
  `SIM-${(++requestSeq).toString(16).toUpperCase().padStart(8, "0")}-${Date.now().toString(16).toUpperCase()}`;

/** api.dingtalk.com success: HTTP 200 with the result object. */
export const apiOk = (body: Record<string, unknown>): SimAnswer => ({ status: 200, body });

/** api.dingtalk.com failure: `{code, message, requestid}` with an HTTP error status. */
export const apiError = (status: number, code: string, message: string): SimAnswer => ({
  status,
  body: { code, message, requestid: requestId() },
});

/** oapi.dingtalk.com answer: always HTTP 200, success is errcode 0. */
export const oapi = (errcode: number, errmsg: string): SimAnswer => ({
  status: 200,
  body: { errcode, errmsg },
});
export const oapiOk = (): SimAnswer => oapi(0, "ok");

export { bytes, isObject, jsonObject, readBody } from "../shared/http.ts";

export const sendJson = jsonSender("application/json;charset=utf-8");

export const str = (v: unknown): string => (typeof v === "string" ? v : "");
