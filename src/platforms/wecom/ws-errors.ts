/**
 * Failures of the long connection as the caller sees them. `reason` tells a retry (not-connected,
 * closed, ack-timeout: the outbox tries again later) from a refusal by WeCom (rejected: errcode).
 */
export type WecomWsFailure = "not-connected" | "closed" | "ack-timeout" | "rejected";

export class WecomWsError extends Error {
  override readonly name = "WecomWsError";
  constructor(
    readonly reason: WecomWsFailure,
    message: string,
    readonly errcode?: number,
    readonly errmsg?: string,
  ) {
    super(message);
  }
}
