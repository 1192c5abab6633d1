/**
 * What the local channel delivers: the sandbox chat on the dashboard shows these as they arrive.
 * Local chats have no platform behind them, so "delivered" means handed to whoever is listening now;
 * with nobody listening the message is still sent (as a terminal would print it to no one).
 */
export interface LocalDelivery {
  /** The outbox row, so a listener that reconnects can tell what it has already shown. */
  id: string;
  chatId: string;
  text: string;
  title: string | null;
  /** The local message id this answers; unset for announcements and reminders. */
  replyTo: string | null;
  /** "张三：进度 1.1 50%": the message a reply answers, as the sandbox shows it. */
  quote: string | null;
  at: Date;
}

export type LocalListener = (delivery: LocalDelivery) => void;

export class LocalListeners {
  private readonly listeners = new Set<LocalListener>();

  /** Returns the function that stops listening. */
  subscribe(listener: LocalListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(delivery: LocalDelivery): void {
    for (const listener of this.listeners) {
      // One broken listener must not keep the message from the others (or fail the delivery).
      try {
        listener(delivery);
      } catch {}
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
