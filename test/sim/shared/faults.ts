import type { ServerResponse } from "node:http";
import type { SendJson } from "./http.ts";

/**
 * Fault injection: queue faults for the next N requests of a route (or of any route, "*").
 * 5xx / drop / errcode (and platform kinds) replace the request (it has no effect: nothing is
 * recorded); slow delays it and then lets it through, so a client that gave up still had its
 * message delivered — exactly the case that produces duplicates in production.
 */

/** The faults every simulator knows; a platform may add kinds of its own. */
export type CommonFault =
  | { kind: "5xx"; status: number }
  | { kind: "slow"; ms: number }
  | { kind: "drop" }
  | { kind: "errcode"; errcode: number; errmsg: string };

export const commonFault = {
  http5xx: (status = 502): CommonFault => ({ kind: "5xx", status }),
  slow: (ms: number): CommonFault => ({ kind: "slow", ms }),
  drop: (): CommonFault => ({ kind: "drop" }),
  errcode: (errcode: number, errmsg = "injected by the simulator"): CommonFault => ({
    kind: "errcode",
    errcode,
    errmsg,
  }),
};

interface Queued<R extends string, F> {
  route: R | "*";
  fault: F;
  remaining: number;
}

/** `R`: the platform's route names; `F`: its fault type (CommonFault plus any platform kinds). */
export class FaultQueue<R extends string, F extends { kind: string } = CommonFault> {
  private queue: Queued<R, F | CommonFault>[] = [];
  /** Every fault that fired, in order. */
  readonly applied: Array<{ route: R; kind: (F | CommonFault)["kind"] }> = [];

  /** The next `n` requests to `route` (default: any route) suffer `spec`. Queued faults fire in order. */
  next(n: number, spec: F | "5xx" | "drop", route: R | "*" = "*"): void {
    const f = spec === "5xx" ? commonFault.http5xx() : spec === "drop" ? commonFault.drop() : spec;
    this.queue.push({ route, fault: f, remaining: n });
  }

  clear(): void {
    this.queue = [];
  }

  /** How many requests still have a fault waiting for them. */
  get pending(): number {
    return this.queue.reduce((sum, q) => sum + q.remaining, 0);
  }

  take(route: R): F | CommonFault | undefined {
    const entry = this.queue.find((q) => q.remaining > 0 && (q.route === "*" || q.route === route));
    if (!entry) return undefined;
    entry.remaining--;
    this.queue = this.queue.filter((q) => q.remaining > 0);
    this.applied.push({ route, kind: kindOf(entry.fault) });
    return entry.fault;
  }
}

const kindOf = <T extends { kind: string }>(f: T): T["kind"] => f.kind;

/** How a platform answers the common faults. */
export interface FaultStyle {
  sendJson: SendJson;
  /** The JSON body of an injected 5xx. */
  serverErrorBody: Record<string, unknown>;
}

/** Applies a common fault. Returns true when the request is finished (answered or dropped). */
export async function applyCommonFault(
  res: ServerResponse,
  f: CommonFault,
  style: FaultStyle,
): Promise<boolean> {
  switch (f.kind) {
    case "slow":
      await new Promise((r) => setTimeout(r, f.ms));
      return false;
    case "drop":
      // No HTTP answer at all: the client sees a reset socket ("socket hang up").
      res.socket?.destroy();
      return true;
    case "5xx":
      style.sendJson(res, f.status, style.serverErrorBody);
      return true;
    case "errcode":
      style.sendJson(res, 200, { errcode: f.errcode, errmsg: f.errmsg });
      return true;
  }
}
