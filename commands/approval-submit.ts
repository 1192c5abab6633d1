import { defineCommand, UserError } from "../src/bot/command.ts";
import { channelNames, findChannel } from "../src/domain/approvals/channels.ts";
import { compose, defaultTitle } from "../src/domain/approvals/compose.ts";
import { currentStage } from "../src/domain/approvals/facts.ts";
import { askStage } from "../src/domain/approvals/messages.ts";
import { namesOf, type StageProblem, stageLabel } from "../src/domain/approvals/stages.ts";
import { submitDraft } from "../src/domain/approvals/submit.ts";
import { formatWhen } from "../src/lib/dates-zh/index.ts";
import { NOT_PLACED_TO_APPROVE, sourceOf } from "./approval-common.ts";
import { publishTimeOf } from "./approval-publish-time.ts";
import { requirePlaced } from "./common.ts";

const USAGE = "送审 微博 发布时间：明天上午10点 标题：… 正文…";

function unreachable(channel: string, problems: StageProblem[]): string {
  const lines = problems.map((p) => {
    const who = p.available.length ? `除你以外只有 ${namesOf(p.available)}` : "除你以外没有别的审批人";
    return `  ${stageLabel(p.index, p)}要 ${p.needed} 人同意，${who}`;
  });
  return [
    `「${channel}」的审批规则凑不够人，这份稿件批不下来，所以没有送审：`,
    ...lines,
    "送审人不能审批自己的稿件。请联系管理员调整通讯录里 channels: 的审批人。",
  ].join("\n");
}

export default defineCommand({
  name: "送审",
  aliases: ["submit"],
  args: [
    { name: "channel", type: "word", label: { zh: "渠道", en: "channel" } },
    { name: "content", type: "text", label: { zh: "发布时间：… 标题：… 正文…", en: "标题：… 正文…" } },
  ],
  permission: "anyone",
  summary: { zh: "把稿件送去审批（微博、公众号、网站、简报…）", en: "submit a draft for sign-off" },
  help: {
    zh: [
      USAGE,
      "正文可以换行写多段。发布时间、标题可以不写：没写发布时间时按渠道规定的时限截止，没写标题就用正文第一行。",
      "送审后机器人在群里@审批人，并把全文私信给他们；审批人回复「同意」或「驳回 理由」。",
    ].join("\n"),
    en: `${USAGE}\nThe body may span lines. Approvers are mentioned in the group and get the full draft one-to-one.`,
  },
  examples: ["送审 微博 发布时间：明天上午10点 标题：垃圾分类宣传周 本周起，全市开展垃圾分类宣传……"],
  async run(ctx) {
    requirePlaced(ctx, NOT_PLACED_TO_APPROVE);
    const { services, args, person, message } = ctx;
    const typed = String(args.channel ?? "");
    const channel = await findChannel(services.db, typed);
    if (!channel) {
      const names = await channelNames(services.db);
      throw new UserError(
        names.length
          ? `没有「${typed}」这个审批渠道。可以送审的渠道：${names.join("、")}。\n用法：${USAGE}`
          : "还没有配置审批渠道。请管理员在通讯录 YAML 的 channels: 部分写好审批规则并导入。",
      );
    }
    const parts = compose(String(args.content ?? ""));
    if (!parts.body) throw new UserError(`正文是空的。\n用法：${USAGE}`);
    const now = services.clock.now();
    const publishAt = publishTimeOf(parts.when, now, services.timezone);
    const result = await submitDraft(services.db, {
      channel,
      title: parts.title ?? defaultTitle(parts.body),
      body: parts.body,
      publishAt,
      submitter: { id: person.id, name: person.name },
      platform: message.platform,
      chatId: message.chatId,
      source: sourceOf(ctx),
      now,
      settings: services.settings,
    });
    if (result.kind === "unreachable") throw new UserError(unreachable(channel.name, result.problems));
    const f = result.facts;
    if (result.kind === "duplicate") return `这条消息已经送审过了：#${f.id}。`;
    for (const n of askStage(f, services.timezone, "新稿件送审。")) ctx.notify(n);
    const stage = currentStage(f);
    return `已送审 #${f.id}：${f.channel}《${f.title}》第1版，等${stageLabel(0, stage)}审批（${namesOf(stage.approvers)}），截止 ${formatWhen(f.deadline, services.timezone)}。`;
  },
});
