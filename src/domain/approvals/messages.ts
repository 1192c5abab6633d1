import { formatWhen } from "../../lib/dates-zh/index.ts";
import type { Notice } from "../notice.ts";
import { currentStage, type DraftFacts } from "./facts.ts";
import { modeText, namesOf, type StageApprover, stageLabel } from "./stages.ts";

/**
 * What the bot says about drafts. Every message about a draft starts with `#编号`: platforms do not
 * tell the bot which of its messages was quoted, only the quoted text, so the number in it is how a
 * quote-reply finds its draft (DingTalk may show only a markdown message's title: it starts so too).
 */

/** `#12 微博《标题》` */
export const headline = (f: Pick<DraftFacts, "id" | "channel" | "title">): string =>
  `#${f.id} ${f.channel}《${f.title}》`;

export const howToAnswer = (id: number): string =>
  `回复「同意 #${id}」或「驳回 #${id} 理由」，也可以直接引用本消息回复。`;

function schedule(f: DraftFacts, tz: string): string[] {
  return [
    ...(f.publishAt ? [`计划发布：${formatWhen(f.publishAt, tz)}`] : []),
    `审批截止：${formatWhen(f.deadline, tz)}`,
  ];
}

const toPeople = (people: readonly StageApprover[]) =>
  people.map((p) => ({ personId: p.personId, name: p.name }));

/** A message for the draft's group; a draft sent from a one-to-one chat has none, so its submitter hears it. */
export function announce(f: DraftFacts, text: string, mentions: readonly StageApprover[] = []): Notice {
  if (f.groupId !== null) {
    return {
      to: { groupId: f.groupId },
      text,
      title: text.split("\n")[0]?.slice(0, 40),
      mentions: toPeople(mentions),
    };
  }
  return { to: { personId: f.submitter.personId }, text, mentions: [] };
}

/**
 * The current stage is asked to sign: a summary in the group mentioning its approvers, and the full
 * draft to each approver one-to-one. `changes` lists what a new version changed.
 */
export function askStage(f: DraftFacts, tz: string, opening: string, changes: string[] = []): Notice[] {
  const stage = currentStage(f);
  const label = stageLabel(f.stage, stage);
  const summary = [
    `#${f.id} 待审批：${f.channel}《${f.title}》`,
    opening,
    `送审人：${f.submitter.name}，第${f.version}版`,
    ...(changes.length ? ["改动：", ...changes.map((c) => `  ${c}`)] : []),
    `现在：${label}（${modeText(stage)}）`,
    ...schedule(f, tz),
    `请 ${namesOf(stage.approvers)} 审批：${howToAnswer(f.id)}`,
  ].join("\n");
  const full = [
    `#${f.id} 请你审批：${f.channel}《${f.title}》（第${f.version}版）`,
    `送审人：${f.submitter.name}`,
    `审批：${label}，${modeText(stage)}`,
    ...schedule(f, tz),
    ...(changes.length ? ["改动：", ...changes.map((c) => `  ${c}`)] : []),
    `标题：${f.title}`,
    "正文：",
    f.body,
    "——",
    howToAnswer(f.id),
  ].join("\n");
  const notices: Notice[] = [];
  if (f.groupId !== null) {
    notices.push({
      to: { groupId: f.groupId },
      text: summary,
      title: `#${f.id} 待审批：${f.title}`,
      mentions: toPeople(stage.approvers),
    });
  }
  for (const a of stage.approvers) {
    notices.push({
      to: { personId: a.personId },
      text: full,
      title: `#${f.id} 请你审批：${f.title}`,
      mentions: [],
    });
  }
  return notices;
}

export function tally(approvals: number, needed: number): string {
  return `已有 ${approvals}/${needed} 人同意`;
}

export function stagePassedText(f: DraftFacts, passed: number, by: string): string {
  const stage = f.stages[passed];
  return `${stage ? stageLabel(passed, stage) : `第${passed + 1}级`}已通过（${by}）。`;
}

export function finalApprovalText(f: DraftFacts): string {
  return [
    `${headline(f)} 审批通过（第${f.version}版）。`,
    `发布后请回复「已发布 #${f.id} 链接」登记发布地址。`,
  ].join("\n");
}

export function rejectionText(f: DraftFacts, by: string, reason: string): string {
  return [
    `${headline(f)} 被${by}驳回（第${f.version}版）。`,
    `理由：${reason}`,
    `修改后发「修改 #${f.id} 新正文」重新送审，或「撤回 #${f.id}」。`,
  ].join("\n");
}

export function expiryText(f: DraftFacts, tz: string, waiting: readonly StageApprover[]): string {
  const stage = currentStage(f);
  return [
    `${headline(f)} 审批已过期（截止 ${formatWhen(f.deadline, tz)}），没有获得批准，不能发布。`,
    waiting.length ? `还在等：${stageLabel(f.stage, stage)} ${namesOf(waiting)}` : "",
    `如仍要发布，请「修改 #${f.id} …」重新送审。`,
  ]
    .filter(Boolean)
    .join("\n");
}

export function remindText(f: DraftFacts, tz: string): string {
  const stage = currentStage(f);
  return [
    `提醒：#${f.id} ${f.channel}《${f.title}》还在等你审批（${stageLabel(f.stage, stage)}，第${f.version}版）。`,
    `审批截止：${formatWhen(f.deadline, tz)}`,
    howToAnswer(f.id),
  ].join("\n");
}

export function escalateText(f: DraftFacts, tz: string, waiting: readonly StageApprover[]): string {
  const stage = currentStage(f);
  return [
    `#${f.id} ${f.channel}《${f.title}》提醒过后仍未审批完。`,
    `${stageLabel(f.stage, stage)}还在等：${namesOf(waiting)}`,
    `送审人：${f.submitter.name}，审批截止：${formatWhen(f.deadline, tz)}（到时未批完即过期，不会自动通过）`,
  ].join("\n");
}
