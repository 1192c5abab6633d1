import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * WeCom's callback crypto, written again from the protocol (not imported from src/), so that the
 * simulator checks our adapter instead of agreeing with it by construction. The official vectors in
 * shared/protocols.md are asserted in test/sim/wecom-sim-callback.test.ts.
 */

export function signature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  const joined = [token, timestamp, nonce, encrypt].sort().join("");
  return createHash("sha1").update(joined).digest("hex");
}

function key(aesKey: string): Buffer {
  const k = Buffer.from(`${aesKey}=`, "base64");
  if (k.length !== 32) throw new Error("EncodingAESKey must decode to 32 bytes");
  return k;
}

export function encrypt(
  aesKey: string,
  message: string,
  receiveId: string,
  random = randomBytes(16),
): string {
  const msg = Buffer.from(message, "utf8");
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length);
  const plain = Buffer.concat([random, len, msg, Buffer.from(receiveId, "utf8")]);
  const pad = 32 - (plain.length % 32);
  const padded = Buffer.concat([plain, Buffer.alloc(pad, pad)]);
  const k = key(aesKey);
  const cipher = createCipheriv("aes-256-cbc", k, k.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString("base64");
}

export function decrypt(aesKey: string, encrypted: string): { message: string; receiveId: string } {
  const k = key(aesKey);
  const decipher = createDecipheriv("aes-256-cbc", k, k.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(Buffer.from(encrypted, "base64")), decipher.final()]);
  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > 32) throw new Error("bad padding");
  const content = plain.subarray(16, plain.length - pad);
  const len = content.readUInt32BE(0);
  return {
    message: content.subarray(4, 4 + len).toString("utf8"),
    receiveId: content.subarray(4 + len).toString("utf8"),
  };
}
