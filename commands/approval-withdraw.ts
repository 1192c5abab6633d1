import { defineCommand } from "../src/bot/command.ts";
import { withdrawDraft } from "../src/domain/approvals/close.ts";
import { STATUS_WORDS } from "../src/domain/approvals/facts.ts";
import { announce, headline } from "../src/domain/approvals/messages.ts";
import { openDraftsOf } from "../src/domain/approvals/queue.ts";
import { NOT_PLACED_TO_APPROVE, notFound, ownDraftTarget, sourceOf } from "./approval-common.ts";
import { requirePlaced } from "./common.ts";

export default defineCommand({
  name: "撤回",
  aliases: ["retract"],
  args: [{ name: "id", type: "int", optional: true, label: { zh: "#编号", en: "#number" } }],
  permission: "anyone",
  summary: { zh: "撤回自己送审的稿件", en: "withdraw a draft" },
  help: {
    zh: "撤回 #12\n送审人（或管理员）撤回稿件：审批停止，提醒取消，审批人会收到通知。已发布的稿件不能撤回。",
    en: "撤回 #12: the submitter (or an admin) withdraws a draft; approvers are told.",
  },
  examples: ["撤回 #12"],
  async run(ctx) {
    requirePlaced(ctx, NOT_PLACED_TO_APPROVE);
    const { services, args, person } = ctx;
    const id = await ownDraftTarget(ctx, args.id as number | undefined, "撤回 #12", () =>
      openDraftsOf(services.db, person.id),
    );
    const r = await withdrawDraft(services.db, {
      draftId: id,
      by: { id: person.id, name: person.name, roles: person.roles },
      source: sourceOf(ctx),
      now: services.clock.now(),
    });
    switch (r.kind) {
      case "notFound":
        throw notFound(id);
      case "duplicate":
        return `#${id} 已经撤回了。`;
      case "notAllowed":
        return `只有送审人 ${r.facts.submitter.name} 或管理员能撤回 #${id}。`;
      case "closed":
        return `#${id} ${STATUS_WORDS[r.facts.status] ?? r.facts.status}，不能撤回。`;
      case "withdrawn":
        ctx.notify(
          announce(r.facts, `${headline(r.facts)} 已由${person.name}撤回，不用再审批了。`, r.waiting),
        );
        return `已撤回 #${id}。`;
    }
  },
});
