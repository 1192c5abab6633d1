import { STATUS_WORDS } from "../../../domain/approvals/facts.ts";
import { ACTION_LABELS } from "../../../domain/audit/export.ts";
import { formatMomentWithWeekday } from "../format.ts";
import { html, type SafeHtml } from "../html.ts";
import type { DraftView, DraftVote } from "../queries/approvals.ts";

interface Ctx {
  today: string;
  timezone: string;
}

function vote(v: DraftVote, d: DraftView, c: Ctx): SafeHtml {
  const stage = d.stageNames[v.stage] ?? `第${v.stage + 1}级`;
  // The words of the draft's audit trail (审批 #N in chat): 同意, 驳回.
  const decision = ACTION_LABELS[v.decision] ?? v.decision;
  return html`<li>${formatMomentWithWeekday(v.at, c.timezone, c.today)} ${v.person}（${stage}，第 ${v.version} 版）<strong>${decision}</strong>${v.reason ? `：${v.reason}` : ""}</li>`;
}

function draftCard(d: DraftView, c: Ctx): SafeHtml {
  const stage =
    d.status === "pending" && d.stageNames.length > 0
      ? ` · 当前：${d.stageNames[d.stage] ?? `第${d.stage + 1}级`}（${d.stage + 1}/${d.stageNames.length}）`
      : "";
  return html`<section class="card" data-draft="${d.id}">
<h2>#${d.id} ${d.channel}：${d.title}<span class="tag state">${STATUS_WORDS[d.status] ?? d.status}</span></h2>
<div class="muted">${d.submitter} 送审 · 第 ${d.version} 版${stage} · 截止 ${formatMomentWithWeekday(d.deadline, c.timezone, c.today)}${d.publishAt ? ` · 计划发布 ${formatMomentWithWeekday(d.publishAt, c.timezone, c.today)}` : ""}</div>
${d.publishedUrl ? html`<div class="muted">已发布：${d.publishedUrl}</div>` : ""}
${d.votes.length > 0 ? html`<ol class="trail">${d.votes.map((v) => vote(v, d, c))}</ol>` : html`<div class="muted">还没有人表态。</div>`}
</section>`;
}

export function approvalsPage(drafts: DraftView[], c: Ctx): SafeHtml {
  if (drafts.length === 0) {
    return html`<h1>审批</h1><div class="card">还没有送审的稿件。在群里发「送审 微博 标题：… 正文…」开始。</div>`;
  }
  const waiting = drafts.filter((d) => d.status === "pending").length;
  return html`<h1>审批（待审 ${waiting}）</h1>${drafts.map((d) => draftCard(d, c))}`;
}
