import { WecomWsError } from "./ws-errors.ts";

/**
 * Requests waiting for WeCom's ack, keyed by req_id (acks echo it). A reply's req_id is the
 * callback's, so the caller must not have two replies to one callback in flight (ws-client chains them).
 */
export class PendingAcks {
  private readonly pending = new Map<
    string,
    { resolve: () => void; reject: (e: WecomWsError) => void; timer: NodeJS.Timeout }
  >();

  /** Registers reqId, then runs `send`; resolves on errcode 0, rejects on a refusal or after timeoutMs. */
  wait(reqId: string, timeoutMs: number, send: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(reqId);
        reject(new WecomWsError("ack-timeout", `no ack from WeCom within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(reqId, { resolve, reject, timer });
      send();
    });
  }

  /** Settles the request an ack belongs to; false when nothing waits for it. */
  settle(reqId: string, errcode: number, errmsg: string): boolean {
    const entry = this.pending.get(reqId);
    if (!entry) return false;
    this.pending.delete(reqId);
    clearTimeout(entry.timer);
    if (errcode === 0) entry.resolve();
    else entry.reject(new WecomWsError("rejected", `WeCom refused: ${errcode} ${errmsg}`, errcode, errmsg));
    return true;
  }

  /** The socket is gone: no ack can come any more. */
  failAll(message: string): void {
    for (const [reqId, entry] of this.pending) {
      clearTimeout(entry.timer);
      entry.reject(new WecomWsError("closed", `${message} before the ack for ${reqId}`));
    }
    this.pending.clear();
  }
}
