import { createHash, timingSafeEqual } from "node:crypto";
import type { Context } from "koa";

/** The dashboard's cookie; /metrics (src/web/admin-access.ts) accepts the same one. */
export const ADMIN_COOKIE = "huibao_admin";
const COOKIE_DAYS = 7;

/** The whole 127.0.0.0/8 block and ::1, also as IPv4-mapped IPv6. Judged by the socket, never a header. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  return address === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

// Hashing first makes the comparison constant-time whatever the lengths.
function sameSecret(given: string, token: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return given.length > 0 && timingSafeEqual(digest(given), digest(token));
}

function cookieToken(ctx: Context): string {
  const raw = ctx.cookies.get(ADMIN_COOKIE) ?? "";
  try {
    return decodeURIComponent(raw);
  } catch {
    return "";
  }
}

export function bearerToken(ctx: Context): string {
  const header = ctx.get("authorization");
  return header.startsWith("Bearer ") ? header.slice(7).trim() : "";
}

export function tokenMatches(given: string, token: string): boolean {
  return sameSecret(given, token);
}

const LOCAL_HOSTS = /^(localhost|[\w-]+\.localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d+)?$/i;

/**
 * Who may see the dashboard:
 * - "allowed": the token (bearer header or cookie), or, with no token configured, a caller on this
 *   machine who addressed it as this machine (a Host header like evil.example pointing at 127.0.0.1
 *   is a DNS-rebinding page in the operator's browser, not the operator);
 * - "login": a token is configured and the caller has not shown it;
 * - "forbidden": no token configured and the caller is elsewhere.
 */
export type Verdict = "allowed" | "login" | "forbidden";

export function judge(ctx: Context, token: string | undefined): Verdict {
  if (token) {
    return sameSecret(bearerToken(ctx), token) || sameSecret(cookieToken(ctx), token) ? "allowed" : "login";
  }
  const local = isLoopback(ctx.req.socket.remoteAddress) && LOCAL_HOSTS.test(ctx.req.headers.host ?? "");
  return local ? "allowed" : "forbidden";
}

/**
 * Browsers name the page a form or fetch came from; one from another site is refused, so a page
 * elsewhere cannot make the operator's browser talk to the bot. Clients that send no Origin (curl,
 * scripts with a bearer token) are not browsers running someone else's page.
 */
export function crossSite(ctx: Context): boolean {
  // Browsers of the last years say it outright; a proxy rewriting Host cannot confuse this one.
  const site = ctx.get("sec-fetch-site");
  if (site) return site === "cross-site" || site === "same-site";
  const origin = ctx.get("origin");
  if (!origin) return false;
  try {
    const host = new URL(origin).host;
    return host !== ctx.req.headers.host && host !== ctx.host;
  } catch {
    return true;
  }
}

export function setAdminCookie(ctx: Context, token: string): void {
  ctx.cookies.set(ADMIN_COOKIE, encodeURIComponent(token), {
    httpOnly: true,
    sameSite: "strict",
    secure: ctx.secure,
    path: "/",
    maxAge: COOKIE_DAYS * 24 * 3600 * 1000,
    overwrite: true,
  });
}

export function clearAdminCookie(ctx: Context): void {
  ctx.cookies.set(ADMIN_COOKIE, "", {
    httpOnly: true,
    sameSite: "strict",
    secure: ctx.secure,
    path: "/",
    maxAge: 0,
    overwrite: true,
  });
}
