import { defineCommand, UserError } from "../src/bot/command.ts";
import { compose } from "../src/domain/approvals/compose.ts";
import { editDraft } from "../src/domain/approvals/edit.ts";
import { currentStage, STATUS_WORDS } from "../src/domain/approvals/facts.ts";
import { askStage } from "../src/domain/approvals/messages.ts";
import { openDraftsOf } from "../src/domain/approvals/queue.ts";
import { stageLabel } from "../src/domain/approvals/stages.ts";
import { NOT_PLACED_TO_APPROVE, notFound, ownDraftTarget, sourceOf } from "./approval-common.ts";
import { publishTimeOf } from "./approval-publish-time.ts";
import { requirePlaced } from "./common.ts";

const USAGE = "修改 #12 新正文（也可以写「标题：…」「发布时间：…」）";

export default defineCommand({
  name: "修改",
  aliases: ["revise"],
  args: [
    { name: "id", type: "int", optional: true, label: { zh: "#编号", en: "#number" } },
    { name: "content", type: "text", label: { zh: "新正文", en: "new text" } },
  ],
  permission: "anyone",
  summary: { zh: "送审人修改稿件，从头重新审批", en: "revise a draft; sign-off starts again" },
  help: {
    zh: [
      USAGE,
      "只有送审人能修改。修改后是新的一版：之前的同意都作废，从第1级重新审批，审批人会收到改了哪些地方。",
      "只写「标题：…」就只改标题；不写标签时，后面的文字就是新正文。",
    ].join("\n"),
    en: "修改 #12 new text: a new version; earlier approvals no longer count and the chain restarts.",
  },
  examples: ["修改 #12 本周起，全市开展垃圾分类宣传……", "修改 #12 标题：垃圾分类宣传周启动"],
  async run(ctx) {
    requirePlaced(ctx, NOT_PLACED_TO_APPROVE);
    const { services, args, person } = ctx;
    const id = await ownDraftTarget(ctx, args.id as number | undefined, "修改 #12 新正文", () =>
      openDraftsOf(services.db, person.id),
    );
    const parts = compose(String(args.content ?? ""));
    const now = services.clock.now();
    const publishAt = publishTimeOf(parts.when, now, services.timezone);
    if (!parts.body && !parts.title && !publishAt)
      throw new UserError(`没有看到要改成什么。\n用法：${USAGE}`);
    const r = await editDraft(services.db, {
      draftId: id,
      editor: { id: person.id, name: person.name },
      title: parts.title,
      body: parts.body || null,
      publishAt,
      source: sourceOf(ctx),
      now,
      settings: services.settings,
    });
    switch (r.kind) {
      case "notFound":
        throw notFound(id);
      case "duplicate":
        return `这条修改之前已经收到了：#${id} 现在是第${r.facts.version}版。`;
      case "notSubmitter":
        return `只有送审人 ${r.facts.submitter.name} 能修改 #${id}。`;
      case "closed":
        return `#${id} ${STATUS_WORDS[r.facts.status] ?? r.facts.status}，不能再修改了；需要的话请重新送审。`;
      case "same":
        return `内容和第${r.facts.version}版一样，没有修改。`;
      case "edited": {
        const f = r.facts;
        const first = stageLabel(0, currentStage(f));
        const opening = `已修改为第${f.version}版，之前的审批作废，从${first}重新审批。`;
        for (const n of askStage(f, services.timezone, opening, r.changes)) ctx.notify(n);
        return `已修改 #${id} 为第${f.version}版，之前的审批作废，已从${first}重新审批。`;
      }
    }
  },
});
