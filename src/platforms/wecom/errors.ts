/**
 * Typed errors of the WeCom adapter. The route translates `status` into the HTTP answer and logs
 * `code` (the official SDK's numbers, so logs read like WeCom's own docs). Messages never carry the
 * token, the EncodingAESKey or the ciphertext: they end up in logs.
 */

/** Error codes of the official WXBizMsgCrypt SDK that we use. */
export const WecomErrorCode = {
  signature: -40001,
  parse: -40002,
  aesKey: -40004,
  receiveId: -40005,
  decrypt: -40007,
} as const;
export type WecomErrorCode = (typeof WecomErrorCode)[keyof typeof WecomErrorCode];

/**
 * 401: the request is not provably from WeCom (signature, stale timestamp).
 * 400: signed, but the content cannot be decrypted or decoded.
 * 500: our own configuration is broken (a bad EncodingAESKey): not the caller's fault.
 */
export type WecomErrorStatus = 400 | 401 | 500;

export abstract class WecomError extends Error {
  abstract readonly code: WecomErrorCode;
  abstract readonly status: WecomErrorStatus;
}

export type WecomCryptoReason = "signature" | "stale-timestamp" | "aes-key" | "receive-id" | "decrypt";

const cryptoCodes: Record<WecomCryptoReason, WecomErrorCode> = {
  signature: WecomErrorCode.signature,
  "stale-timestamp": WecomErrorCode.signature,
  "aes-key": WecomErrorCode.aesKey,
  "receive-id": WecomErrorCode.receiveId,
  decrypt: WecomErrorCode.decrypt,
};

const cryptoStatus: Record<WecomCryptoReason, WecomErrorStatus> = {
  signature: 401,
  "stale-timestamp": 401,
  "aes-key": 500,
  "receive-id": 400,
  decrypt: 400,
};

export class WecomCryptoError extends WecomError {
  override readonly name = "WecomCryptoError";
  readonly code: WecomErrorCode;
  readonly status: WecomErrorStatus;
  constructor(
    readonly reason: WecomCryptoReason,
    message: string,
  ) {
    super(message);
    this.code = cryptoCodes[reason];
    this.status = cryptoStatus[reason];
  }
}

/** A verified, decrypted payload (or an envelope) that is not the JSON/XML we expect. */
export class WecomDecodeError extends WecomError {
  override readonly name = "WecomDecodeError";
  readonly code = WecomErrorCode.parse;
  readonly status = 400 as const;
}
