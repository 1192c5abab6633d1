import { type Json, parseJsonObject } from "../lib/json.ts";
import { requestFailed, retryLater, type SendFailure } from "./send-result.ts";

/**
 * One HTTP exchange with a platform API (WeCom, DingTalk). Network failures, our timeout and the
 * statuses that say "later" (5xx, 408, 429) are classified here; every other status goes back to the
 * platform client with its JSON body, for its own error codes. Timeouts use real timers because they
 * guard real sockets.
 */

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface HttpClient {
  fetch: typeof fetch;
  /** Per request, body included. */
  timeoutMs: number;
  /** HTTP 429 is this platform's rate limit: the sender should slow down, not just wait. */
  rateLimitedOn429?: boolean;
}

export interface HttpRequest {
  method: "GET" | "POST";
  headers?: Record<string, string>;
  /** Sent as JSON; none for a GET. */
  body?: unknown;
}

export type HttpCall =
  | { ok: true; status: number; json: Json | undefined }
  | { ok: false; result: SendFailure };

/** An API class's client: the global fetch and a 10 s timeout unless the options say otherwise. */
export function httpClient(options: Partial<HttpClient>): HttpClient {
  const f = options.fetch ?? fetch;
  return {
    // Called through a wrapper: some fetch implementations refuse a foreign `this`.
    fetch: (input, init) => f(input, init),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    rateLimitedOn429: options.rateLimitedOn429 ?? false,
  };
}

export async function httpCall(client: HttpClient, url: string, request: HttpRequest): Promise<HttpCall> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), client.timeoutMs);
  try {
    const res = await client.fetch(url, {
      method: request.method,
      signal: controller.signal,
      ...(request.body === undefined
        ? { headers: request.headers }
        : {
            headers: { "content-type": "application/json", ...request.headers },
            body: JSON.stringify(request.body),
          }),
    });
    // Read the body under the same timeout: a server can stall after the headers.
    const text = await res.text();
    // 408/429 say "later" even though they are 4xx.
    if (res.status >= 500 || res.status === 408 || res.status === 429) {
      const rateLimited = res.status === 429 && client.rateLimitedOn429 === true;
      return { ok: false, result: retryLater(`HTTP ${res.status}`, rateLimited ? { rateLimited } : {}) };
    }
    return { ok: true, status: res.status, json: parseJsonObject(text) };
  } catch (err) {
    return { ok: false, result: requestFailed(err, controller.signal.aborted, client.timeoutMs) };
  } finally {
    clearTimeout(timer);
  }
}

/** Replaces credentials in free text (a platform's error message) before it reaches a log line. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  return secrets.reduce((t, s) => (s.length >= 4 ? t.split(s).join("***") : t), text).slice(0, 300);
}
