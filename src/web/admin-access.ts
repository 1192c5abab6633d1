import type { Context, Next } from "koa";
import { judge } from "./dashboard/access.ts";

/**
 * Operator-only endpoints (/metrics), judged exactly as the dashboard is (dashboard/access.ts): with
 * ADMIN_TOKEN set, `Authorization: Bearer <token>` or the dashboard's cookie; without it, only callers
 * on this machine that address it as this machine — judged by the socket's peer address, never by
 * X-Forwarded-For. (Behind a proxy on the same host every caller looks local: set ADMIN_TOKEN there;
 * docs/deploy.md says so.)
 */
export function adminOnly(token: string | undefined) {
  return async (ctx: Context, next: Next) => {
    const verdict = judge(ctx, token);
    if (verdict === "allowed") return next();
    if (verdict === "login") {
      ctx.status = 401;
      ctx.set("www-authenticate", 'Bearer realm="huibao"');
      ctx.body = { error: "需要管理员令牌（ADMIN_TOKEN）" };
      return;
    }
    ctx.status = 403;
    ctx.body = { error: "没有设置 ADMIN_TOKEN，只允许本机访问" };
  };
}
