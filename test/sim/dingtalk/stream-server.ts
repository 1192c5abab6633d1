import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import type { Clock } from "../../../src/lib/clock.ts";
import type { StreamClientApp, StreamGateway } from "./gateway.ts";
import { isObject, str } from "./http.ts";
import { waitFor } from "./wait.ts";

/**
 * The Stream mode WebSocket (production: wss://wss-open-connection.dingtalk.com/connect), as the
 * official SDKs (dingtalk-stream for Node, Python, Go) speak it. Down frames:
 *   `{specVersion:"1.0", type:"SYSTEM"|"EVENT"|"CALLBACK", headers:{messageId, topic, contentType, time, …}, data:"<json>"}`
 * Up frames (acks and ping echoes): `{code:200, headers:{contentType, messageId}, message:"OK", data}`.
 * A CALLBACK that is not acked with code 200 is sent again, with the same messageId, after
 * `redeliverAfterMs` (DingTalk: about 60 s), up to `maxDeliveries` times in all (UNVERIFIED count).
 * Timing here is real time: it is network behaviour, not business time.
 */

export const TOPIC_ROBOT = "/v1.0/im/bot/messages/get";

export interface StreamSimOptions {
  path?: string;
  /** Redeliver an un-acked callback after this long (DingTalk: ~60 s). */
  redeliverAfterMs?: number;
  /** Deliveries of one callback in all, the first included (UNVERIFIED; default 3). */
  maxDeliveries?: number;
  /** Send a SYSTEM ping this often (off by default; call ping() by hand). */
  pingIntervalMs?: number;
}

interface Conn {
  id: number;
  socket: WebSocket;
  app: StreamClientApp;
  connectionId: string;
  pingTimer?: NodeJS.Timeout;
}

export interface AckRecord {
  connId: number;
  messageId: string;
  code: unknown;
  message: unknown;
  data: unknown;
  headers: Record<string, unknown>;
  at: Date;
}

export interface PushedCallback {
  messageId: string;
  topic: string;
  data: string;
  deliveries: Array<{ connId: number; at: Date }>;
  /** The first ack with code 200. */
  acked?: AckRecord;
  timer?: NodeJS.Timeout;
}

export class StreamSim {
  readonly path: string;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly conns = new Set<Conn>();
  private nextId = 1;
  private refuse = 0;
  private seq = 0;
  private closed = false;
  connectionsOpened = 0;
  readonly refusedUpgrades: Array<{ reason: string }> = [];
  readonly callbacks = new Map<string, PushedCallback>();
  /** Every up frame that answered a callback (any code). */
  readonly acks: AckRecord[] = [];
  readonly pingsSent: Array<{ messageId: string; data: string }> = [];
  /** Ping echoes whose data matched what we sent. */
  readonly pingEchoes: Array<{ connId: number; messageId: string; at: Date }> = [];
  /** Up frames we could not read, or that answered nothing we sent. */
  readonly malformed: string[] = [];
  /** WebSocket-level pings (keep-alive) received. */
  wsPings = 0;

  constructor(
    private readonly clock: Clock,
    private readonly gateway: StreamGateway,
    private readonly options: StreamSimOptions = {},
  ) {
    this.path = options.path ?? "/connect";
  }

  get openConnections(): number {
    return this.conns.size;
  }

  /** Refuse the next n upgrades with HTTP 503 (a gateway that is down). */
  refuseNext(n: number): void {
    this.refuse += n;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refuse = (status: string, reason: string) => {
      this.refusedUpgrades.push({ reason });
      socket.end(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    };
    if (this.refuse > 0) {
      this.refuse--;
      refuse("503 Service Unavailable", "refuseNext");
      return;
    }
    const ticket = new URL(req.url ?? "/", "http://sim").searchParams.get("ticket") ?? "";
    const app = this.gateway.redeem(ticket);
    // What DingTalk answers for a bad ticket is UNVERIFIED; a refused upgrade is the plain reading.
    if (!app) {
      refuse("401 Unauthorized", "unknown or used ticket");
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, app));
  }

  private accept(socket: WebSocket, app: StreamClientApp): void {
    const conn: Conn = { id: this.nextId++, socket, app, connectionId: randomUUID() };
    this.conns.add(conn);
    this.connectionsOpened++;
    socket.on("message", (data) => this.onFrame(conn, data.toString()));
    socket.on("ping", () => this.wsPings++);
    socket.on("close", () => {
      clearInterval(conn.pingTimer);
      this.conns.delete(conn);
    });
    socket.on("error", () => undefined);
    if (this.options.pingIntervalMs) {
      conn.pingTimer = setInterval(() => this.pingConn(conn), this.options.pingIntervalMs);
    }
  }

  private newMessageId(): string {
    const n = ++this.seq;
    return `${randomBytes(4).toString("hex")}_${n}_${this.clock.now().getTime().toString(16)}_${randomBytes(2).toString("hex")}`;
  }

  private write(conn: Conn, frame: unknown): void {
    if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(JSON.stringify(frame));
  }

  /** The newest live connection: the one DingTalk would push to. */
  private current(): Conn | undefined {
    return [...this.conns].at(-1);
  }

  /**
   * Pushes a CALLBACK (the robot message body, object or ready JSON string). Without a live
   * connection the callback waits for its redelivery timer. Returns the messageId.
   */
  pushCallback(data: unknown, opts: { topic?: string; messageId?: string } = {}): string {
    const messageId = opts.messageId ?? this.newMessageId();
    const cb: PushedCallback = {
      messageId,
      topic: opts.topic ?? TOPIC_ROBOT,
      data: typeof data === "string" ? data : JSON.stringify(data),
      deliveries: [],
    };
    this.callbacks.set(messageId, cb);
    this.deliver(cb);
    return messageId;
  }

  private deliver(cb: PushedCallback): void {
    if (this.closed || cb.acked) return;
    const conn = this.current();
    if (conn) {
      cb.deliveries.push({ connId: conn.id, at: this.clock.now() });
      this.write(conn, {
        specVersion: "1.0",
        type: "CALLBACK",
        headers: {
          appId: conn.app.appId,
          connectionId: conn.connectionId,
          contentType: "application/json",
          messageId: cb.messageId,
          time: String(this.clock.now().getTime()),
          topic: cb.topic,
        },
        data: cb.data,
      });
    }
    if (cb.deliveries.length >= (this.options.maxDeliveries ?? 3)) return;
    cb.timer = setTimeout(() => this.deliver(cb), this.options.redeliverAfterMs ?? 60_000);
  }

  /** Sends a SYSTEM ping on every live connection; returns the messageIds. */
  ping(): string[] {
    return [...this.conns].map((c) => this.pingConn(c));
  }

  private pingConn(conn: Conn): string {
    const messageId = this.newMessageId();
    const data = JSON.stringify({ opaque: randomUUID() });
    this.pingsSent.push({ messageId, data });
    this.write(conn, {
      specVersion: "1.0",
      type: "SYSTEM",
      headers: {
        contentType: "application/json",
        messageId,
        time: String(this.clock.now().getTime()),
        topic: "ping",
      },
      data,
    });
    return messageId;
  }

  /** DingTalk's notice before it closes a connection; the socket closes closeAfterMs later. */
  sendDisconnect(reason = "persistent connection is timeout", closeAfterMs = 50): void {
    for (const conn of this.conns) {
      this.write(conn, {
        specVersion: "1.0",
        type: "SYSTEM",
        headers: {
          contentType: "application/json",
          messageId: this.newMessageId(),
          time: String(this.clock.now().getTime()),
          topic: "disconnect",
        },
        data: JSON.stringify({ reason }),
      });
      setTimeout(() => conn.socket.close(1000, "disconnect"), closeAfterMs);
    }
  }

  /** Any text to the current connection (malformed frames, unknown types). */
  pushRaw(text: string): void {
    const conn = this.current();
    if (!conn) throw new Error("no live stream connection");
    conn.socket.send(text);
  }

  private onFrame(conn: Conn, raw: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(raw);
    } catch {
      frame = undefined;
    }
    const headers = isObject(frame) && isObject(frame.headers) ? frame.headers : undefined;
    const messageId = str(headers?.messageId);
    if (!isObject(frame) || !headers || !messageId) {
      this.malformed.push(raw);
      return;
    }
    const ping = this.pingsSent.find((p) => p.messageId === messageId);
    if (ping) {
      if (frame.code === 200 && frame.data === ping.data) {
        this.pingEchoes.push({ connId: conn.id, messageId, at: this.clock.now() });
      } else this.malformed.push(raw);
      return;
    }
    const cb = this.callbacks.get(messageId);
    if (!cb) {
      this.malformed.push(raw);
      return;
    }
    const ack: AckRecord = {
      connId: conn.id,
      messageId,
      code: frame.code,
      message: frame.message,
      data: frame.data,
      headers,
      at: this.clock.now(),
    };
    this.acks.push(ack);
    if (frame.code === 200 && !cb.acked) {
      cb.acked = ack;
      clearTimeout(cb.timer);
    }
  }

  /** Terminates every connection without a close handshake (network failure). */
  drop(): void {
    for (const conn of this.conns) conn.socket.terminate();
  }

  deliveriesOf(messageId: string): number {
    return this.callbacks.get(messageId)?.deliveries.length ?? 0;
  }

  waitForAck(messageId: string, timeoutMs = 3000): Promise<AckRecord> {
    return waitFor(() => this.callbacks.get(messageId)?.acked, timeoutMs, `the ack of ${messageId}`);
  }

  /** Resolves once `count` connections have been accepted in total and one is live. */
  waitForConnections(count: number, timeoutMs = 5000): Promise<number> {
    return waitFor(
      () => (this.connectionsOpened >= count && this.conns.size > 0 ? this.connectionsOpened : undefined),
      timeoutMs,
      `${count} stream connections`,
    );
  }

  close(): void {
    this.closed = true;
    for (const cb of this.callbacks.values()) clearTimeout(cb.timer);
    for (const conn of this.conns) {
      clearInterval(conn.pingTimer);
      conn.socket.terminate();
    }
    this.wss.close();
  }
}
