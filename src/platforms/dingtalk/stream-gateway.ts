import { parseJsonObject } from "../../lib/json.ts";
import { errorCode } from "../send-result.ts";
/**
 * Stream mode registration: `POST {apiBase}/v1.0/gateway/connections/open` with clientId (AppKey),
 * clientSecret (AppSecret) and the subscriptions → `{endpoint, ticket}`; the WebSocket then goes to
 * `endpoint?ticket=…`. A ticket serves one connection, so every reconnect fetches a new one.
 * The secret is sent here and nowhere else, and never logged; the returned URL holds the ticket, so
 * log it only through safeUrl.
 */

export interface OpenOptions {
  apiBase: string;
  clientId: string;
  clientSecret: string;
  subscriptions: ReadonlyArray<{ type: string; topic: string }>;
  fetch: typeof fetch;
  timeoutMs: number;
  /** Sent as `ua` (the SDKs send their name and version). */
  ua?: string;
}

export type OpenResult =
  | { ok: true; url: string }
  /** auth: DingTalk refused the credentials (an operator must fix them; we keep retrying slowly). */
  | { ok: false; reason: string; auth: boolean };

export async function openStreamConnection(o: OpenOptions): Promise<OpenResult> {
  const signal = AbortSignal.timeout(o.timeoutMs);
  try {
    const res = await o.fetch(`${o.apiBase.replace(/\/+$/, "")}/v1.0/gateway/connections/open`, {
      method: "POST",
      signal,
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        clientId: o.clientId,
        clientSecret: o.clientSecret,
        subscriptions: o.subscriptions,
        ua: o.ua ?? "huibao",
      }),
    });
    const text = await res.text();
    const json = parseJsonObject(text);
    if (!res.ok) {
      const code = typeof json?.code === "string" ? ` ${json.code.slice(0, 60)}` : "";
      return {
        ok: false,
        reason: `HTTP ${res.status}${code}`,
        auth: res.status === 401 || res.status === 403,
      };
    }
    const endpoint = json?.endpoint;
    const ticket = json?.ticket;
    if (typeof endpoint !== "string" || !URL.canParse(endpoint) || typeof ticket !== "string" || !ticket) {
      return { ok: false, reason: "answer without endpoint/ticket", auth: false };
    }
    const url = `${endpoint}${endpoint.includes("?") ? "&" : "?"}ticket=${encodeURIComponent(ticket)}`;
    return { ok: true, url };
  } catch (err) {
    const reason = signal.aborted ? `timeout after ${o.timeoutMs} ms` : `network error (${errorCode(err)})`;
    return { ok: false, reason, auth: false };
  }
}
