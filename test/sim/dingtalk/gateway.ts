import { randomBytes, randomUUID } from "node:crypto";
import type { Clock } from "../../../src/lib/clock.ts";
import type { SimCodes } from "./codes.ts";
import { apiError, apiOk, isObject, jsonObject, type SimAnswer, str } from "./http.ts";

/**
 * Stream mode registration: `POST /v1.0/gateway/connections/open {clientId, clientSecret,
 * subscriptions:[{type, topic}], ua?}` → `{endpoint, ticket}`; the client then opens a WebSocket to
 * `endpoint?ticket=…`. Tickets here are single use (UNVERIFIED: the SDKs fetch a new one for every
 * connection, which is what we require of our client).
 */

export interface StreamOpenRecord {
  clientId: string;
  ok: boolean;
  subscriptions: Array<{ type: string; topic: string }>;
  at: Date;
}

export interface StreamClientApp {
  clientId: string;
  clientSecret: string;
  /** DingTalk's appId (a UUID) that Stream frames carry in headers.appId. */
  appId: string;
}

export class StreamGateway {
  readonly opens: StreamOpenRecord[] = [];
  private readonly apps = new Map<string, StreamClientApp>();
  private readonly tickets = new Map<string, { clientId: string; used: boolean }>();

  constructor(
    private readonly clock: Clock,
    private readonly codes: SimCodes,
    /** ws://127.0.0.1:PORT/connect, known once the server listens. */
    private readonly endpoint: () => string,
  ) {}

  addClient(clientId: string, clientSecret: string): StreamClientApp {
    const app = { clientId, clientSecret, appId: randomUUID() };
    this.apps.set(clientId, app);
    return app;
  }

  open(body: string): SimAnswer {
    const req = jsonObject(body);
    const clientId = str(req?.clientId);
    const app = this.apps.get(clientId);
    const subscriptions = Array.isArray(req?.subscriptions)
      ? req.subscriptions.filter(isObject).map((s) => ({ type: str(s.type), topic: str(s.topic) }))
      : [];
    const ok = app !== undefined && app.clientSecret === str(req?.clientSecret);
    this.opens.push({ clientId, ok, subscriptions, at: this.clock.now() });
    if (!ok) {
      const c = this.codes.streamAuthFailed;
      return apiError(c.status, c.code, c.message);
    }
    if (subscriptions.length === 0) {
      const c = this.codes.invalidParameter;
      return apiError(c.status, c.code, c.message);
    }
    const ticket = randomBytes(18).toString("hex");
    this.tickets.set(ticket, { clientId, used: false });
    return apiOk({ endpoint: this.endpoint(), ticket });
  }

  /** Uses up a ticket; the client's app when it was valid and unused. */
  redeem(ticket: string): StreamClientApp | undefined {
    const t = this.tickets.get(ticket);
    if (!t || t.used) return undefined;
    t.used = true;
    return this.apps.get(t.clientId);
  }
}
