/**
 * Reconnect delay: exponential from baseMs, capped at maxMs, with jitter so that many bots (or a
 * restarted fleet) do not reconnect in lockstep. The official SDK uses 1 s → 30 s without jitter.
 */
export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  /** 0..1: the delay is reduced by up to this fraction at random. */
  jitter?: number;
  random?: () => number;
}

export const DEFAULT_BACKOFF = { baseMs: 1000, maxMs: 30_000, jitter: 0.3 } as const;

/** attempt counts from 1. The result is within [cap·(1−jitter), cap], cap = min(maxMs, baseMs·2^(attempt−1)). */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const baseMs = options.baseMs ?? DEFAULT_BACKOFF.baseMs;
  const maxMs = options.maxMs ?? DEFAULT_BACKOFF.maxMs;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? DEFAULT_BACKOFF.jitter));
  const random = options.random ?? Math.random;
  // 2^attempt overflows to Infinity for huge attempts; Math.min keeps the cap.
  const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(cap * (1 - jitter * random()));
}
