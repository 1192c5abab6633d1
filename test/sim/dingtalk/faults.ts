import type { ServerResponse } from "node:http";
import {
  applyCommonFault,
  type CommonFault,
  commonFault,
  FaultQueue as SharedFaultQueue,
} from "../shared/faults.ts";
import { type RouteName, requestId, sendJson } from "./http.ts";

/**
 * Fault injection (the queue is shared with the WeCom simulator: ../shared/faults.ts). Besides the
 * common kinds (5xx, slow, drop, and errcode — the oapi style: HTTP 200 `{errcode, errmsg}`, for
 * robot/send and robot/sendBySession), DingTalk has apiError.
 */
export type Fault =
  | CommonFault
  /** api.dingtalk.com style: HTTP status + `{code, message, requestid}`. */
  | { kind: "apiError"; status: number; code: string; message: string };

export const fault = {
  ...commonFault,
  apiError: (status: number, code: string, message = "injected by the simulator"): Fault => ({
    kind: "apiError",
    status,
    code,
    message,
  }),
};

export type FaultSpec = Fault | "5xx" | "drop";
export type FaultRoute = RouteName | "*";

export class FaultQueue extends SharedFaultQueue<RouteName, Fault> {}

/** Applies a fault. Returns true when the request is finished (answered or dropped). */
export async function applyFault(res: ServerResponse, f: Fault): Promise<boolean> {
  if (f.kind === "apiError") {
    sendJson(res, f.status, { code: f.code, message: f.message, requestid: requestId() });
    return true;
  }
  return applyCommonFault(res, f, {
    sendJson,
    serverErrorBody: { code: "ServiceUnavailable", message: "injected server error" },
  });
}
