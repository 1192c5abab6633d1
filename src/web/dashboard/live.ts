import { PassThrough } from "node:stream";
import type { Context } from "koa";
import type { DbClient } from "../../db/database.ts";
import type { Clock } from "../../lib/clock.ts";
import type { Logger } from "../../lib/logger.ts";
import type { LocalDelivery, LocalListeners } from "../../platforms/local/listeners.ts";
import { chatLabel } from "./format.ts";
import { type LocalMessage, loadLocalMessages, localGroupNames } from "./queries/chat.ts";

const HEARTBEAT_MS = 20_000;
const REPLAY_LIMIT = 100;
const SEEN_LIMIT = 1000;
/** How long group names are trusted: a group renamed by a directory import shows within a minute. */
const NAMES_TTL_MS = 60_000;

interface Client {
  stream: PassThrough;
  /** While the rows missed before connecting are replayed, live ones wait here (in order). */
  held: LocalDelivery[] | null;
  /** Ids already written: a replayed row may also arrive live, and rows are delivered side by side. */
  seen: Set<string>;
}

/** What the page receives for one delivery. */
export function deliveryEvent(m: LocalMessage, groupNames: ReadonlyMap<string, string>): string {
  const data = {
    id: m.id,
    chatId: m.chatId,
    chat: chatLabel(m.chatId, groupNames),
    text: m.text,
    title: m.title,
    replyTo: m.replyTo,
    quote: m.quote,
    at: m.at.toISOString(),
  };
  // JSON has no raw line breaks, so one data line carries the whole event.
  return `id: ${m.id}\nevent: delivery\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The directory's local group names, for labelling deliveries, read once rather than per delivery.
 * Read again when a delivery goes to a group not among them (one was added while a page is open) or
 * when they are older than NAMES_TTL_MS (one was renamed).
 */
class GroupNames {
  private names: ReadonlyMap<string, string> | undefined;
  private loadedAt = 0;

  constructor(
    private readonly db: DbClient,
    private readonly clock: Clock,
  ) {}

  async for(chatIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const names = this.names;
    const at = this.clock.now().getTime();
    const age = at - this.loadedAt;
    const known = (id: string) => id.startsWith("dm:") || (names?.has(id) ?? false);
    if (names && age >= 0 && age < NAMES_TTL_MS && chatIds.every(known)) return names;
    // Two reads may overlap (a replay and a live delivery); either is fresh enough to keep.
    this.names = await localGroupNames(this.db);
    this.loadedAt = at;
    return this.names;
  }
}

/**
 * Server-sent events for the sandbox chat: every delivery of the local channel (replies,
 * announcements, reminders) goes to every open page. A page that reconnects says the last id it
 * saw (Last-Event-ID, or ?after= on the first connection) and gets what it missed first.
 */
export class LiveHub {
  private readonly clients = new Set<Client>();
  private readonly unsubscribe: () => void;
  private heartbeat: NodeJS.Timeout | undefined;
  // Labels need the database; a chain keeps deliveries in the order they were made.
  private chain: Promise<void> = Promise.resolve();

  private readonly groupNames: GroupNames;

  constructor(
    private readonly db: DbClient,
    clock: Clock,
    listeners: LocalListeners,
    private readonly logger: Logger,
  ) {
    this.groupNames = new GroupNames(db, clock);
    this.unsubscribe = listeners.subscribe((d) => {
      this.chain = this.chain
        .then(() => this.fanOut(d))
        .catch((err: unknown) => {
          this.logger.warn({ err }, "could not pass a local delivery to the dashboard");
        });
    });
  }

  get size(): number {
    return this.clients.size;
  }

  private async fanOut(d: LocalDelivery): Promise<void> {
    if (this.clients.size === 0) return;
    const event = deliveryEvent(d, await this.groupNames.for([d.chatId]));
    for (const c of this.clients) {
      if (c.held) c.held.push(d);
      else this.write(c, d.id, event);
    }
  }

  private write(c: Client, id: string, event: string): void {
    if (c.seen.has(id)) return;
    c.seen.add(id);
    if (c.seen.size > SEEN_LIMIT) c.seen.delete(c.seen.values().next().value as string);
    c.stream.write(event);
  }

  /** Answers GET /dashboard/api/events: keeps the response open and writes deliveries as they come. */
  async open(ctx: Context, afterId: bigint | undefined): Promise<void> {
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.status = 200;
    ctx.type = "text/event-stream";
    ctx.set("cache-control", "no-cache, no-transform");
    // Proxies such as nginx would otherwise hold the events back.
    ctx.set("x-accel-buffering", "no");
    const stream = new PassThrough();
    const client: Client = { stream, held: [], seen: new Set() };
    this.clients.add(client);
    const drop = () => {
      this.clients.delete(client);
      stream.end();
      if (this.clients.size === 0) this.stopHeartbeat();
    };
    ctx.req.once("close", drop);
    ctx.body = stream;
    stream.write("retry: 3000\n: 已连接\n\n");
    this.startHeartbeat();

    try {
      if (afterId !== undefined) {
        const missed = await loadLocalMessages(this.db, { afterId, limit: REPLAY_LIMIT });
        const names = await this.groupNames.for(missed.map((m) => m.chatId));
        for (const m of missed) this.write(client, m.id, deliveryEvent(m, names));
      }
      const held = client.held ?? [];
      client.held = null;
      if (held.length > 0) {
        const names = await this.groupNames.for(held.map((d) => d.chatId));
        for (const d of held) this.write(client, d.id, deliveryEvent(d, names));
      }
    } catch (err) {
      this.logger.warn({ err }, "could not replay local deliveries to the dashboard");
      client.held = null;
    }
  }

  private startHeartbeat(): void {
    if (this.heartbeat) return;
    // A comment line keeps proxies and phones from closing a quiet connection.
    this.heartbeat = setInterval(() => {
      for (const c of this.clients) c.stream.write(": ping\n\n");
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /** Ends every open stream (the server is stopping; pages reconnect to the next one). */
  close(): void {
    this.unsubscribe();
    this.stopHeartbeat();
    for (const c of this.clients) c.stream.end();
    this.clients.clear();
  }
}
