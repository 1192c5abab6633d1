import { formatDay } from "../../../domain/tasks/zone.ts";
import { formatMomentWithWeekday } from "../format.ts";
import { html, type SafeHtml } from "../html.ts";
import type { Board, BoardTask, BoardUnit } from "../queries/board.ts";

interface Ctx {
  today: string;
  timezone: string;
}

function progress(t: BoardTask): { shown: string; width: number } {
  if (t.targetCount !== null && t.targetCount > 0) {
    const width = t.count >= t.targetCount ? 100 : Math.floor((t.count * 100) / t.targetCount);
    return { shown: `${t.count}/${t.targetCount}`, width };
  }
  return { shown: `${t.percent}%`, width: Math.max(0, Math.min(100, t.percent)) };
}

function taskRow(t: BoardTask, c: Ctx): SafeHtml {
  const p = progress(t);
  const due = t.due ? `截止 ${formatDay(t.due, c.today)}` : "未定截止日期";
  const last = t.last
    ? html`<div class="muted">最近：${t.last.by ?? "?"} ${formatMomentWithWeekday(t.last.at, c.timezone, c.today)}${t.last.note ? html` · ${t.last.note}` : ""}</div>`
    : "";
  return html`<div class="task${t.overdue ? " late" : ""}" data-code="${t.code}">
<div class="head"><span class="code">${t.code}</span><span>${t.title}${t.role === "support" ? html`<span class="tag support">配合</span>` : ""}${t.overdue ? html`<span class="tag late">逾期</span>` : ""}${t.done ? html`<span class="tag done">完成</span>` : ""}</span></div>
<div class="progress"><div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${p.width}"><span style="width:${p.width}%"></span></div><span class="pct">${p.shown}</span></div>
<div class="muted">${due}${t.leadText.length > 0 && t.role === "lead" ? ` · 牵头：${t.leadText.join("、")}` : ""}</div>
${last}</div>`;
}

function unitCard(u: BoardUnit, c: Ctx): SafeHtml {
  const lead = u.tasks.filter((t) => t.role === "lead");
  const done = lead.filter((t) => t.done).length;
  const late = lead.filter((t) => t.overdue).length;
  return html`<section class="card" id="unit-${u.id ?? "none"}">
<h2>${u.name}</h2>
<div class="muted">${u.fullName !== u.name ? `${u.fullName} · ` : ""}牵头 ${lead.length} 项，完成 ${done} 项${late > 0 ? html`，<span class="error">逾期 ${late} 项</span>` : ""}</div>
${u.tasks.map((t) => taskRow(t, c))}
</section>`;
}

export function boardPage(board: Board, c: Ctx): SafeHtml {
  if (!board.plan) {
    return html`<h1>任务看板</h1><div class="card">还没有导入工作要点。用 <code>huibao plan import 文件</code> 导入后，这里会按单位列出任务。</div>`;
  }
  const { totals } = board;
  return html`<h1>任务看板 · ${board.plan.title}</h1>
<div class="chips">
<span class="chip">共 ${totals.tasks} 项</span><span class="chip">完成 ${totals.done} 项</span>
<span class="chip${totals.overdue > 0 ? " error" : ""}">逾期 ${totals.overdue} 项</span>
</div>
<div class="chips">${board.units.map((u) => html`<a class="chip" href="#unit-${u.id ?? "none"}">${u.name}</a>`)}</div>
${board.units.map((u) => unitCard(u, c))}`;
}
