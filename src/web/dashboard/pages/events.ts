import { kindName, STATUS_NAMES } from "../../../domain/events/kinds.ts";
import { formatMomentWithWeekday } from "../format.ts";
import { html, type SafeHtml } from "../html.ts";
import type { UpcomingEvent } from "../queries/events.ts";

export function eventsPage(events: UpcomingEvent[], c: { today: string; timezone: string }): SafeHtml {
  if (events.length === 0) {
    return html`<h1>活动</h1><div class="card">近期没有安排讲座、发布会或活动。在群里发「新建讲座 主题：… 时间：…」就能安排。</div>`;
  }
  return html`<h1>活动（${events.length}）</h1>
${events.map(
  (e) => html`<section class="card" data-event="${e.id}">
<h2>#${e.id} ${kindName(e.kind)}：${e.topic}${e.status !== "scheduled" ? html`<span class="tag state">${STATUS_NAMES[e.status] ?? e.status}</span>` : ""}</h2>
<div>${formatMomentWithWeekday(e.startsAt, c.timezone, c.today)}${e.place ? ` · ${e.place}` : ""}${e.speaker ? ` · 主讲 ${e.speaker}` : ""}</div>
<div class="muted">${e.taskCode ? `任务 ${e.taskCode} · ` : ""}通知：${e.groups.length > 0 ? e.groups.join("、") : "无"}</div>
<div>报名 <strong>${e.signups.length}</strong> 人${e.signups.length > 0 ? "：" : ""}${e.signups
    .map((s) => (s.unit ? `${s.name}（${s.unit}）` : s.name))
    .join("、")}</div>
</section>`,
)}`;
}
