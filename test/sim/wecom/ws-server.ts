import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import type { Clock } from "../../../src/lib/clock.ts";
import { seededRandom } from "../shared/faults.ts";
import type { SimCodes } from "./codes.ts";
import { bytes } from "./http.ts";
import { waitFor } from "./wait.ts";

/**
 * The AI bot long connection (智能机器人长连接), as documented (developer.work.weixin.qq.com/document/
 * path/101463) and as the official SDK @wecom/aibot-node-sdk speaks it: JSON frames
 * `{cmd, headers:{req_id}, body}`; acks `{headers:{req_id}, errcode, errmsg}` without cmd.
 * One live connection per bot: a newer subscribe kicks the older one with `disconnected_event`.
 * Unanswered callbacks are NOT redelivered here (WeCom may re-push after ~5 s: UNVERIFIED).
 */

export interface WsSimOptions {
  /** URL path of the endpoint on the simulator (production uses the host root). */
  path?: string;
  /** Close a connection that sent nothing for this long (real value UNVERIFIED; off by default). */
  idleTimeoutMs?: number;
  /** Close the socket after refusing a subscribe (UNVERIFIED; default true). */
  closeOnAuthFailure?: boolean;
  /** aibot_send_msg only reaches chats that talked to the bot first (documented; default true). */
  requireKnownChat?: boolean;
}

interface Conn {
  id: number;
  socket: WebSocket;
  botId?: string;
  idle?: NodeJS.Timeout;
  /** Frames accepted on this connection, with when their ack was written (real time, ms). */
  acked?: Array<{ reqId: string; atMs: number }>;
  /** Terminated: frames the socket had already buffered must not take effect any more. */
  dead?: boolean;
}

interface Callback {
  botId: string;
  finished: Set<string>;
}

export interface WsFrameRecord {
  connId: number;
  reqId: string;
  cmd: string;
  body: Record<string, unknown>;
  at: Date;
}

/** Stream / markdown content limit (SDK: 20480 bytes for stream; assumed for aibot_send_msg). */
const CONTENT_MAX_BYTES = 20480;

/** How recent an ack must be for a drop to put it at risk (see `drops`). */
const ACK_RISK_MS = 1_000;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export class WsSim {
  readonly path: string;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly conns = new Set<Conn>();
  private readonly bots = new Map<string, string>();
  private readonly callbacks = new Map<string, Callback>();
  private nextId = 1;
  private refuse = 0;
  /** Chats (group chatid, or userid for a single chat) the bot may push to. */
  readonly knownChats = new Set<string>();
  /** Connections accepted so far (reconnects count). */
  connectionsOpened = 0;
  readonly subscribes: Array<{ connId: number; botId: string; ok: boolean }> = [];
  /** aibot_respond_msg frames accepted. */
  readonly responses: WsFrameRecord[] = [];
  /** aibot_send_msg frames accepted. */
  readonly sends: WsFrameRecord[] = [];
  /** Frames we refused, with the errcode we answered. */
  readonly refused: Array<{ connId: number; cmd: string; errcode: number }> = [];
  /** Raw text of frames that were not JSON objects. */
  readonly malformed: string[] = [];
  pings = 0;
  /** Set false to stop answering pings (a half-dead connection). */
  ackPings = true;
  private faults: Array<{ cmd: string; errcode?: number; remaining: number }> = [];
  private randomDrops: { rate: number; cmds: readonly string[]; next: () => number } | undefined;
  /** Connections lost by dropRandomly: on which frame, and whether that frame had taken effect. */
  readonly drops: Array<{
    connId: number;
    cmd: string;
    reqId: string;
    accepted: boolean;
    /**
     * Other frames accepted on this connection whose ack was written less than a second before the
     * drop: a socket torn down with unread data is reset, and the ack may never reach the client.
     */
    acksAtRisk: string[];
    at: Date;
  }> = [];

  constructor(
    private readonly clock: Clock,
    private readonly codes: SimCodes,
    private readonly options: WsSimOptions = {},
  ) {
    this.path = options.path ?? "/ws";
  }

  addBot(botId: string, secret: string): void {
    this.bots.set(botId, secret);
  }

  /** Bots with a live, subscribed connection. */
  get subscribed(): string[] {
    return [...this.conns].flatMap((c) => (c.botId ? [c.botId] : []));
  }

  get openConnections(): number {
    return this.conns.size;
  }

  /**
   * Fault injection for frames: the next n frames of `cmd` are answered with `errcode`, or not
   * answered at all (errcode undefined: an ack that never comes). Either way they have no effect.
   */
  failNext(cmd: string, errcode: number | undefined, n = 1): void {
    this.faults.push({ cmd, errcode, remaining: n });
  }

  private takeFault(cmd: string): { errcode?: number } | undefined {
    const f = this.faults.find((x) => x.cmd === cmd && x.remaining > 0);
    if (!f) return undefined;
    f.remaining--;
    this.faults = this.faults.filter((x) => x.remaining > 0);
    return f;
  }

  /**
   * Seeded random connection loss: each frame of `cmds` (default: the two that deliver messages)
   * loses its connection with probability `rate`, half the time before it takes effect and half the
   * time after (accepted, but the ack never leaves: the client cannot tell it landed). Recorded in
   * `drops`; `stopDropping()` ends it.
   */
  dropRandomly(opts: { seed: number; rate: number; cmds?: readonly string[] }): void {
    this.randomDrops = {
      rate: opts.rate,
      cmds: opts.cmds ?? ["aibot_respond_msg", "aibot_send_msg"],
      next: seededRandom(opts.seed),
    };
  }

  stopDropping(): void {
    this.randomDrops = undefined;
  }

  /** Refuse the next n upgrades with HTTP 503 (a gateway that is down). */
  refuseNext(n: number): void {
    this.refuse += n;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.refuse > 0) {
      this.refuse--;
      socket.end("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(socket: WebSocket): void {
    const conn: Conn = { id: this.nextId++, socket };
    this.conns.add(conn);
    this.connectionsOpened++;
    this.touch(conn);
    socket.on("message", (data) => this.onFrame(conn, data.toString()));
    socket.on("close", () => {
      clearTimeout(conn.idle);
      this.conns.delete(conn);
    });
    socket.on("error", () => undefined);
  }

  private touch(conn: Conn): void {
    if (!this.options.idleTimeoutMs) return;
    clearTimeout(conn.idle);
    conn.idle = setTimeout(() => conn.socket.close(1001, "heartbeat timeout"), this.options.idleTimeoutMs);
  }

  private ack(conn: Conn, reqId: string, errcode = 0, errmsg = "ok"): void {
    if (errcode === 0 && this.randomDrops) {
      const now = performance.now();
      conn.acked = [...(conn.acked ?? []).filter((a) => a.atMs > now - ACK_RISK_MS), { reqId, atMs: now }];
    }
    this.write(conn, { headers: { req_id: reqId }, errcode, errmsg });
  }

  private write(conn: Conn, frame: unknown): void {
    if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(JSON.stringify(frame));
  }

  private onFrame(conn: Conn, raw: string): void {
    if (conn.dead) return;
    this.touch(conn);
    let frame: unknown;
    try {
      frame = JSON.parse(raw);
    } catch {
      frame = undefined;
    }
    if (!isObject(frame)) {
      this.malformed.push(raw); // no answer: there is no req_id to answer on (UNVERIFIED)
      return;
    }
    const reqId =
      isObject(frame.headers) && typeof frame.headers.req_id === "string" ? frame.headers.req_id : "";
    const cmd = typeof frame.cmd === "string" ? frame.cmd : "";
    const body = isObject(frame.body) ? frame.body : {};
    const record = { connId: conn.id, reqId, cmd, body, at: this.clock.now() };
    const drop = this.drawDrop(cmd);
    if (drop === "before") {
      this.dropOn(conn, record, false);
      return;
    }
    const errcode = this.handle(conn, record);
    if (drop === "after") {
      this.dropOn(conn, record, errcode === 0);
      return;
    }
    if (errcode === undefined) return;
    if (errcode !== 0) this.refused.push({ connId: conn.id, cmd, errcode });
    this.ack(conn, reqId, errcode, errcode === 0 ? "ok" : `refused by the simulator (${cmd})`);
  }

  /** Returns the errcode to ack with, or undefined when the frame gets no ack. */
  private handle(conn: Conn, f: WsFrameRecord): number | undefined {
    const injected = this.takeFault(f.cmd);
    if (injected) return injected.errcode;
    if (f.cmd === "aibot_subscribe") return this.subscribe(conn, f);
    if (!conn.botId) return this.codes.wsNotSubscribed;
    switch (f.cmd) {
      case "ping":
        this.pings++;
        return this.ackPings ? 0 : undefined;
      case "aibot_respond_msg":
        return this.respond(conn, f);
      case "aibot_send_msg":
        return this.send(conn, f);
      default:
        return this.codes.invalidParameter;
    }
  }

  private drawDrop(cmd: string): "before" | "after" | undefined {
    const mode = this.randomDrops;
    if (!mode?.cmds.includes(cmd)) return undefined;
    // Two draws per frame whatever happens, so a seed replays the same decisions frame by frame.
    const hit = mode.next() < mode.rate;
    const after = mode.next() < 0.5;
    if (!hit) return undefined;
    return after ? "after" : "before";
  }

  private dropOn(conn: Conn, f: WsFrameRecord, accepted: boolean): void {
    const since = performance.now() - ACK_RISK_MS;
    const acksAtRisk = (conn.acked ?? []).filter((a) => a.atMs > since).map((a) => a.reqId);
    this.drops.push({ connId: conn.id, cmd: f.cmd, reqId: f.reqId, accepted, acksAtRisk, at: f.at });
    conn.dead = true;
    conn.socket.terminate();
  }

  private subscribe(conn: Conn, f: WsFrameRecord): number {
    const botId = typeof f.body.bot_id === "string" ? f.body.bot_id : "";
    const ok = this.bots.has(botId) && this.bots.get(botId) === f.body.secret;
    this.subscribes.push({ connId: conn.id, botId, ok });
    if (!ok) {
      if (this.options.closeOnAuthFailure ?? true) setImmediate(() => conn.socket.close(1000, "auth failed"));
      return this.codes.wsBadCredentials;
    }
    for (const other of this.conns) if (other !== conn && other.botId === botId) this.kickConn(other);
    conn.botId = botId;
    return 0;
  }

  private respond(conn: Conn, f: WsFrameRecord): number {
    const callback = this.callbacks.get(f.reqId);
    if (!callback || callback.botId !== conn.botId) return this.codes.wsInvalidReqId;
    const msgtype = f.body.msgtype;
    if (msgtype === "stream" || msgtype === "stream_with_template_card") {
      const stream = isObject(f.body.stream) ? f.body.stream : {};
      if (typeof stream.id !== "string" || stream.id === "") return this.codes.invalidParameter;
      if (callback.finished.has(stream.id)) return this.codes.wsStreamExpired;
      if (typeof stream.content === "string" && bytes(stream.content) > CONTENT_MAX_BYTES) {
        return this.codes.contentTooLong;
      }
      if (stream.finish === true) callback.finished.add(stream.id);
    } else if (msgtype !== "template_card") {
      return this.codes.invalidMsgType;
    }
    this.responses.push(f);
    return 0;
  }

  private send(conn: Conn, f: WsFrameRecord): number {
    const chatid = typeof f.body.chatid === "string" ? f.body.chatid : "";
    if (!chatid) return this.codes.invalidParameter;
    const msgtype = f.body.msgtype;
    if (msgtype !== "markdown" && msgtype !== "template_card") return this.codes.invalidMsgType;
    const markdown = isObject(f.body.markdown) ? f.body.markdown : {};
    if (msgtype === "markdown" && (typeof markdown.content !== "string" || markdown.content === "")) {
      return this.codes.emptyContent;
    }
    if (typeof markdown.content === "string" && bytes(markdown.content) > CONTENT_MAX_BYTES) {
      return this.codes.contentTooLong;
    }
    if ((this.options.requireKnownChat ?? true) && !this.knownChats.has(`${conn.botId}:${chatid}`)) {
      return this.codes.wsUnknownChat;
    }
    this.sends.push(f);
    return 0;
  }

  /** Lets the bot push to a chat without a member message first. */
  allowChat(botId: string, chatId: string): void {
    this.knownChats.add(`${botId}:${chatId}`);
  }

  private target(botId: string | undefined): Conn {
    const subscribed = [...this.conns].filter((c) => c.botId && (botId === undefined || c.botId === botId));
    const conn = subscribed[0];
    if (!conn) throw new Error(`no subscribed long connection${botId ? ` for bot ${botId}` : ""}`);
    return conn;
  }

  /**
   * Pushes a member message (aibot_msg_callback) to the bot's connection; returns its req_id.
   * The body is the decrypted-callback JSON (see botTextMessage).
   */
  pushMessage(body: Record<string, unknown>, opts: { botId?: string; reqId?: string } = {}): string {
    const botId = opts.botId ?? (typeof body.aibotid === "string" ? body.aibotid : undefined);
    const conn = this.target(botId);
    const reqId = opts.reqId ?? randomBytes(18).toString("base64url");
    this.callbacks.set(reqId, { botId: conn.botId as string, finished: new Set() });
    const from = isObject(body.from) ? body.from : {};
    const chat = body.chattype === "group" ? body.chatid : from.userid;
    if (typeof chat === "string") this.allowChat(conn.botId as string, chat);
    this.write(conn, { cmd: "aibot_msg_callback", headers: { req_id: reqId }, body });
    return reqId;
  }

  pushEvent(body: Record<string, unknown>, opts: { botId?: string } = {}): string {
    const reqId = randomBytes(18).toString("base64url");
    this.write(this.target(opts.botId), { cmd: "aibot_event_callback", headers: { req_id: reqId }, body });
    return reqId;
  }

  /** Sends any text (malformed frames, unknown commands) to the bot's connection. */
  pushRaw(text: string, opts: { botId?: string } = {}): void {
    this.target(opts.botId).socket.send(text);
  }

  private kickConn(conn: Conn): void {
    this.write(conn, {
      cmd: "aibot_event_callback",
      headers: { req_id: randomBytes(18).toString("base64url") },
      body: {
        msgid: randomBytes(16).toString("hex"),
        create_time: Math.floor(this.clock.now().getTime() / 1000),
        aibotid: conn.botId,
        msgtype: "event",
        event: { eventtype: "disconnected_event" },
      },
    });
    conn.botId = undefined;
    setImmediate(() => conn.socket.close(1000, "replaced by a newer connection"));
  }

  /** Kicks the bot's connection as a newer subscriber would. */
  kick(botId: string): void {
    this.kickConn(this.target(botId));
  }

  /** Drops every connection without a close handshake (network failure). */
  drop(): void {
    for (const conn of this.conns) {
      conn.dead = true;
      conn.socket.terminate();
    }
  }

  waitForResponse(reqId: string, timeoutMs = 3000): Promise<WsFrameRecord> {
    return waitFor(() => this.responses.find((r) => r.reqId === reqId), timeoutMs, `a response on ${reqId}`);
  }

  /** Resolves once `count` subscribes of botId have succeeded in total. */
  waitForSubscribes(botId: string, count: number, timeoutMs = 5000): Promise<number> {
    return waitFor(
      () => {
        const n = this.subscribes.filter((s) => s.ok && s.botId === botId).length;
        return n >= count && this.subscribed.includes(botId) ? n : undefined;
      },
      timeoutMs,
      `${count} subscribes of ${botId}`,
    );
  }

  close(): void {
    for (const conn of this.conns) conn.socket.terminate();
    this.wss.close();
  }
}
