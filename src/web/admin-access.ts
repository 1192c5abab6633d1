import { timingSafeEqual } from "node:crypto";
import type { Context, Next } from "koa";

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Operator-only endpoints. With ADMIN_TOKEN set: `Authorization: Bearer <token>` (or the dashboard's
 * cookie). Without it: only callers on this machine, judged by the socket's peer address — never by
 * X-Forwarded-For, which any client can write. (Behind a proxy on the same host every caller looks
 * local: set ADMIN_TOKEN there; docs/deploy.md says so.)
 */
export function adminOnly(token: string | undefined) {
  return async (ctx: Context, next: Next) => {
    if (token) {
      const header = ctx.get("authorization");
      const bearer = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
      const cookie = ctx.cookies.get("huibao_admin") ?? "";
      if (sameSecret(bearer, token) || sameSecret(cookie, token)) return next();
      ctx.status = 401;
      ctx.set("www-authenticate", 'Bearer realm="huibao"');
      ctx.body = { error: "需要管理员令牌（ADMIN_TOKEN）" };
      return;
    }
    if (LOOPBACK.has(ctx.req.socket.remoteAddress ?? "")) return next();
    ctx.status = 403;
    ctx.body = { error: "没有设置 ADMIN_TOKEN，只允许本机访问" };
  };
}
