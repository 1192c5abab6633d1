/**
 * Callers waiting for a long connection (WeCom long connection, DingTalk Stream) to be up: each
 * gets a promise that resolves on the next connect or rejects on close or after its own timeout.
 */
export class ConnectionWaiters {
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];

  /** `onTimeout` builds the error at the moment of the timeout (it may mention the last failure). */
  wait(timeoutMs: number, onTimeout: () => Error): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(onTimeout());
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  connected(): void {
    for (const w of this.waiters.splice(0)) w.resolve();
  }

  fail(error: Error): void {
    for (const w of this.waiters.splice(0)) w.reject(error);
  }
}
