import type { FakeClock } from "../../../src/lib/clock.ts";
import { seededRandom } from "./faults.ts";

/**
 * What a chaos run checks against a simulator's own records: every message arrived, every extra
 * copy is explained by an attempt the platform accepted after the client had given up on it, and no
 * rolling minute held more than a platform allows. Also the driver that moves the fake clock.
 */

/** A unique, ASCII-only marker carried by one message, findable in any body or request. */
export const chaosTag = (id: string): string => `[chaos:${id.replace(/[^\w-]/g, "")}]`;

const TAG = /\[chaos:[\w-]+\]/g;

export const tagsIn = (text: string): string[] => text.match(TAG) ?? [];

/** The most messages inside any rolling minute: the window (t − 60 s, t] ending at each message. */
export function busiestMinute(times: readonly Date[]): number {
  const ms = times.map((t) => t.getTime()).sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < ms.length; end++) {
    while ((ms[start] as number) <= (ms[end] as number) - 60_000) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

export interface DeliveryCheck {
  /** The tag of every message the bot was asked to send. */
  expected: readonly string[];
  /** One entry per copy the platform accepted (several tags may come from one body). */
  delivered: readonly string[];
  /** One entry per accepted attempt whose client had already given up (it could not know). */
  ghosts: readonly string[];
  /**
   * One entry per attempt whose answer the client never got, as the client saw it. The simulator
   * can miss some (its answer was written as the client gave up), so an extra copy is explained by
   * either record.
   */
  clientFailures?: readonly string[];
}

export interface DeliveryReport {
  messages: number;
  copies: number;
  missing: string[];
  /** Copies beyond the first, over all messages. */
  duplicates: number;
  /** Duplicates with no ghost attempt to explain them (should be empty). */
  unexplained: string[];
}

const countBy = (tags: readonly string[]) => {
  const counts = new Map<string, number>();
  for (const t of tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
};

export function checkDeliveries(c: DeliveryCheck): DeliveryReport {
  const copies = countBy(c.delivered);
  const ghosts = countBy(c.ghosts);
  const failures = countBy(c.clientFailures ?? []);
  const missing = c.expected.filter((t) => !copies.has(t));
  let duplicates = 0;
  const unexplained: string[] = [];
  for (const [tag, n] of copies) {
    duplicates += n - 1;
    // Each extra copy needs its own accepted attempt that the client gave up on.
    if (n - 1 > Math.max(ghosts.get(tag) ?? 0, failures.get(tag) ?? 0)) unexplained.push(`${tag} ×${n}`);
  }
  return { messages: c.expected.length, copies: c.delivered.length, missing, duplicates, unexplained };
}

export interface FakeTimeRun {
  fakeMs: number;
  realMs: number;
}

/**
 * Moves the fake clock forward by `stepMs` every `tickMs` of real time, but only while `busy()` says
 * nothing is in flight: a send that is under way sees time stand still, so its lease (counted on
 * the fake clock) cannot run out under it just because the test hurries time along. Returns once
 * `done()` holds.
 */
export async function runFakeTime(opts: {
  clock: FakeClock;
  stepMs: number;
  tickMs?: number;
  busy: () => boolean | Promise<boolean>;
  done: () => boolean | Promise<boolean>;
  timeoutMs: number;
}): Promise<FakeTimeRun> {
  const started = Date.now();
  const fakeStart = opts.clock.now().getTime();
  for (;;) {
    if (await opts.done()) break;
    if (Date.now() - started > opts.timeoutMs) throw new Error("chaos run did not finish in time");
    if (!(await opts.busy())) opts.clock.advance(opts.stepMs);
    await new Promise((r) => setTimeout(r, opts.tickMs ?? 30));
  }
  return { fakeMs: opts.clock.now().getTime() - fakeStart, realMs: Date.now() - started };
}

/** How many times each kind occurs, e.g. faults by kind. */
export function tally(kinds: readonly string[]): Record<string, number> {
  return Object.fromEntries([...countBy(kinds)].sort(([a], [b]) => a.localeCompare(b)));
}

/** A seeded shuffle (Fisher–Yates), so a run queues its messages in the same mixed order each time. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const next = seededRandom(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** "errcode 45009", "HTTP 502", "slow"…: how a fault is counted in a run's summary. */
export function faultLabel(a: { kind: string; detail?: Record<string, unknown> }): string {
  if (a.kind === "errcode") return `errcode ${a.detail?.errcode}`;
  if (a.kind === "5xx") return `HTTP ${a.detail?.status}`;
  if (a.kind === "apiError") return `HTTP ${a.detail?.status} ${a.detail?.code}`;
  return a.kind;
}
