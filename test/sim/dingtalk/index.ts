import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Clock, systemClock } from "../../../src/lib/clock.ts";
import { type CallbackDelivery, type CallbackResult, deliverCallback } from "./callback-client.ts";
import { resolveCodes, type SimCodes } from "./codes.ts";
import { type CustomRobot, type CustomRobotOptions, CustomRobots } from "./custom-robot.ts";
import { applyFault, FaultQueue } from "./faults.ts";
import { StreamGateway } from "./gateway.ts";
import { type RouteName, readBody, type SimAnswer, sendJson } from "./http.ts";
import { type TextMessageInput, textMessage } from "./messages.ts";
import { type GroupMessageRecord, type OneToOneRecord, RobotApi } from "./robot-api.ts";
import { SessionWebhooks } from "./session-webhook.ts";
import { StreamSim, type StreamSimOptions } from "./stream-server.ts";
import { type SimApp, TokenStore } from "./tokens.ts";

/**
 * A loopback DingTalk: one real HTTP + WebSocket server on 127.0.0.1 that plays both
 * api.dingtalk.com (`apiUrl`, for DINGTALK_API_BASE) and oapi.dingtalk.com (`oapiUrl`, for
 * DINGTALK_OAPI_BASE), speaking the protocol of shared/protocols.md with its failure modes on demand.
 * Business time (token expiry, session webhook expiry, signature skew, the custom robot's minute and
 * 10-minute lockout) follows the injected clock; network timing (Stream redelivery, pings) is real.
 */

export { type CallbackDelivery, type CallbackResult, deliverCallback } from "./callback-client.ts";
export { DEFAULT_CODES, type SimCodes } from "./codes.ts";
export { BODY_MAX_BYTES, LOCKOUT_MS, SIGN_MAX_SKEW_MS } from "./custom-robot.ts";
export { type Fault, type FaultSpec, fault } from "./faults.ts";
export { opaqueId, type TextMessageInput } from "./messages.ts";
export { dingSign } from "./sign.ts";
export { type AckRecord, TOPIC_ROBOT } from "./stream-server.ts";

export interface DingtalkSimOptions {
  clock?: Clock;
  appKey?: string;
  appSecret?: string;
  robotCode?: string;
  /** Custom robot messages per rolling minute before the lockout (DingTalk: 20). */
  perMinute?: number;
  codes?: Partial<SimCodes>;
  stream?: StreamSimOptions;
}

export interface RequestRecord {
  route: RouteName | "unknown";
  method: string;
  query: Record<string, string>;
  /** Whether x-acs-dingtalk-access-token was present (its value is not kept). */
  tokenHeader: boolean;
  body: string;
  status: number;
  /** The injected fault this request met, if any (see faults.applied for its details). */
  fault?: string;
  /**
   * The client hung up before the answer was written (a timeout, typically after a slow fault).
   * If the request was accepted anyway, the message went out although the client believes it failed.
   */
  clientGaveUp?: boolean;
  /** api.dingtalk.com error code, when the answer had one. */
  code?: string;
  /** oapi errcode, when the answer had one. */
  errcode?: number;
}

export interface DingtalkSim {
  /** For DINGTALK_API_BASE (no trailing slash). */
  readonly apiUrl: string;
  /** For DINGTALK_OAPI_BASE (the same server). */
  readonly oapiUrl: string;
  readonly clock: Clock;
  readonly codes: SimCodes;
  readonly app: SimApp;
  readonly tokens: TokenStore;
  readonly robot: RobotApi;
  readonly sessions: SessionWebhooks;
  readonly customRobots: CustomRobots;
  readonly gateway: StreamGateway;
  readonly stream: StreamSim;
  readonly faults: FaultQueue;
  /** Every HTTP request, in order (faulted ones included). */
  readonly requests: RequestRecord[];
  expireTokens(): void;
  /** Messages sent to a group through groupMessages/send. */
  groupMessages(openConversationId: string): GroupMessageRecord[];
  /** Messages sent to one person through oToMessages/batchSend. */
  oneToOneMessages(userId: string): OneToOneRecord[];
  newSessionWebhook(conversationId: string, ttlMs?: number): { url: string; expiresAt: number };
  addCustomRobot(
    token: string,
    secret: string | undefined,
    name: string,
    opts?: CustomRobotOptions,
  ): CustomRobot;
  /** Plays DingTalk's HTTP callback; appSecret and timestamp default to the sim's app and clock. */
  deliverCallback(d: Omit<CallbackDelivery, "appSecret"> & { appSecret?: string }): Promise<CallbackResult>;
  /** A realistic robot text message with a live session webhook (ttl: sessionWebhookTtlMs). */
  textMessage(m: TextMessageInput & { sessionWebhookTtlMs?: number }): Record<string, unknown>;
  /** Pushes a CALLBACK frame on the Stream connection; returns its messageId. */
  pushCallback(data: unknown, opts?: { topic?: string; messageId?: string }): string;
  /** Drops every Stream connection abruptly. */
  dropStream(): void;
  close(): Promise<void>;
}

const ROUTES: Record<string, RouteName> = {
  "/v1.0/oauth2/accessToken": "oauth2/accessToken",
  "/v1.0/robot/groupMessages/send": "groupMessages/send",
  "/v1.0/robot/oToMessages/batchSend": "oToMessages/batchSend",
  "/v1.0/gateway/connections/open": "gateway/connections/open",
  "/robot/send": "robot/send",
  "/robot/sendBySession": "robot/sendBySession",
};

export async function startDingtalkSim(opts: DingtalkSimOptions = {}): Promise<DingtalkSim> {
  const clock = opts.clock ?? systemClock;
  const codes = resolveCodes(opts.codes);
  const app: SimApp = {
    appKey: opts.appKey ?? "dingsimappkey0001",
    appSecret: opts.appSecret ?? "sim-app-secret-0123456789abcdef",
    robotCode: opts.robotCode ?? opts.appKey ?? "dingsimappkey0001",
  };
  const tokens = new TokenStore(clock, codes);
  tokens.addApp(app);
  const robot = new RobotApi(clock, codes, tokens);
  const sessions = new SessionWebhooks(clock, codes);
  const customRobots = new CustomRobots(clock, codes, opts.perMinute ?? 20);
  let base = "";
  const stream = () => streamSim;
  const gateway = new StreamGateway(clock, codes, () => `${base.replace(/^http/, "ws")}${stream().path}`);
  // DingTalk's Stream clientId/clientSecret are the app's AppKey/AppSecret.
  gateway.addClient(app.appKey, app.appSecret);
  const streamSim = new StreamSim(clock, gateway, opts.stream);
  const faults = new FaultQueue();
  const requests: RequestRecord[] = [];

  const dispatch = (
    route: RouteName,
    req: IncomingMessage,
    query: URLSearchParams,
    body: string,
  ): SimAnswer => {
    const header = req.headers["x-acs-dingtalk-access-token"];
    const token = typeof header === "string" ? header : undefined;
    switch (route) {
      case "oauth2/accessToken":
        return tokens.issue(body);
      case "groupMessages/send":
        return robot.sendGroup(token, body);
      case "oToMessages/batchSend":
        return robot.batchSend(token, body);
      case "gateway/connections/open":
        return gateway.open(body);
      case "robot/send":
        return customRobots.send(query, body);
      case "robot/sendBySession":
        return sessions.post(query, body);
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://sim");
    const route = ROUTES[url.pathname];
    const body = await readBody(req);
    const record: RequestRecord = {
      route: route ?? "unknown",
      method: req.method ?? "",
      query: Object.fromEntries(url.searchParams),
      tokenHeader: req.headers["x-acs-dingtalk-access-token"] !== undefined,
      body,
      status: 0,
    };
    requests.push(record);
    res.on("close", () => {
      // A "drop" fault hangs up on the client, not the other way round.
      if (!res.writableFinished && record.fault !== "drop") record.clientGaveUp = true;
    });
    if (!route || req.method !== "POST") {
      record.status = 404;
      sendJson(res, 404, { code: "NotFound", message: "not found" });
      return;
    }
    const injected = faults.take(route);
    if (injected) record.fault = injected.kind;
    if (injected && (await applyFault(res, injected))) {
      record.status = res.headersSent ? res.statusCode : -1;
      return;
    }
    const answer = dispatch(route, req, url.searchParams, body);
    record.status = answer.status;
    if (typeof answer.body.code === "string") record.code = answer.body.code;
    if (typeof answer.body.errcode === "number") record.errcode = answer.body.errcode;
    sendJson(res, answer.status, answer.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { code: "InternalError", message: "system error" });
    });
  });
  server.on("upgrade", (req, socket, head) => {
    if (new URL(req.url ?? "/", "http://sim").pathname === streamSim.path) {
      streamSim.handleUpgrade(req, socket, head);
    } else socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  const sessionUrl = (session: string) => `${base}/robot/sendBySession?session=${session}`;

  return {
    apiUrl: base,
    oapiUrl: base,
    clock,
    codes,
    app,
    tokens,
    robot,
    sessions,
    customRobots,
    gateway,
    stream: streamSim,
    faults,
    requests,
    expireTokens: () => tokens.expireTokens(),
    groupMessages: (id) => robot.inConversation(id),
    oneToOneMessages: (userId) => robot.toUser(userId),
    newSessionWebhook(conversationId, ttlMs) {
      const hook = sessions.create(conversationId, ttlMs);
      return { url: sessionUrl(hook.session), expiresAt: hook.expiresAt };
    },
    addCustomRobot: (token, secret, name, o) => customRobots.add(token, secret, name, o),
    deliverCallback: (d) =>
      deliverCallback({
        ...d,
        appSecret: d.appSecret ?? app.appSecret,
        timestamp: d.timestamp ?? clock.now().getTime(),
      }),
    textMessage(m) {
      const hook = sessions.create(m.conversationId, m.sessionWebhookTtlMs);
      return textMessage({
        ...m,
        robotCode: m.robotCode ?? app.robotCode,
        now: clock.now().getTime(),
        sessionWebhook: sessionUrl(hook.session),
        sessionWebhookExpiredTime: hook.expiresAt,
      });
    },
    pushCallback: (data, o) => streamSim.pushCallback(data, o),
    dropStream: () => streamSim.drop(),
    async close() {
      streamSim.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
