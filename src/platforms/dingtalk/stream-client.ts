import WebSocket from "ws";
import { type BackoffOptions, backoffDelay } from "../../lib/backoff.ts";
import { type Clock, systemClock } from "../../lib/clock.ts";
import { ConnectionWaiters } from "../../lib/connection-waiters.ts";
import { type Logger, safeUrl } from "../../lib/logger.ts";
import { closeGracefully, messageText } from "../ws-socket.ts";
import {
  callbackAck,
  eventAck,
  parseDownFrame,
  pingEcho,
  ROBOT_SUBSCRIPTIONS,
  type StreamHeaders,
  type UpFrame,
} from "./stream-frames.ts";
import { openStreamConnection } from "./stream-gateway.ts";

/**
 * DingTalk Stream mode (DINGTALK_MODE=stream): register through gateway/connections/open, hold the
 * WebSocket, ACK every CALLBACK the moment it arrives — before the bot sees it, because an un-acked
 * callback comes back ~60 s later and would be handled twice (trap 2); dedupe and durability are the
 * inbox's job — echo SYSTEM pings, keep the socket alive with WebSocket pings, and reconnect with
 * capped, jittered backoff (fetching a new ticket) after any drop. Nothing a peer sends can throw out
 * of here. The client secret goes only to the gateway call and is never logged.
 */

export type { StreamHeaders } from "./stream-frames.ts";

export interface DingtalkStreamOptions {
  /** DINGTALK_API_BASE (https://api.dingtalk.com). */
  apiBase: string;
  /** The app's AppKey. */
  clientId: string;
  /** The app's AppSecret. */
  clientSecret: string;
  clock?: Clock;
  logger: Logger;
  /**
   * Stores one robot callback (`data` is the same JSON as the HTTP callback's body). The frame is
   * acked when this resolves, so it must only store, never wait for the bot; a rejection leaves the
   * frame un-acked and DingTalk redelivers it about a minute later.
   */
  onCallback(data: string, headers: StreamHeaders): Promise<void>;
  backoff?: BackoffOptions;
  fetch?: typeof fetch;
  /** WebSocket ping interval; a ping unanswered by the next tick drops the connection. */
  keepAliveMs?: number;
  /** Limit for the gateway call and for the WebSocket handshake. */
  openTimeoutMs?: number;
}

export type DingtalkStreamState = "opening" | "connected" | "waiting" | "closed";

export interface DingtalkStream {
  /** True while a WebSocket to DingTalk is open. */
  readonly connected: boolean;
  readonly state: DingtalkStreamState;
  /** The last failure (gateway refusal, handshake error), for health checks; never holds a secret. */
  readonly lastError: string | undefined;
  /** When the last frame arrived (by the injected clock). */
  readonly lastFrameAt: Date | undefined;
  whenConnected(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export function startDingtalkStream(options: DingtalkStreamOptions): DingtalkStream {
  const stream = new StreamConnection(options);
  void stream.connect();
  return stream;
}

const DEFAULT_KEEPALIVE_MS = 10_000;
const DEFAULT_OPEN_TIMEOUT_MS = 10_000;

class StreamConnection implements DingtalkStream {
  state: DingtalkStreamState = "opening";
  lastError: string | undefined;
  lastFrameAt: Date | undefined;
  private socket: WebSocket | undefined;
  private attempt = 0;
  private alive = false;
  private keepAlive: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly waiters = new ConnectionWaiters();
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: DingtalkStreamOptions) {
    this.log = options.logger.child({ component: "dingtalk-stream", clientId: options.clientId });
    this.clock = options.clock ?? systemClock;
    const f = options.fetch ?? fetch;
    this.fetch = (input, init) => f(input, init);
  }

  get connected(): boolean {
    return this.state === "connected";
  }

  private isClosed(): boolean {
    return this.state === "closed";
  }

  async connect(): Promise<void> {
    if (this.state === "closed") return;
    this.state = "opening";
    const timeoutMs = this.options.openTimeoutMs ?? DEFAULT_OPEN_TIMEOUT_MS;
    const opened = await openStreamConnection({
      apiBase: this.options.apiBase,
      clientId: this.options.clientId,
      clientSecret: this.options.clientSecret,
      subscriptions: ROBOT_SUBSCRIPTIONS,
      fetch: this.fetch,
      timeoutMs,
    });
    // close() may have run while the gateway answered (TypeScript cannot see that across await).
    if (this.isClosed()) return;
    if (!opened.ok) {
      this.lastError = `gateway: ${opened.reason}`;
      if (opened.auth) {
        this.log.error(
          { reason: opened.reason },
          "DingTalk refused the Stream registration: check DINGTALK_APP_KEY and DINGTALK_APP_SECRET",
        );
      }
      this.scheduleReconnect(opened.reason);
      return;
    }
    const ws = new WebSocket(opened.url, { handshakeTimeout: timeoutMs, maxPayload: 4 * 1024 * 1024 });
    this.socket = ws;
    ws.on("open", () => this.onOpen(ws, opened.url));
    ws.on("message", (data) => this.onData(ws, data));
    ws.on("pong", () => {
      this.alive = true;
    });
    // Without an 'error' listener ws would throw from the emitter and take the process down.
    ws.on("error", (err) => {
      this.lastError = `socket: ${err.message.slice(0, 200)}`;
      this.log.warn({ err: err.message }, "stream socket error");
    });
    ws.on("close", (code, reason) => this.onClose(ws, code, reason.toString("utf8")));
  }

  private onOpen(ws: WebSocket, url: string): void {
    if (ws !== this.socket) return;
    this.state = "connected";
    this.attempt = 0;
    this.lastError = undefined;
    this.alive = true;
    this.log.info({ url: safeUrl(url) }, "stream connected");
    const every = this.options.keepAliveMs ?? DEFAULT_KEEPALIVE_MS;
    this.keepAlive = setInterval(() => this.beat(ws), every);
    this.waiters.connected();
  }

  /** A half-open TCP connection sends nothing and fails nothing: only an unanswered ping shows it. */
  private beat(ws: WebSocket): void {
    if (!this.alive) {
      this.log.warn("keep-alive ping unanswered; dropping the connection");
      ws.terminate();
      return;
    }
    this.alive = false;
    try {
      ws.ping();
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, "keep-alive ping failed");
    }
  }

  private onData(ws: WebSocket, data: WebSocket.RawData): void {
    if (ws !== this.socket) return;
    this.alive = true;
    this.lastFrameAt = this.clock.now();
    const raw = messageText(data);
    const frame = parseDownFrame(raw);
    switch (frame.kind) {
      case "invalid":
        // Only the reason and size: a frame may hold a sessionWebhook, which is a credential.
        this.log.warn({ reason: frame.reason, bytes: raw.length }, "malformed stream frame skipped");
        return;
      case "callback":
        // Acked once onCallback has stored it (milliseconds; the bot answers later, from the inbox).
        // A callback that could not be stored stays un-acked, so DingTalk delivers it again.
        this.dispatch(ws, frame.headers, frame.data);
        return;
      case "event":
        this.write(ws, eventAck(frame.headers.messageId));
        this.log.debug({ topic: frame.headers.topic }, "stream event acked and ignored");
        return;
      case "ping":
        this.write(ws, pingEcho(frame.headers, frame.data));
        return;
      case "disconnect":
        // DingTalk closes this connection shortly; reconnect now rather than wait for the close.
        this.log.info({ reason: frame.reason }, "DingTalk announced a disconnect; reconnecting");
        ws.close(1000, "disconnect announced");
        return;
      case "system":
        this.log.debug({ topic: frame.headers.topic }, "stream system frame");
        return;
    }
  }

  private dispatch(ws: WebSocket, headers: StreamHeaders, data: string | undefined): void {
    const { messageId, topic } = headers;
    if (data === undefined) {
      // Unreadable now, unreadable on every redelivery: ack it so it does not come back.
      this.write(ws, callbackAck(messageId));
      this.log.warn({ messageId, topic }, "callback without readable data acked and skipped");
      return;
    }
    // Callbacks are stored concurrently; one that fails is logged and left for DingTalk to redeliver.
    Promise.resolve()
      .then(() => this.options.onCallback(data, headers))
      .then(
        () => this.write(ws, callbackAck(messageId)),
        (err: unknown) =>
          this.log.error(
            { messageId, topic, err: (err as Error)?.message },
            "stream callback not stored; left un-acked for redelivery",
          ),
      );
  }

  private write(ws: WebSocket, frame: UpFrame): void {
    try {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, "stream send failed");
    }
  }

  private onClose(ws: WebSocket, code: number, reason: string): void {
    if (ws !== this.socket) return;
    this.socket = undefined;
    clearInterval(this.keepAlive);
    if (this.state === "closed") return;
    this.scheduleReconnect(`closed ${code}${reason ? ` ${reason.slice(0, 100)}` : ""}`);
  }

  private scheduleReconnect(why: string): void {
    this.state = "waiting";
    this.attempt++;
    const delayMs = backoffDelay(this.attempt, this.options.backoff);
    this.log.warn({ why, attempt: this.attempt, delayMs }, "stream not connected; retrying");
    this.reconnectTimer = setTimeout(() => void this.connect(), delayMs);
  }

  whenConnected(timeoutMs = 30_000): Promise<void> {
    if (this.connected) return Promise.resolve();
    if (this.state === "closed") return Promise.reject(new Error("DingTalk stream is closed"));
    return this.waiters.wait(timeoutMs, () => {
      const why = this.lastError ? ` (last error: ${this.lastError})` : "";
      return new Error(`DingTalk stream not connected within ${timeoutMs} ms${why}`);
    });
  }

  async close(): Promise<void> {
    if (this.state === "closed") return;
    this.state = "closed";
    clearTimeout(this.reconnectTimer);
    clearInterval(this.keepAlive);
    this.waiters.fail(new Error("DingTalk stream closed by us"));
    const ws = this.socket;
    this.socket = undefined;
    if (!ws) return;
    await closeGracefully(ws);
  }
}
