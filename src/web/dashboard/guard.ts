import type { Context, Next } from "koa";
import { crossSite, judge } from "./access.ts";
import { forbiddenBody } from "./login.ts";
import { dashboardState, refuse, render, seeOther } from "./respond.ts";

/**
 * Lets in whoever judge() allows. Pages send everyone else to the login form (or explain why only
 * this machine may look); API calls get 401/403 in JSON. Writes from another site's page are refused.
 */
export function guard(token: string | undefined, kind: "page" | "api") {
  return async (ctx: Context, next: Next) => {
    const verdict = judge(ctx, token);
    if (verdict === "forbidden") {
      if (kind === "api") return refuse(ctx, 403, "没有设置 ADMIN_TOKEN，管理台只允许本机访问");
      ctx.status = 403;
      return render(ctx, "只允许本机访问", forbiddenBody());
    }
    if (verdict === "login") {
      if (kind === "page") return seeOther(ctx, `/dashboard/login?next=${encodeURIComponent(ctx.path)}`);
      ctx.set("www-authenticate", 'Bearer realm="huibao"');
      return refuse(ctx, 401, "需要管理员令牌（ADMIN_TOKEN）：Authorization: Bearer <令牌>");
    }
    if (ctx.method !== "GET" && ctx.method !== "HEAD" && crossSite(ctx)) {
      return refuse(ctx, 403, "拒绝来自其他网站的请求");
    }
    dashboardState(ctx).access = token ? "token" : "loopback";
    await next();
  };
}
