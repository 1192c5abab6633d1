import { randomBytes } from "node:crypto";
import { SimTokenStore, TOKEN_TTL_S } from "../shared/tokens.ts";
import type { SimCodes } from "./codes.ts";
import { apiError, apiOk, jsonObject, type SimAnswer, str } from "./http.ts";

/**
 * `POST /v1.0/oauth2/accessToken {appKey, appSecret}` → `{accessToken, expireIn: 7200}`, and the
 * check of the `x-acs-dingtalk-access-token` header for the robot APIs. While a token is valid a new
 * request returns the same token with its validity renewed (our reading of "有效期内重复获取返回相同结果，
 * 并自动续期"; UNVERIFIED); after expiry, a new one.
 */

export interface SimApp {
  appKey: string;
  appSecret: string;
  robotCode: string;
}

interface Issued {
  app: SimApp;
  issuedAt: number;
  revoked: boolean;
}

export { TOKEN_TTL_S };

export class TokenStore extends SimTokenStore<SimApp, Issued, SimCodes> {
  /** Existing tokens are refused from now on, as if their 7200 s had passed. */
  expireTokens(): void {
    for (const t of this.tokens.values()) t.revoked = true;
  }

  issue(body: string): SimAnswer {
    this.calls++;
    const req = jsonObject(body);
    if (!req) return this.error("invalidParameter");
    const app = this.apps.find((a) => a.appKey === str(req.appKey) && a.appSecret === str(req.appSecret));
    if (!app) return this.error("badAppSecret");
    const now = this.clock.now().getTime();
    const current = this.current(app, (t) => this.valid(t, now));
    if (current) {
      current[1].issuedAt = now;
      return apiOk({ accessToken: current[0], expireIn: TOKEN_TTL_S });
    }
    const token = randomBytes(16).toString("hex");
    this.tokens.set(token, { app, issuedAt: now, revoked: false });
    return apiOk({ accessToken: token, expireIn: TOKEN_TTL_S });
  }

  /** The app a request's token header belongs to, or the 401 answer. */
  check(header: string | undefined): { app: SimApp } | { answer: SimAnswer } {
    const issued = header ? this.tokens.get(header) : undefined;
    if (!issued || !this.valid(issued, this.clock.now().getTime())) {
      return { answer: this.error("invalidToken") };
    }
    return { app: issued.app };
  }

  private valid(t: Issued, now: number): boolean {
    return !t.revoked && now - t.issuedAt < TOKEN_TTL_S * 1000;
  }

  private error(name: "invalidParameter" | "badAppSecret" | "invalidToken"): SimAnswer {
    const c = this.codes[name];
    return apiError(c.status, c.code, c.message);
  }
}
