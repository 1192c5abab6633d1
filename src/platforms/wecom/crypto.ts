import { randomInt, timingSafeEqual } from "node:crypto";
import { getSignature } from "@wecom/crypto";
import { decryptMessage, encryptMessage } from "./cipher.ts";
import { WecomCryptoError } from "./errors.ts";
import { cdata } from "./xml.ts";

/**
 * WeCom callback verification and passive-reply signing, shared by the self-built app (XML,
 * receiveid = CorpID) and the AI bot (JSON, receiveid = ""). Everything here is a pure function of
 * (secret, request, now): the Koa route only reads the raw query and body and maps errors to status.
 */

export { decryptMessage, encryptMessage, parseAesKey } from "./cipher.ts";
export { WecomCryptoError } from "./errors.ts";

export interface SignatureInput {
  token: string;
  timestamp: string;
  nonce: string;
  encrypt: string;
  signature: string;
}

/** sha1 of the sorted four strings (via @wecom/crypto), compared in constant time. */
export function verifySignature({ token, timestamp, nonce, encrypt, signature }: SignatureInput): boolean {
  const expected = Buffer.from(getSignature(token, timestamp, nonce, encrypt));
  const given = Buffer.from(signature);
  // timingSafeEqual throws on a length mismatch; the length of a sha1 hex is public anyway.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * One query parameter, percent-decoded but NOT form-decoded: echostr and signatures are base64,
 * and a form decoder turns their `+` into a space, which breaks the signature (trap 4).
 * The first occurrence wins; malformed percent-encoding yields undefined (so verification fails).
 */
export function readQueryParam(rawQueryString: string, name: string): string | undefined {
  return readQueryParams(rawQueryString, [name])[name];
}

/**
 * Several parameters in one pass over the query string, read as readQueryParam reads one: a
 * callback needs four, and parsing the string once per name showed in the callback profile.
 */
export function readQueryParams<N extends string>(
  rawQueryString: string,
  names: readonly N[],
): Partial<Record<N, string | undefined>> {
  // No prototype: a query key such as `toString` or `__proto__` is just a name here.
  const found: Partial<Record<N, string | undefined>> = Object.create(null);
  const query = rawQueryString.startsWith("?") ? rawQueryString.slice(1) : rawQueryString;
  for (const pair of query.split("&")) {
    const eq = pair.indexOf("=");
    const key = percentDecode(eq < 0 ? pair : pair.slice(0, eq));
    const name = names.find((n) => n === key);
    if (name === undefined || Object.hasOwn(found, name)) continue;
    const value = percentDecode(eq < 0 ? "" : pair.slice(eq + 1));
    // A malformed value is kept as undefined: it still wins over a later occurrence.
    found[name] = value;
  }
  return found;
}

// Without a `%` there is nothing to decode (and `+` stays `+`); signatures and timestamps never have one.
function percentDecode(raw: string): string | undefined {
  if (!raw.includes("%")) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

export interface VerifyInput {
  token: string;
  aesKey: string;
  /** The CorpID for a self-built app, "" for the AI bot. */
  receiveId: string;
  /** Query values, already read with readQueryParam (missing ones fail the signature). */
  query: { msg_signature?: string; timestamp?: string; nonce?: string };
  /** echostr for URL verification, the Encrypt / encrypt field for messages. */
  encrypt: string;
  now?: Date;
  /**
   * 0 turns the freshness check off. WeCom's retry behaviour with respect to the timestamp is
   * not documented, so the default (WECOM_MAX_SKEW_S) is 0.
   */
  maxSkewSeconds: number;
}

/**
 * Verifies the signature (401), the timestamp when maxSkewSeconds > 0 (401), then decrypts and
 * checks padding and receiveid (400). Signature first, so unsigned input never reaches the
 * decryptor (no padding oracle). Returns the plaintext: echostr's answer, or the message JSON/XML.
 */
export function verifyAndDecrypt(input: VerifyInput): string {
  const { msg_signature = "", timestamp = "", nonce = "" } = input.query;
  const signed = verifySignature({
    token: input.token,
    timestamp,
    nonce,
    encrypt: input.encrypt,
    signature: msg_signature,
  });
  if (!signed) throw new WecomCryptoError("signature", "msg_signature does not match");
  if (input.maxSkewSeconds > 0) {
    const nowSeconds = (input.now ?? new Date()).getTime() / 1000;
    const fresh =
      /^\d{1,12}$/.test(timestamp) && Math.abs(nowSeconds - Number(timestamp)) <= input.maxSkewSeconds;
    if (!fresh) throw new WecomCryptoError("stale-timestamp", "timestamp outside the allowed skew");
  }
  return decryptMessage({ aesKey: input.aesKey, encrypt: input.encrypt, receiveId: input.receiveId });
}

/** The four values of a passive reply, named as the AI bot's JSON names them. */
export interface SignedReply {
  encrypt: string;
  msgsignature: string;
  timestamp: string;
  nonce: string;
}

export interface SignedReplyInput {
  token: string;
  aesKey: string;
  receiveId: string;
  /** The reply plaintext: app reply XML (encodeAppReplyXml) or the bot's stream JSON. */
  message: string;
  now?: Date;
  /** Defaults to 10 random digits. */
  nonce?: string;
  random?: Buffer;
}

export function signedReply(input: SignedReplyInput): SignedReply {
  const timestamp = String(Math.floor((input.now ?? new Date()).getTime() / 1000));
  const nonce = input.nonce ?? String(randomInt(1_000_000_000, 10_000_000_000));
  const encrypt = encryptMessage(input);
  return { encrypt, msgsignature: getSignature(input.token, timestamp, nonce, encrypt), timestamp, nonce };
}

/**
 * AI bot passive reply body. The official sample shows `timestamp` as a number (unverified against
 * the live service); the signature is over its decimal string either way.
 */
export function signedReplyJson(reply: SignedReply): string {
  return JSON.stringify({
    encrypt: reply.encrypt,
    msgsignature: reply.msgsignature,
    timestamp: Number(reply.timestamp),
    nonce: reply.nonce,
  });
}

/** Self-built app passive reply body (the layout of the official SDK). */
export function signedReplyXml(reply: SignedReply): string {
  return (
    `<xml><Encrypt>${cdata(reply.encrypt)}</Encrypt>` +
    `<MsgSignature>${cdata(reply.msgsignature)}</MsgSignature>` +
    `<TimeStamp>${reply.timestamp}</TimeStamp>` +
    `<Nonce>${cdata(reply.nonce)}</Nonce></xml>`
  );
}
