import { html, raw, type SafeHtml } from "./html.ts";
import { STYLE } from "./style.ts";

export const TABS = [
  { path: "/dashboard", label: "任务看板" },
  { path: "/dashboard/events", label: "活动" },
  { path: "/dashboard/approvals", label: "审批" },
  { path: "/dashboard/outbox", label: "发件箱" },
  { path: "/dashboard/chat", label: "沙盒对话" },
] as const;

/** How the caller got in: with the token, or as a local caller while no token is configured. */
export type AccessMode = "token" | "loopback";

export interface PageOptions {
  title: string;
  active?: string;
  access?: AccessMode;
  nonce: string;
  body: SafeHtml;
  script?: string;
  /** Shown above every page until fixed (the holiday calendar running out). */
  warnings?: string[];
}

const NO_TOKEN_BANNER =
  "没有设置 ADMIN_TOKEN：管理台现在只对本机开放，别的电脑和手机打不开。要远程使用，请设置 ADMIN_TOKEN（至少 16 个字符）并重启服务。";

export function page(o: PageOptions): string {
  const nav = o.access
    ? html`<nav>${TABS.map(
        (t) => html`<a href="${t.path}" class="${t.path === o.active ? "on" : ""}">${t.label}</a>`,
      )}</nav>`
    : "";
  const logout =
    o.access === "token"
      ? html`<form method="post" action="/dashboard/logout"><button type="submit">退出</button></form>`
      : "";
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${o.title} · 汇报管理台</title>
<style>${raw(STYLE)}</style></head>
<body><header><div class="top"><div class="brand">汇报 · 管理台</div>${logout}</div>${nav}</header>
${o.access === "loopback" ? html`<div class="banner" role="status">${NO_TOKEN_BANNER}</div>` : ""}
${(o.warnings ?? []).map((w) => html`<div class="banner" role="status">${w}</div>`)}
<main>${o.body}</main>
${o.script ? html`<script nonce="${o.nonce}">${raw(o.script)}</script>` : ""}
</body></html>`.value;
}
