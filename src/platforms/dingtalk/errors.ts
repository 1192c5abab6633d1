/**
 * Typed errors of the DingTalk adapter. The route turns `status` into the HTTP answer and logs
 * `reason` and the message. Messages never carry the appSecret, a computed or received sign, or a
 * sessionWebhook URL: they end up in logs.
 *
 * 401: the request is not provably from DingTalk (headers missing or malformed, stale, wrong sign).
 * 400: signed, but the body is not the JSON we expect.
 */

export type DingtalkVerifyReason = "missing-header" | "invalid-timestamp" | "stale-timestamp" | "signature";
export type DingtalkDecodeReason = "malformed" | "missing-field" | "invalid-field";
export type DingtalkErrorReason = DingtalkVerifyReason | DingtalkDecodeReason;

export abstract class DingtalkError<R extends DingtalkErrorReason = DingtalkErrorReason> extends Error {
  abstract readonly status: 400 | 401;
  constructor(
    readonly reason: R,
    message: string,
  ) {
    super(message);
  }
}

export class DingtalkVerifyError extends DingtalkError<DingtalkVerifyReason> {
  override readonly name = "DingtalkVerifyError";
  readonly status = 401 as const;
}

export class DingtalkDecodeError extends DingtalkError<DingtalkDecodeReason> {
  override readonly name = "DingtalkDecodeError";
  readonly status = 400 as const;
}
