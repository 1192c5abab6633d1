import { formatMomentWithWeekday, OUTBOX_STATES } from "../format.ts";
import { html, type SafeHtml } from "../html.ts";
import type { OutboxRow, OutboxView } from "../queries/outbox.ts";

interface Ctx {
  today: string;
  timezone: string;
}

// A list rather than a table: on a phone a six-column table is unreadable.
function rows(list: OutboxRow[], c: Ctx, failed: boolean): SafeHtml {
  if (list.length === 0) return html`<div class="muted">没有。</div>`;
  return html`${list.map(
    (r) => html`<div class="item" data-outbox="${String(r.id)}">
<div><strong>#${String(r.id)}</strong> ${r.channel} → ${r.destination} <span class="muted">· 已试 ${r.attempts} 次</span></div>
${r.preview ? html`<div>内容：${r.preview}</div>` : ""}
${r.lastError ? html`<div class="error">${failed ? "原因" : "上次出错"}：${r.lastError}</div>` : ""}
${failed ? html`<form method="post" action="/dashboard/outbox/retry"><input type="hidden" name="id" value="${String(r.id)}"><button type="submit">重发</button></form>` : html`<div class="muted">下次尝试：${formatMomentWithWeekday(r.nextAttemptAt, c.timezone, c.today)}</div>`}
</div>`,
  )}`;
}

export function outboxPage(view: OutboxView, c: Ctx & { notice?: string }): SafeHtml {
  return html`<h1>发件箱</h1>
${c.notice ? html`<div class="card" role="status">${c.notice}</div>` : ""}
<div class="chips">${Object.entries(view.counts).map(
    ([status, n]) => html`<span class="chip">${OUTBOX_STATES[status] ?? status} ${n}</span>`,
  )}</div>
<section class="card"><h2>待发送（${view.waiting.length}）</h2>${rows(view.waiting, c, false)}</section>
<section class="card"><h2>发送失败（${view.failed.length}）</h2>
<div class="muted">修好原因（密钥、可信 IP……）后点「重发」，或在服务器上运行 <code>npx huibao outbox retry --all</code>。</div>
${rows(view.failed, c, true)}</section>`;
}
