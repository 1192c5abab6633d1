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

/**
 * Seeded random faults: each request (to one of `routes`, default all) suffers a fault with
 * probability `rate`, drawn from `faults` (by weight; an entry may be limited to some routes, e.g.
 * an errcode only the oapi host speaks). The draws come from one seeded generator in arrival order,
 * so a seed replays the same sequence of decisions; which request meets which decision depends on
 * the order requests arrive in. Queued faults (`next`) still come first.
 */
export interface RandomFaults<R extends string, F> {
  seed: number;
  /** Probability that a request is faulted, 0..1. */
  rate: number;
  faults: Array<RandomFaultEntry<R, F>>;
  /** Only these routes are faulted (default: every route). */
  routes?: readonly R[];
}

export type RandomFaultEntry<R extends string, F> =
  | F
  | "5xx"
  | "drop"
  | { fault: F | "5xx" | "drop"; weight?: number; routes?: readonly R[] };

/** mulberry32: a tiny, well-mixed 32-bit generator; plenty for picking faults reproducibly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RandomMode<R extends string, F> {
  rate: number;
  routes?: readonly R[];
  entries: Array<{ fault: F; weight: number; routes?: readonly R[] }>;
  next: () => number;
}

/** One fault that fired. `random`: drawn by the random mode rather than queued with `next`. */
export interface AppliedFault<R extends string, K extends string> {
  route: R;
  kind: K;
  random?: boolean;
  /** The fault itself (status, ms, errcode…). */
  detail?: Record<string, unknown>;
}

interface Queued<R extends string, F> {
  route: R | "*";
  fault: F;
  remaining: number;
}

/** `R`: the platform's route names; `F`: its fault type (CommonFault plus any platform kinds). */
export class FaultQueue<R extends string, F extends { kind: string } = CommonFault> {
  private queue: Queued<R, F | CommonFault>[] = [];
  private randomMode: RandomMode<R, F | CommonFault> | undefined;
  /** Every fault that fired, in order. */
  readonly applied: Array<AppliedFault<R, (F | CommonFault)["kind"]>> = [];

  /** The next `n` requests to `route` (default: any route) suffer `spec`. Queued faults fire in order. */
  next(n: number, spec: F | "5xx" | "drop", route: R | "*" = "*"): void {
    this.queue.push({ route, fault: resolveSpec(spec), remaining: n });
  }

  /** From now on, requests fail at random (see RandomFaults); `clear()` ends it. */
  random(opts: RandomFaults<R, F>): void {
    const entries = opts.faults.map((e) =>
      typeof e === "object" && "fault" in e
        ? { fault: resolveSpec(e.fault), weight: e.weight ?? 1, routes: e.routes }
        : { fault: resolveSpec(e as F | "5xx" | "drop"), weight: 1 },
    );
    if (entries.length === 0) throw new Error("random faults need at least one fault to draw from");
    this.randomMode = { rate: opts.rate, routes: opts.routes, entries, next: seededRandom(opts.seed) };
  }

  clear(): void {
    this.queue = [];
    this.randomMode = undefined;
  }

  /** How many requests still have a fault waiting for them. */
  get pending(): number {
    return this.queue.reduce((sum, q) => sum + q.remaining, 0);
  }

  take(route: R): F | CommonFault | undefined {
    const entry = this.queue.find((q) => q.remaining > 0 && (q.route === "*" || q.route === route));
    if (!entry) return this.draw(route);
    entry.remaining--;
    this.queue = this.queue.filter((q) => q.remaining > 0);
    this.applied.push({ route, kind: kindOf(entry.fault) });
    return entry.fault;
  }

  private draw(route: R): F | CommonFault | undefined {
    const mode = this.randomMode;
    if (!mode || (mode.routes && !mode.routes.includes(route))) return undefined;
    // Two draws per request whatever happens, so a seed replays the same decisions request by request.
    const hit = mode.next() < mode.rate;
    const pick = mode.next();
    if (!hit) return undefined;
    const usable = mode.entries.filter((e) => !e.routes || e.routes.includes(route));
    const total = usable.reduce((sum, e) => sum + e.weight, 0);
    let left = pick * total;
    let chosen = usable.at(-1);
    for (const e of usable) {
      if (left < e.weight) {
        chosen = e;
        break;
      }
      left -= e.weight;
    }
    if (!chosen) return undefined;
    const { kind, ...detail } = chosen.fault as { kind: string } & Record<string, unknown>;
    this.applied.push({ route, kind: kind as (F | CommonFault)["kind"], random: true, detail });
    return chosen.fault;
  }
}

function resolveSpec<F>(spec: F | "5xx" | "drop"): F | CommonFault {
  return spec === "5xx" ? commonFault.http5xx() : spec === "drop" ? commonFault.drop() : (spec as F);
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
