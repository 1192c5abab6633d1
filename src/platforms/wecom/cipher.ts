import { createDecipheriv } from "node:crypto";
import { encrypt as libraryEncrypt } from "@wecom/crypto";
import { WecomCryptoError } from "./errors.ts";

/**
 * WeCom's message cipher: AES-256-CBC, IV = first 16 bytes of the key, plaintext
 * `random(16) ‖ uint32be(len) ‖ msg ‖ receiveid`, PKCS#7-padded to a multiple of 32.
 *
 * Encryption uses @wecom/crypto. Decryption does NOT: the library's `decrypt` leaves a bad pad
 * byte in place instead of failing, never checks that all pad bytes agree, trusts the length
 * prefix (slicing past the end silently), decodes base64 leniently and throws untyped errors on
 * short input. So we decrypt with node:crypto (autoPadding off) and check every field ourselves.
 */

const BLOCK = 32;
const HEADER = 20; // 16 random bytes + 4-byte length
const AES_KEY = /^[A-Za-z0-9+/]{43}$/;
// Canonical base64 only: Buffer.from(…, "base64") skips junk (e.g. a space that was a `+`).
const BASE64 = /^(?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The 32-byte key from the 43-character EncodingAESKey; the key itself never reaches a message. */
export function parseAesKey(aesKey: string): Buffer {
  if (!AES_KEY.test(aesKey)) {
    throw new WecomCryptoError("aes-key", "EncodingAESKey must be 43 base64 characters");
  }
  return Buffer.from(`${aesKey}=`, "base64");
}

function fail(why: string): never {
  throw new WecomCryptoError("decrypt", `cannot decrypt: ${why}`);
}

function aesDecrypt(key: Buffer, data: Buffer): Buffer {
  try {
    const decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    return Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    return fail("AES failure");
  }
}

/** Removes strict PKCS#7 padding to a multiple of 32 (pad byte 1..32, all pad bytes equal). */
function unpad(plain: Buffer): Buffer {
  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > BLOCK) fail("bad padding");
  for (let i = plain.length - pad; i < plain.length; i++) {
    if (plain[i] !== pad) fail("bad padding");
  }
  return plain.subarray(0, plain.length - pad);
}

function text(bytes: Buffer, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return fail(`${what} is not UTF-8`);
  }
}

export interface DecryptInput {
  aesKey: string;
  encrypt: string;
  /** The CorpID for a self-built app, "" for the AI bot. */
  receiveId: string;
}

/** Decrypts and checks padding, length prefix and receiveid; throws WecomCryptoError only. */
export function decryptMessage({ aesKey, encrypt, receiveId }: DecryptInput): string {
  const key = parseAesKey(aesKey);
  if (!BASE64.test(encrypt)) fail("ciphertext is not base64");
  const data = Buffer.from(encrypt, "base64");
  if (data.length % BLOCK !== 0) fail(`ciphertext is not a multiple of ${BLOCK} bytes`);
  const content = unpad(aesDecrypt(key, data));
  if (content.length < HEADER) fail("plaintext too short");
  const length = content.readUInt32BE(16);
  if (length > content.length - HEADER) fail("length prefix exceeds the plaintext");
  const message = text(content.subarray(HEADER, HEADER + length), "message");
  const id = text(content.subarray(HEADER + length), "receiveid");
  if (id !== receiveId) {
    throw new WecomCryptoError("receive-id", "receiveid mismatch: encrypted for another corp or bot");
  }
  return message;
}

export interface EncryptInput {
  aesKey: string;
  message: string;
  receiveId: string;
  /** 16 bytes; random by default. Fixed only in tests (the official vectors). */
  random?: Buffer;
}

export function encryptMessage({ aesKey, message, receiveId, random }: EncryptInput): string {
  parseAesKey(aesKey); // the library would throw an untyped Error, or accept a lenient key
  if (random !== undefined && random.length !== 16) {
    // The library would happily write a longer prefix that no receiver can parse.
    throw new RangeError("random must be exactly 16 bytes");
  }
  return libraryEncrypt(aesKey, message, receiveId, random);
}
