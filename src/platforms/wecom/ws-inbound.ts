import type { IncomingMessage, OutgoingMessage } from "../types.ts";
import { decodeBotMessage } from "./decode.ts";

/**
 * A long-connection message callback → IncomingMessage. The body is the same JSON as the HTTP
 * callback's decrypted payload (SDK types BaseMessage/TextMessage; real frames seen in the wild carry
 * msgid, aibotid, chatid, chattype, from.userid, response_url, msgtype, text, quote), so the HTTP
 * decoder is reused as it is.
 */

export interface WecomWsMeta {
  /** The callback's req_id; the reply goes back on it. */
  reqId: string;
  /** Composite dedupe key (sender + msgid), the same as the HTTP callback's. */
  dedupeKey: string;
  /** Also sent on the long connection; valid once, for 1 hour. */
  responseUrl?: string;
}

export type InboundResult =
  | { message: IncomingMessage; meta: WecomWsMeta }
  | { skipped: string; level: "warn" | "debug" };

export interface InboundOptions {
  reqId: string;
  /** Our bot id: the fallback when a frame omits aibotid (it should not). */
  botId: string;
  botNames: readonly string[];
  receivedAt: Date;
}

export function decodeCallback(body: Record<string, unknown>, o: InboundOptions): InboundResult {
  let decoded: ReturnType<typeof decodeBotMessage>;
  try {
    decoded = decodeBotMessage(JSON.stringify({ aibotid: o.botId, ...body }), {
      botNames: o.botNames,
      receivedAt: o.receivedAt,
    });
  } catch (err) {
    return { skipped: `message callback not decodable: ${(err as Error).message}`, level: "warn" };
  }
  if ("ignored" in decoded) return { skipped: decoded.ignored, level: "debug" };
  const responseUrl = decoded.extras.reply?.responseUrl;
  return {
    message: decoded.message,
    meta: { reqId: o.reqId, dedupeKey: decoded.extras.dedupeKey, ...(responseUrl ? { responseUrl } : {}) },
  };
}

/** Stream content is markdown; mentions as `<@userid>` (documented for markdown, unverified in streams). */
export function renderReply(out: OutgoingMessage | string): string {
  if (typeof out === "string") return out;
  const mentions = out.mentions.map((m) => `<@${m.userId}>`).join(" ");
  return mentions ? `${mentions} ${out.text}` : out.text;
}
