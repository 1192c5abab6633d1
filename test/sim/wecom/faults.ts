import type { ServerResponse } from "node:http";
import {
  applyCommonFault,
  type CommonFault,
  commonFault,
  FaultQueue as SharedFaultQueue,
} from "../shared/faults.ts";
import { type RouteName, sendJson } from "./http.ts";

/**
 * Fault injection (the queue is shared with the DingTalk simulator: ../shared/faults.ts). WeCom
 * knows the common kinds only: 5xx (body `{error}`), slow, drop, and errcode (HTTP 200
 * `{errcode, errmsg}`).
 */
export type Fault = CommonFault;

export const fault = commonFault;

export type FaultSpec = Fault | "5xx" | "drop";
export type FaultRoute = RouteName | "*";

export class FaultQueue extends SharedFaultQueue<RouteName, Fault> {}

/** Applies a fault. Returns true when the request is finished (answered or dropped). */
export function applyFault(res: ServerResponse, f: Fault): Promise<boolean> {
  return applyCommonFault(res, f, { sendJson, serverErrorBody: { error: "injected server error" } });
}
