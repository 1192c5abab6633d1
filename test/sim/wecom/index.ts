import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Clock, systemClock } from "../../../src/lib/clock.ts";
import { AppMessages } from "./app-send.ts";
import {
  type AppDelivery,
  type BotDelivery,
  deliverAppMessage,
  deliverBotMessage,
  type VerifyUrlInput,
  verifyUrl,
} from "./callback-client.ts";
import { resolveCodes, type SimCodes } from "./codes.ts";
import { applyFault, FaultQueue } from "./faults.ts";
import { type RouteName, readBody, type SimAnswer, sendJson } from "./http.ts";
import { type BotTextInput, botTextMessage } from "./messages.ts";
import { ResponseUrls } from "./response-url.ts";
import { type SimApp, TokenStore } from "./tokens.ts";
import { WebhookRobots } from "./webhook.ts";
import { WsSim, type WsSimOptions } from "./ws-server.ts";

/**
 * A loopback WeCom: a real HTTP + WebSocket server on 127.0.0.1 speaking WeCom's protocol (see
 * shared/protocols.md), with its failure modes on demand. Point WECOM_API_BASE at `sim.url` and the
 * long connection at `sim.wsUrl`. Time-based rules (token expiry, webhook window, response_url hour)
 * follow the injected clock; network timing (timeouts, heartbeats) is real.
 */

export {
  deliverAppMessage,
  deliverBotMessage,
  openAppReply,
  openBotReply,
  trickyEchostr,
  verifyUrl,
  xmlField,
} from "./callback-client.ts";
export { DEFAULT_CODES, type SimCodes } from "./codes.ts";
export type { Fault, FaultSpec } from "./faults.ts";
export { fault } from "./faults.ts";
export { appTextXml, botTextMessage } from "./messages.ts";

export interface WecomSimOptions {
  clock?: Clock;
  /** The default self-built app. */
  app?: Partial<SimApp>;
  /** The default AI bot for the long connection. */
  aiBot?: { botId: string; secret: string };
  webhookPerMinute?: number;
  codes?: Partial<SimCodes>;
  ws?: WsSimOptions;
}

export interface RequestRecord {
  route: RouteName | "unknown";
  method: string;
  query: Record<string, string>;
  body: string;
  status: number;
  /** The injected fault this request met, if any (see faults.applied for its details). */
  fault?: string;
  /**
   * The client hung up before the answer was written (a timeout, typically after a slow fault).
   * If the request was accepted anyway, the message went out although the client believes it failed.
   */
  clientGaveUp?: boolean;
  errcode?: number;
}

export interface WecomSim {
  /** Base URL for WECOM_API_BASE, without a trailing slash. */
  readonly url: string;
  /** ws://127.0.0.1:PORT/ws, for WECOM_WS_URL. */
  readonly wsUrl: string;
  readonly clock: Clock;
  readonly codes: SimCodes;
  readonly app: SimApp;
  readonly aiBot: { botId: string; secret: string };
  readonly tokens: TokenStore;
  readonly appMessages: AppMessages;
  readonly webhooks: WebhookRobots;
  readonly responseUrls: ResponseUrls;
  readonly faults: FaultQueue;
  readonly ws: WsSim;
  /** Every HTTP request, in order (faulted ones included). */
  readonly requests: RequestRecord[];
  addWebhook(key: string, chatName: string): void;
  expireTokens(): void;
  invalidateTokens(): void;
  /** A fresh response_url on this simulator (single use, 1 hour). */
  newResponseUrl(): string;
  /** A realistic AI-bot text message with a fresh response_url; aibotid defaults to the sim's bot. */
  botTextMessage(
    m: Omit<BotTextInput, "aibotid" | "responseUrl"> & { aibotid?: string },
  ): Record<string, unknown>;
  deliverBotMessage: typeof deliverBotMessage;
  deliverAppMessage: typeof deliverAppMessage;
  verifyUrl: typeof verifyUrl;
  /** Drops every long connection abruptly. */
  dropWs(): void;
  close(): Promise<void>;
}

const ROUTES: Record<string, { route: RouteName; method: string }> = {
  "/cgi-bin/gettoken": { route: "gettoken", method: "GET" },
  "/cgi-bin/message/send": { route: "message/send", method: "POST" },
  "/cgi-bin/webhook/send": { route: "webhook/send", method: "POST" },
  "/cgi-bin/aibot/response": { route: "aibot/response", method: "POST" },
};

export async function startWecomSim(opts: WecomSimOptions = {}): Promise<WecomSim> {
  const clock = opts.clock ?? systemClock;
  const codes = resolveCodes(opts.codes);
  const app: SimApp = { corpId: "wwsimcorp0001", secret: "sim-app-secret", agentId: "1000002", ...opts.app };
  const aiBot = opts.aiBot ?? { botId: "aibSimBot01", secret: "sim-bot-secret" };
  const tokens = new TokenStore(clock, codes);
  tokens.addApp(app);
  const appMessages = new AppMessages(clock, codes, tokens);
  const webhooks = new WebhookRobots(clock, codes, opts.webhookPerMinute ?? 20);
  const responseUrls = new ResponseUrls(clock, codes);
  const faults = new FaultQueue();
  const ws = new WsSim(clock, codes, opts.ws);
  ws.addBot(aiBot.botId, aiBot.secret);
  const requests: RequestRecord[] = [];

  const dispatch = (route: RouteName, query: URLSearchParams, body: string): SimAnswer => {
    switch (route) {
      case "gettoken":
        return tokens.gettoken(query);
      case "message/send":
        return appMessages.send(query, body);
      case "webhook/send":
        return webhooks.send(query, body);
      case "aibot/response":
        return responseUrls.post(query, body);
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://sim");
    const known = ROUTES[url.pathname];
    const body = await readBody(req);
    const record: RequestRecord = {
      route: known?.route ?? "unknown",
      method: req.method ?? "",
      query: Object.fromEntries(url.searchParams),
      body,
      status: 0,
    };
    requests.push(record);
    res.on("close", () => {
      // A "drop" fault hangs up on the client, not the other way round.
      if (!res.writableFinished && record.fault !== "drop") record.clientGaveUp = true;
    });
    if (!known || known.method !== req.method) {
      record.status = 404;
      sendJson(res, 404, { errcode: 404, errmsg: "not found" });
      return;
    }
    const injected = faults.take(known.route);
    if (injected) record.fault = injected.kind;
    if (injected && (await applyFault(res, injected))) {
      record.status = res.headersSent ? res.statusCode : -1;
      return;
    }
    const answer = dispatch(known.route, url.searchParams, body);
    record.status = 200;
    record.errcode = answer.errcode;
    sendJson(res, 200, answer);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { errcode: -1, errmsg: "system error" });
    });
  });
  server.on("upgrade", (req, socket, head) => {
    if (new URL(req.url ?? "/", "http://sim").pathname === ws.path) ws.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  return {
    url: base,
    wsUrl: `ws://127.0.0.1:${port}${ws.path}`,
    clock,
    codes,
    app,
    aiBot,
    tokens,
    appMessages,
    webhooks,
    responseUrls,
    faults,
    ws,
    requests,
    addWebhook: (key, chatName) => void webhooks.add(key, chatName),
    expireTokens: () => tokens.expireTokens(),
    invalidateTokens: () => tokens.invalidateTokens(),
    newResponseUrl: () => `${base}/cgi-bin/aibot/response?response_code=${responseUrls.create().code}`,
    botTextMessage(m) {
      const responseUrl = `${base}/cgi-bin/aibot/response?response_code=${responseUrls.create().code}`;
      return botTextMessage({ ...m, aibotid: m.aibotid ?? aiBot.botId, responseUrl });
    },
    deliverBotMessage: (d: BotDelivery) => deliverBotMessage(d),
    deliverAppMessage: (d: AppDelivery) => deliverAppMessage(d),
    verifyUrl: (v: VerifyUrlInput) => verifyUrl(v),
    dropWs: () => ws.drop(),
    async close() {
      ws.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
