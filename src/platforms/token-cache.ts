import type { Clock } from "../lib/clock.ts";
import type { SendFailure } from "./send-result.ts";

/**
 * Platform access tokens (WeCom gettoken, DingTalk oauth2/accessToken), one per app key: fetched
 * once at a time, refreshed a while before they expire, and kept in use while an early refresh fails.
 */

const DEFAULT_REFRESH_EARLY_MS = 5 * 60_000;
const EARLY_RETRY_MS = 30_000;

export type TokenCall = { ok: true; token: string } | { ok: false; result: SendFailure };
/** What the platform's token endpoint answered: a token and its lifetime, or a classified failure. */
export type FetchedToken = { ok: true; token: string; ttlMs: number } | { ok: false; result: SendFailure };

/** accessToken() could not get a token; `result` says whether trying later may help. */
export class TokenError extends Error {
  override readonly name: string = "TokenError";
  constructor(readonly result: SendFailure) {
    super(result.reason);
  }
}

interface CachedToken {
  token: string;
  refreshAt: number;
  expiresAt: number;
}

export class TokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly inflight = new Map<string, Promise<TokenCall>>();
  private readonly refreshEarlyMs: number;

  /** refreshEarlyMs: refresh this long before the token expires (at most half its lifetime). */
  constructor(
    private readonly clock: Clock,
    refreshEarlyMs?: number,
  ) {
    this.refreshEarlyMs = refreshEarlyMs ?? DEFAULT_REFRESH_EARLY_MS;
  }

  get(key: string, fetchToken: () => Promise<FetchedToken>): Promise<TokenCall> {
    const cached = this.tokens.get(key);
    if (cached && this.clock.now().getTime() < cached.refreshAt) {
      return Promise.resolve({ ok: true, token: cached.token });
    }
    // One refresh per app at a time: the token endpoint is itself rate limited.
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.refresh(key, fetchToken).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  /**
   * The platform refused `token`. Only drop the token that failed: concurrent senders must not each
   * start a refresh.
   */
  rejected(key: string, token: string): void {
    if (this.tokens.get(key)?.token === token) this.tokens.delete(key);
  }

  /** Forgets one app's token, or every token when called without a key. */
  forget(key?: string): void {
    if (key === undefined) this.tokens.clear();
    else this.tokens.delete(key);
  }

  private async refresh(key: string, fetchToken: () => Promise<FetchedToken>): Promise<TokenCall> {
    const got = await fetchToken();
    const now = this.clock.now().getTime();
    if (!got.ok) {
      // An early refresh that failed still leaves the old token usable until it really expires.
      // Try again in a while, not on every send (the token endpoint is itself rate limited).
      const old = this.tokens.get(key);
      if (old && now < old.expiresAt && got.result.retry) {
        this.tokens.set(key, { ...old, refreshAt: Math.min(old.expiresAt, now + EARLY_RETRY_MS) });
        return { ok: true, token: old.token };
      }
      return { ok: false, result: got.result };
    }
    const refreshAt = now + got.ttlMs - Math.min(this.refreshEarlyMs, got.ttlMs / 2);
    this.tokens.set(key, { token: got.token, refreshAt, expiresAt: now + got.ttlMs });
    return { ok: true, token: got.token };
  }
}
