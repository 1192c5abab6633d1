import { randomBytes, randomInt } from "node:crypto";
import { decrypt, encrypt, signature } from "./crypto.ts";

/**
 * Plays WeCom towards our server: signed, encrypted callbacks with WeCom's retry behaviour (no
 * HTTP 200 within 5 s → try again, 3 deliveries in all), the GET URL-verification handshake, and
 * readers for our passive replies. Whether WeCom re-signs a retry or resends the same request is
 * not documented (UNVERIFIED): we resend the identical request, which is what dedupe must survive.
 */

export interface DeliveryOptions {
  /** How long one delivery waits for the HTTP answer (WeCom: 5000). */
  timeoutMs?: number;
  /** Deliveries in all (WeCom: 3). */
  attempts?: number;
  /** Pause between deliveries (undocumented; 0 by default). */
  retryDelayMs?: number;
  timestamp?: string;
  nonce?: string;
}

export interface DeliveryAttempt {
  n: number;
  status?: number;
  body?: string;
  error?: "timeout" | "network";
  detail?: string;
  /** Date.now() when the delivery started, and how long it took. */
  startedAt: number;
  ms: number;
}

export interface DeliveryResult {
  attempts: DeliveryAttempt[];
  /** True when some delivery got HTTP 200. */
  delivered: boolean;
  /** The body of that 200 (our passive reply, or "" for "received, no reply"). */
  body?: string;
}

const nowSeconds = () => String(Math.floor(Date.now() / 1000));
const newNonce = () => String(randomInt(100_000_000, 1_000_000_000));

async function deliver(url: string, init: RequestInit, opts: DeliveryOptions): Promise<DeliveryResult> {
  const attempts: DeliveryAttempt[] = [];
  const total = opts.attempts ?? 3;
  for (let n = 1; n <= total; n++) {
    if (n > 1 && opts.retryDelayMs) await new Promise((r) => setTimeout(r, opts.retryDelayMs));
    const startedAt = Date.now();
    const attempt: DeliveryAttempt = { n, startedAt, ms: 0 };
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(opts.timeoutMs ?? 5000) });
      attempt.status = res.status;
      attempt.body = await res.text();
    } catch (err) {
      const name = (err as Error).name;
      attempt.error = name === "TimeoutError" || name === "AbortError" ? "timeout" : "network";
      attempt.detail = (err as Error).message;
    }
    attempt.ms = Date.now() - startedAt;
    attempts.push(attempt);
    if (attempt.status === 200) return { attempts, delivered: true, body: attempt.body ?? "" };
  }
  return { attempts, delivered: false };
}

function signedQuery(token: string, encrypted: string, opts: DeliveryOptions): string {
  const timestamp = opts.timestamp ?? nowSeconds();
  const nonce = opts.nonce ?? newNonce();
  const sig = signature(token, timestamp, nonce, encrypted);
  return `msg_signature=${sig}&timestamp=${timestamp}&nonce=${nonce}`;
}

const withQuery = (url: string, query: string) => `${url}${url.includes("?") ? "&" : "?"}${query}`;

export interface BotDelivery extends DeliveryOptions {
  url: string;
  token: string;
  aesKey: string;
  /** The decrypted message JSON (object, or a string to send malformed JSON on purpose). */
  message: unknown;
}

/** AI bot callback: `{"encrypt"}` JSON body, receiveid "". */
export function deliverBotMessage(d: BotDelivery): Promise<DeliveryResult> {
  const plain = typeof d.message === "string" ? d.message : JSON.stringify(d.message);
  const encrypted = encrypt(d.aesKey, plain, "");
  return deliver(
    withQuery(d.url, signedQuery(d.token, encrypted, d)),
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ encrypt: encrypted }),
    },
    d,
  );
}

export interface AppDelivery extends DeliveryOptions {
  url: string;
  token: string;
  aesKey: string;
  corpId: string;
  agentId?: string;
  /** The decrypted message XML (see appTextXml). */
  xml: string;
}

/** Self-built app callback: XML envelope with ToUserName / Encrypt / AgentID, receiveid = CorpID. */
export function deliverAppMessage(d: AppDelivery): Promise<DeliveryResult> {
  const encrypted = encrypt(d.aesKey, d.xml, d.corpId);
  const body =
    `<xml><ToUserName><![CDATA[${d.corpId}]]></ToUserName>` +
    `<Encrypt><![CDATA[${encrypted}]]></Encrypt>` +
    `<AgentID><![CDATA[${d.agentId ?? "1000002"}]]></AgentID></xml>`;
  return deliver(
    withQuery(d.url, signedQuery(d.token, encrypted, d)),
    { method: "POST", headers: { "content-type": "text/xml" }, body },
    d,
  );
}

export interface VerifyUrlInput {
  url: string;
  token: string;
  aesKey: string;
  /** CorpID for the app, "" for the AI bot. */
  receiveId: string;
  /** A ready echostr (e.g. the official vector); otherwise one containing `+` and `/` is made. */
  echostr?: string;
  /** The plaintext expected back; required with a given echostr unless it is decryptable with aesKey. */
  expected?: string;
  /**
   * "raw" sends `+` and `/` unescaped (a form decoder then breaks it: trap 4), "percent" sends %2B/%2F.
   * How WeCom itself escapes echostr is UNVERIFIED; a correct server passes both.
   */
  plusEncoding?: "raw" | "percent";
  timestamp?: string;
  nonce?: string;
  /** WeCom wants the answer within 1 s. */
  timeoutMs?: number;
}

export interface VerifyUrlResult {
  status?: number;
  body?: string;
  expected: string;
  echostr: string;
  ok: boolean;
  error?: string;
}

/** An echostr whose base64 holds both `+` and `/`, so that escaping mistakes show. */
export function trickyEchostr(aesKey: string, receiveId: string): { echostr: string; plaintext: string } {
  for (;;) {
    const plaintext = String(randomInt(1, 2 ** 47)) + String(randomInt(1, 2 ** 30));
    const echostr = encrypt(aesKey, plaintext, receiveId, randomBytes(16));
    if (echostr.includes("+") && echostr.includes("/")) return { echostr, plaintext };
  }
}

export async function verifyUrl(v: VerifyUrlInput): Promise<VerifyUrlResult> {
  const made = v.echostr === undefined ? trickyEchostr(v.aesKey, v.receiveId) : undefined;
  const echostr = made?.echostr ?? (v.echostr as string);
  const expected = made?.plaintext ?? v.expected ?? decrypt(v.aesKey, echostr).message;
  const timestamp = v.timestamp ?? nowSeconds();
  const nonce = v.nonce ?? newNonce();
  const sig = signature(v.token, timestamp, nonce, echostr);
  const escaped = v.plusEncoding === "percent" ? encodeURIComponent(echostr) : echostr;
  const url = withQuery(
    v.url,
    `msg_signature=${sig}&timestamp=${timestamp}&nonce=${nonce}&echostr=${escaped}`,
  );
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(v.timeoutMs ?? 1000) });
    const body = await res.text();
    return { status: res.status, body, expected, echostr, ok: res.status === 200 && body === expected };
  } catch (err) {
    return { expected, echostr, ok: false, error: (err as Error).message };
  }
}

/** Reads our AI-bot passive reply `{encrypt, msgsignature, timestamp, nonce}`: checks and decrypts it. */
export function openBotReply(body: string, token: string, aesKey: string): unknown {
  const r = JSON.parse(body) as Record<string, unknown>;
  const enc = String(r.encrypt ?? "");
  const sig = signature(token, String(r.timestamp ?? ""), String(r.nonce ?? ""), enc);
  if (sig !== r.msgsignature) throw new Error("passive reply: msgsignature does not match");
  const { message, receiveId } = decrypt(aesKey, enc);
  if (receiveId !== "") throw new Error(`passive reply: receiveid ${JSON.stringify(receiveId)}, expected ""`);
  return JSON.parse(message);
}

const xmlField = (xml: string, name: string): string => {
  const m = new RegExp(`<${name}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${name}>`).exec(xml);
  return m?.[1] ?? m?.[2] ?? "";
};

/** Reads our app passive reply XML: checks the signature and receiveid, returns the inner XML. */
export function openAppReply(body: string, token: string, aesKey: string, corpId: string): string {
  const enc = xmlField(body, "Encrypt");
  const sig = signature(token, xmlField(body, "TimeStamp"), xmlField(body, "Nonce"), enc);
  if (sig !== xmlField(body, "MsgSignature")) throw new Error("passive reply: MsgSignature does not match");
  const { message, receiveId } = decrypt(aesKey, enc);
  if (receiveId !== corpId) throw new Error(`passive reply: receiveid ${receiveId}, expected ${corpId}`);
  return message;
}

export { xmlField };
