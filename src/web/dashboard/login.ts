import type Router from "@koa/router";
import { clearAdminCookie, crossSite, setAdminCookie, tokenMatches } from "./access.ts";
import { html, type SafeHtml } from "./html.ts";
import { formBody, refuse, render, securityHeaders, seeOther } from "./respond.ts";

/** Only our own pages: an open redirect would let a link send a fresh login elsewhere. */
export function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/dashboard(\/[\w/-]*)?$/.test(next) ? next : "/dashboard";
}

function loginForm(opts: { next: string; error?: string }): SafeHtml {
  return html`<form class="login card" method="post" action="/dashboard/login">
<h1>登录管理台</h1>
<p class="muted">请输入服务器上设置的管理员令牌（ADMIN_TOKEN）。</p>
${opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : ""}
<p><input type="password" name="token" autocomplete="current-password" aria-label="管理员令牌" required autofocus></p>
<input type="hidden" name="next" value="${opts.next}">
<p><button class="primary" type="submit">登录</button></p>
</form>`;
}

export function forbiddenBody(): SafeHtml {
  return html`<div class="card"><h1>只允许本机访问</h1>
<p>服务器没有设置 ADMIN_TOKEN，所以管理台只回答在服务器本机上、用 localhost 或 127.0.0.1 打开的请求。</p>
<p>要从别的电脑或手机访问：在服务器上设置 ADMIN_TOKEN（至少 16 个字符）并重启，然后用令牌登录。</p></div>`;
}

/**
 * The login form sets the HttpOnly, SameSite=Strict cookie /metrics also accepts; a wrong token
 * gets the form again. Without a token configured there is nothing to log in to.
 */
export function addLoginRoutes(router: Router, token: string | undefined, bodyLimitBytes: number): void {
  router.get("/dashboard/login", securityHeaders, (ctx) => {
    if (!token) return seeOther(ctx, "/dashboard");
    render(ctx, "登录", loginForm({ next: safeNext(ctx.query.next) }));
  });
  router.post("/dashboard/login", securityHeaders, async (ctx) => {
    if (!token) return seeOther(ctx, "/dashboard");
    if (crossSite(ctx)) return refuse(ctx, 403, "拒绝来自其他网站的请求");
    const form = await formBody(ctx, bodyLimitBytes);
    const next = safeNext(form.get("next"));
    if (!tokenMatches(form.get("token") ?? "", token)) {
      ctx.status = 401;
      ctx.state.log?.warn("dashboard login with a wrong token");
      return render(ctx, "登录", loginForm({ next, error: "令牌不对，请再输一次。" }));
    }
    setAdminCookie(ctx, token);
    seeOther(ctx, next);
  });
  router.post("/dashboard/logout", securityHeaders, (ctx) => {
    clearAdminCookie(ctx);
    seeOther(ctx, "/dashboard/login");
  });
}
