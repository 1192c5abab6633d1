import WebSocket from "ws";
import { type BackoffOptions, backoffDelay } from "../../lib/backoff.ts";
import { type Clock, systemClock } from "../../lib/clock.ts";
import { ConnectionWaiters } from "../../lib/connection-waiters.ts";
import type { Logger } from "../../lib/logger.ts";
import type { IncomingMessage, OutgoingMessage } from "../types.ts";
import { closeGracefully, messageText } from "../ws-socket.ts";
import { WecomWsError } from "./ws-errors.ts";
import {
  DISCONNECTED_EVENT,
  fitUtf8,
  newReqId,
  parseFrame,
  pingFrame,
  STREAM_CONTENT_MAX_BYTES,
  sendMarkdownFrame,
  streamReplyFrame,
  subscribeFrame,
  WECOM_WS_DEFAULT_URL,
  WsCmd,
  type WsFrame,
} from "./ws-frames.ts";
import { decodeCallback, renderReply, type WecomWsMeta } from "./ws-inbound.ts";
import { PendingAcks } from "./ws-pending.ts";

/**
 * The AI bot's long connection (WECOM_BOT_MODE=ws): connect, subscribe with bot id + secret,
 * heartbeat, decode member messages into IncomingMessage, answer on the callback's own req_id, push
 * markdown to a chat, and reconnect with capped, jittered backoff after any drop. Nothing a peer
 * sends can throw out of here: bad frames are logged and skipped. The secret is never logged.
 */

export type { WecomWsMeta } from "./ws-inbound.ts";
export type WecomReply = (out: OutgoingMessage | string) => Promise<void>;

export interface WecomLongConnectionOptions {
  /** WECOM_WS_URL; defaults to wss://openws.work.weixin.qq.com. */
  url?: string;
  botId: string;
  secret: string;
  /** BOT_NAMES, for stripping the @-mention. */
  botNames?: readonly string[];
  clock?: Clock;
  logger: Logger;
  onMessage(message: IncomingMessage, reply: WecomReply, meta: WecomWsMeta): Promise<void>;
  backoff?: BackoffOptions;
  /** Application ping interval; the SDK default is 30 s. */
  heartbeatMs?: number;
  /** Unanswered pings in a row before the socket is declared dead (SDK: 2). */
  maxMissedPongs?: number;
  /** How long a reply / send waits for WeCom's ack (SDK: 5 s). */
  ackTimeoutMs?: number;
  /** How long the subscribe may go unanswered before we reconnect. */
  authTimeoutMs?: number;
}

export type WecomWsState = "connecting" | "connected" | "waiting" | "kicked" | "closed";

export interface WecomLongConnection {
  /** True once WeCom accepted the subscribe, until the socket drops. */
  readonly connected: boolean;
  readonly state: WecomWsState;
  /** The last refusal by WeCom (e.g. a wrong secret), kept for health checks. */
  readonly lastError: { errcode: number; errmsg: string } | undefined;
  whenConnected(timeoutMs?: number): Promise<void>;
  /**
   * Answers the callback `reqId` with one finished stream of markdown. A caller that may retry
   * passes a fixed `streamId`: if an earlier attempt landed, WeCom then refuses the repeat (the stream
   * is finished) instead of showing the answer twice.
   */
  respond(reqId: string, markdown: string, streamId?: string): Promise<void>;
  sendToChat(chatId: string, markdown: string): Promise<void>;
  close(): Promise<void>;
}

export function startWecomLongConnection(options: WecomLongConnectionOptions): WecomLongConnection {
  const connection = new LongConnection(options);
  connection.connect();
  return connection;
}

class LongConnection implements WecomLongConnection {
  state: WecomWsState = "connecting";
  lastError: { errcode: number; errmsg: string } | undefined;
  private socket: WebSocket | undefined;
  private readonly url: string;
  private readonly log: Logger;
  private readonly clock: Clock;
  private attempt = 0;
  private subscribeId = "";
  private readonly pingIds = new Set<string>();
  private missedPongs = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private authTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly pending = new PendingAcks();
  private readonly replyChains = new Map<string, Promise<void>>();
  private readonly waiters = new ConnectionWaiters();

  constructor(private readonly options: WecomLongConnectionOptions) {
    this.url = options.url ?? WECOM_WS_DEFAULT_URL;
    this.clock = options.clock ?? systemClock;
    this.log = options.logger.child({ component: "wecom-ws", botId: options.botId });
  }

  get connected(): boolean {
    return this.state === "connected";
  }

  connect(): void {
    this.state = "connecting";
    const ws = new WebSocket(this.url, { handshakeTimeout: 10_000, maxPayload: 4 * 1024 * 1024 });
    this.socket = ws;
    ws.on("open", () => this.onOpen(ws));
    ws.on("message", (data) => this.onData(ws, data));
    // Without an 'error' listener ws would throw from the emitter and take the process down.
    ws.on("error", (err) => this.log.warn({ err: err.message }, "long connection error"));
    ws.on("close", (code, reason) => this.onClose(ws, code, reason.toString("utf8")));
  }

  private onOpen(ws: WebSocket): void {
    if (ws !== this.socket) return;
    this.subscribeId = newReqId(WsCmd.subscribe);
    // The only frame with the secret: sent, never logged.
    this.write(ws, subscribeFrame(this.subscribeId, this.options.botId, this.options.secret));
    this.authTimer = setTimeout(() => {
      this.log.error("WeCom did not answer the subscribe in time; reconnecting");
      ws.terminate();
    }, this.options.authTimeoutMs ?? 10_000);
  }

  private onData(ws: WebSocket, data: WebSocket.RawData): void {
    if (ws !== this.socket) return;
    const raw = messageText(data);
    const frame = parseFrame(raw);
    switch (frame.kind) {
      case "invalid":
        this.log.warn({ reason: frame.reason, frame: raw.slice(0, 200) }, "malformed frame skipped");
        return;
      case "ack":
        this.onAck(ws, frame.reqId, frame.errcode, frame.errmsg);
        return;
      case "message":
        this.onMessageFrame(frame.reqId, frame.body);
        return;
      case "event":
        if (frame.eventType === DISCONNECTED_EVENT) {
          // A newer connection of the same bot took over; reconnecting would only kick it back.
          this.state = "kicked";
          this.log.error("another connection subscribed this bot (disconnected_event); not reconnecting");
          ws.close(1000, "kicked");
          return;
        }
        this.log.debug({ eventType: frame.eventType }, "event callback ignored");
        return;
    }
  }

  private onAck(ws: WebSocket, reqId: string, errcode: number, errmsg: string): void {
    if (this.pending.settle(reqId, errcode, errmsg)) return;
    if (reqId === this.subscribeId) {
      clearTimeout(this.authTimer);
      if (errcode !== 0) {
        this.lastError = { errcode, errmsg };
        this.log.error(
          { errcode, errmsg },
          "WeCom refused the long-connection subscribe: check WECOM_BOT_ID and WECOM_BOT_SECRET",
        );
        ws.close(1000, "subscribe refused");
        return;
      }
      this.onSubscribed(ws);
    } else if (this.pingIds.delete(reqId)) {
      if (errcode === 0) this.missedPongs = 0;
      else this.log.warn({ errcode, errmsg }, "heartbeat refused");
    } else {
      this.log.debug({ reqId, errcode }, "ack for nothing pending (late, after a timeout?)");
    }
  }

  private onSubscribed(ws: WebSocket): void {
    this.state = "connected";
    this.lastError = undefined;
    this.attempt = 0;
    this.missedPongs = 0;
    this.log.info({ url: this.url }, "long connection subscribed");
    this.heartbeat = setInterval(() => this.beat(ws), this.options.heartbeatMs ?? 30_000);
    this.waiters.connected();
  }

  private beat(ws: WebSocket): void {
    if (this.missedPongs >= (this.options.maxMissedPongs ?? 2)) {
      this.log.warn({ missed: this.missedPongs }, "heartbeats unanswered; dropping the connection");
      ws.terminate();
      return;
    }
    this.missedPongs++;
    const id = newReqId(WsCmd.ping);
    this.pingIds.add(id);
    this.write(ws, pingFrame(id));
  }

  private onMessageFrame(reqId: string, body: Record<string, unknown>): void {
    const inbound = decodeCallback(body, {
      reqId,
      botId: this.options.botId,
      botNames: this.options.botNames ?? [],
      receivedAt: this.clock.now(),
    });
    if ("skipped" in inbound) {
      if (inbound.level === "warn")
        this.log.warn({ reqId, why: inbound.skipped }, "message callback skipped");
      else this.log.debug({ reqId, why: inbound.skipped }, "message callback skipped");
      return;
    }
    const reply: WecomReply = (out) => this.reply(reqId, out);
    // Handlers run concurrently; one that throws or rejects is logged, never fatal.
    Promise.resolve()
      .then(() => this.options.onMessage(inbound.message, reply, inbound.meta))
      .catch((err: unknown) =>
        this.log.error({ reqId, err: (err as Error)?.message }, "message handler failed"),
      );
  }

  private reply(reqId: string, out: OutgoingMessage | string): Promise<void> {
    return this.respond(reqId, renderReply(out));
  }

  /** Replies to one callback go out one at a time: WeCom acks each on the same req_id. */
  respond(reqId: string, markdown: string, streamId: string = newReqId("stream")): Promise<void> {
    const { text, truncated } = fitUtf8(markdown, STREAM_CONTENT_MAX_BYTES);
    if (truncated) this.log.warn({ reqId }, "reply longer than 20480 bytes; truncated");
    const previous = this.replyChains.get(reqId) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(() => this.request(streamReplyFrame(reqId, streamId, text)));
    this.replyChains.set(reqId, next);
    const forget = () => {
      if (this.replyChains.get(reqId) === next) this.replyChains.delete(reqId);
    };
    next.then(forget, forget);
    return next;
  }

  sendToChat(chatId: string, markdown: string): Promise<void> {
    const { text, truncated } = fitUtf8(markdown, STREAM_CONTENT_MAX_BYTES);
    if (truncated)
      this.log.warn({ chatId }, "markdown longer than 20480 bytes; truncated (unverified limit)");
    return this.request(sendMarkdownFrame(newReqId(WsCmd.send), chatId, text));
  }

  private request(frame: WsFrame): Promise<void> {
    const ws = this.socket;
    if (!ws || !this.connected || ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new WecomWsError("not-connected", "WeCom long connection is not connected"));
    }
    return this.pending.wait(frame.headers.req_id, this.options.ackTimeoutMs ?? 5000, () =>
      this.write(ws, frame),
    );
  }

  private write(ws: WebSocket, frame: WsFrame): void {
    try {
      ws.send(JSON.stringify(frame));
    } catch (err) {
      this.log.warn({ cmd: frame.cmd, err: (err as Error).message }, "send failed");
    }
  }

  private onClose(ws: WebSocket, code: number, reason: string): void {
    if (ws !== this.socket) return;
    this.socket = undefined;
    clearTimeout(this.authTimer);
    clearInterval(this.heartbeat);
    this.pingIds.clear();
    this.pending.failAll("the long connection closed");
    if (this.state === "kicked") {
      this.waiters.fail(new WecomWsError("closed", "kicked"));
    }
    if (this.state === "closed" || this.state === "kicked") return;
    this.state = "waiting";
    this.attempt++;
    const delay = backoffDelay(this.attempt, this.options.backoff);
    this.log.warn(
      { code, reason, attempt: this.attempt, delayMs: delay },
      "long connection lost; reconnecting",
    );
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  whenConnected(timeoutMs = 30_000): Promise<void> {
    if (this.connected) return Promise.resolve();
    if (this.state === "closed" || this.state === "kicked") {
      return Promise.reject(new WecomWsError("closed", `long connection is ${this.state}`));
    }
    return this.waiters.wait(timeoutMs, () => {
      const why = this.lastError ? ` (last refusal: ${this.lastError.errcode} ${this.lastError.errmsg})` : "";
      return new WecomWsError("not-connected", `not connected within ${timeoutMs} ms${why}`);
    });
  }

  async close(): Promise<void> {
    if (this.state === "closed") return;
    this.state = "closed";
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.authTimer);
    clearInterval(this.heartbeat);
    this.pending.failAll("closed by us");
    this.waiters.fail(new WecomWsError("closed", "closed by us"));
    const ws = this.socket;
    if (!ws) return;
    await closeGracefully(ws);
  }
}
