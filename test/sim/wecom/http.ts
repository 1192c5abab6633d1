import { jsonSender } from "../shared/http.ts";

/** The routes of the simulator, as fault injection and the request log name them. */
export type RouteName = "gettoken" | "message/send" | "webhook/send" | "aibot/response";

export interface SimRequest {
  route: RouteName;
  method: string;
  query: URLSearchParams;
  body: string;
}

/** What a route answers: WeCom answers HTTP 200 with an errcode for every API-level failure. */
export type SimAnswer = Record<string, unknown> & { errcode: number; errmsg: string };

export const ok = (extra: Record<string, unknown> = {}): SimAnswer => ({
  errcode: 0,
  errmsg: "ok",
  ...extra,
});
export const fail = (errcode: number, errmsg: string): SimAnswer => ({ errcode, errmsg });

export { bytes, jsonObject, readBody } from "../shared/http.ts";

export const sendJson = jsonSender("application/json; charset=UTF-8");
