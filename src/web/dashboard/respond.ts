import { randomBytes } from "node:crypto";
import type { Context, Next } from "koa";
import { readBody } from "../body.ts";
import type { SafeHtml } from "./html.ts";
import { type AccessMode, page } from "./layout.ts";

/** What the dashboard's middleware leaves on ctx.state for the handlers. */
interface DashboardState {
  nonce: string;
  access?: AccessMode;
  /** What the administrator should fix soon, shown on every page (see adminWarnings). */
  warnings?: string[];
}

export const dashboardState = (ctx: Context) => ctx.state as DashboardState;

/**
 * Every dashboard response: scripts only with this response's nonce, no framing, no caching (the
 * pages show live operational data), no referrer leaving the site.
 */
export async function securityHeaders(ctx: Context, next: Next): Promise<void> {
  const nonce = randomBytes(16).toString("base64");
  dashboardState(ctx).nonce = nonce;
  ctx.set(
    "content-security-policy",
    `default-src 'self'; script-src 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; ` +
      "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
  );
  ctx.set("x-content-type-options", "nosniff");
  ctx.set("referrer-policy", "no-referrer");
  ctx.set("x-frame-options", "DENY");
  ctx.set("cache-control", "no-store");
  await next();
}

export function render(ctx: Context, title: string, body: SafeHtml, extra: { script?: string } = {}): void {
  const s = dashboardState(ctx);
  ctx.type = "html";
  ctx.body = page({
    title,
    body,
    active: ctx.path.replace(/\/$/, ""),
    access: s.access,
    nonce: s.nonce,
    warnings: s.warnings,
    ...extra,
  });
}

/** 303: after a form POST the browser loads the next page with GET. */
export function seeOther(ctx: Context, location: string): void {
  ctx.redirect(location);
  ctx.status = 303;
}

export function refuse(ctx: Context, status: number, error: string): void {
  ctx.status = status;
  ctx.body = { error };
}

export async function formBody(ctx: Context, limitBytes: number): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(ctx, limitBytes));
}
