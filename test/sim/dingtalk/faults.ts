import type { ServerResponse } from "node:http";
import { type RouteName, requestId, sendJson } from "./http.ts";

/**
 * Fault injection: queue faults for the next N requests of a route (or of any route, "*").
 * 5xx / drop / errcode / apiError replace the request (it has no effect: nothing is recorded); slow
 * delays it and then lets it through, so a client that gave up still had its message delivered —
 * exactly the case that produces duplicates in production.
 */
export type Fault =
  | { kind: "5xx"; status: number }
  | { kind: "slow"; ms: number }
  | { kind: "drop" }
  /** oapi style: HTTP 200 `{errcode, errmsg}` (robot/send, robot/sendBySession). */
  | { kind: "errcode"; errcode: number; errmsg: string }
  /** api.dingtalk.com style: HTTP status + `{code, message, requestid}`. */
  | { kind: "apiError"; status: number; code: string; message: string };

export const fault = {
  http5xx: (status = 502): Fault => ({ kind: "5xx", status }),
  slow: (ms: number): Fault => ({ kind: "slow", ms }),
  drop: (): Fault => ({ kind: "drop" }),
  errcode: (errcode: number, errmsg = "injected by the simulator"): Fault => ({
    kind: "errcode",
    errcode,
    errmsg,
  }),
  apiError: (status: number, code: string, message = "injected by the simulator"): Fault => ({
    kind: "apiError",
    status,
    code,
    message,
  }),
};

export type FaultSpec = Fault | "5xx" | "drop";
export type FaultRoute = RouteName | "*";

interface Queued {
  route: FaultRoute;
  fault: Fault;
  remaining: number;
}

export class FaultQueue {
  private queue: Queued[] = [];
  /** Every fault that fired, in order. */
  readonly applied: Array<{ route: RouteName; kind: Fault["kind"] }> = [];

  /** The next `n` requests to `route` (default: any route) suffer `spec`. Queued faults fire in order. */
  next(n: number, spec: FaultSpec, route: FaultRoute = "*"): void {
    const f: Fault = spec === "5xx" ? fault.http5xx() : spec === "drop" ? fault.drop() : spec;
    this.queue.push({ route, fault: f, remaining: n });
  }

  clear(): void {
    this.queue = [];
  }

  get pending(): number {
    return this.queue.reduce((sum, q) => sum + q.remaining, 0);
  }

  take(route: RouteName): Fault | undefined {
    const entry = this.queue.find((q) => q.remaining > 0 && (q.route === "*" || q.route === route));
    if (!entry) return undefined;
    entry.remaining--;
    this.queue = this.queue.filter((q) => q.remaining > 0);
    this.applied.push({ route, kind: entry.fault.kind });
    return entry.fault;
  }
}

/** Applies a fault. Returns true when the request is finished (answered or dropped). */
export async function applyFault(res: ServerResponse, f: Fault): Promise<boolean> {
  switch (f.kind) {
    case "slow":
      await new Promise((r) => setTimeout(r, f.ms));
      return false;
    case "drop":
      // No HTTP answer at all: the client sees a reset socket ("socket hang up").
      res.socket?.destroy();
      return true;
    case "5xx":
      sendJson(res, f.status, { code: "ServiceUnavailable", message: "injected server error" });
      return true;
    case "errcode":
      sendJson(res, 200, { errcode: f.errcode, errmsg: f.errmsg });
      return true;
    case "apiError":
      sendJson(res, f.status, { code: f.code, message: f.message, requestid: requestId() });
      return true;
  }
}
