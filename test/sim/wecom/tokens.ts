import { randomBytes } from "node:crypto";
import { SimTokenStore, TOKEN_TTL_S } from "../shared/tokens.ts";
import type { SimCodes } from "./codes.ts";
import { fail, ok, type SimAnswer } from "./http.ts";

/**
 * `GET /cgi-bin/gettoken?corpid=&corpsecret=`. One token per app, 7200 s. While it is valid,
 * gettoken returns the same token (WeCom: "有效期内重复获取返回相同结果"); after expiry, a new one.
 */

export interface SimApp {
  corpId: string;
  secret: string;
  agentId: string;
}

interface Issued {
  app: SimApp;
  issuedAt: number;
  state: "valid" | "expired" | "invalid";
}

export { TOKEN_TTL_S };

export class TokenStore extends SimTokenStore<SimApp, Issued, SimCodes> {
  /** Existing tokens now answer 42001, as if their 7200 s had passed. */
  expireTokens(): void {
    for (const t of this.tokens.values()) if (t.state === "valid") t.state = "expired";
  }

  /** Existing tokens now answer 40014 (e.g. the secret was reset in the admin console). */
  invalidateTokens(): void {
    for (const t of this.tokens.values()) t.state = "invalid";
  }

  gettoken(query: URLSearchParams): SimAnswer {
    this.calls++;
    const corpId = query.get("corpid") ?? "";
    const secret = query.get("corpsecret") ?? "";
    if (!this.apps.some((a) => a.corpId === corpId)) return fail(this.codes.invalidCorpId, "invalid corpid");
    const app = this.apps.find((a) => a.corpId === corpId && a.secret === secret);
    if (!app) return fail(this.codes.invalidSecret, "invalid credential");
    const current = this.current(app, (t) => this.stateOf(t) === "valid");
    if (current) {
      const left = TOKEN_TTL_S - Math.floor((this.clock.now().getTime() - current[1].issuedAt) / 1000);
      return ok({ access_token: current[0], expires_in: left });
    }
    const token = randomBytes(48).toString("base64url");
    this.tokens.set(token, { app, issuedAt: this.clock.now().getTime(), state: "valid" });
    return ok({ access_token: token, expires_in: TOKEN_TTL_S });
  }

  /** The app a request's access_token belongs to, or the errcode answer for a bad token. */
  check(query: URLSearchParams): { app: SimApp } | { answer: SimAnswer } {
    const token = query.get("access_token");
    if (!token) return { answer: fail(this.codes.missingToken, "access_token missing") };
    const issued = this.tokens.get(token);
    if (!issued) return { answer: fail(this.codes.invalidToken, "invalid access_token") };
    const state = this.stateOf(issued);
    if (state === "expired") return { answer: fail(this.codes.tokenExpired, "access_token expired") };
    if (state === "invalid") return { answer: fail(this.codes.invalidToken, "invalid access_token") };
    return { app: issued.app };
  }

  private stateOf(t: Issued): Issued["state"] {
    if (t.state !== "valid") return t.state;
    const ageMs = this.clock.now().getTime() - t.issuedAt;
    return ageMs >= TOKEN_TTL_S * 1000 ? "expired" : "valid";
  }
}
