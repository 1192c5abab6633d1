import { defineCommand, UserError } from "../src/bot/command.ts";
import { markPublished } from "../src/domain/approvals/close.ts";
import { STATUS_WORDS } from "../src/domain/approvals/facts.ts";
import { announce, headline } from "../src/domain/approvals/messages.ts";
import { approvedDraftsOf } from "../src/domain/approvals/queue.ts";
import { NOT_PLACED_TO_APPROVE, notFound, ownDraftTarget, sourceOf } from "./approval-common.ts";
import { requirePlaced } from "./common.ts";

const USAGE = "已发布 #12 https://weibo.com/…";

export default defineCommand({
  name: "已发布",
  aliases: ["published"],
  args: [
    { name: "id", type: "int", optional: true, label: { zh: "#编号", en: "#number" } },
    { name: "url", type: "text", optional: true, label: { zh: "发布地址", en: "address" } },
  ],
  permission: "anyone",
  summary: {
    zh: "登记审批通过的稿件已发布（附地址）",
    en: "close an approved draft with its published address",
  },
  help: {
    zh: `${USAGE}\n审批全部通过后，送审人（或管理员）登记发布地址，稿件就此结束。没通过的稿件不能登记。`,
    en: `${USAGE}\nOnly after approval.`,
  },
  examples: ["已发布 #12 https://weibo.com/1234567890/AbCdEf"],
  async run(ctx) {
    requirePlaced(ctx, NOT_PLACED_TO_APPROVE);
    const { services, args, person } = ctx;
    const url = String(args.url ?? "").trim();
    if (!/^https?:\/\/\S+$/iu.test(url)) throw new UserError(`请附上发布后的网址。\n用法：${USAGE}`);
    const id = await ownDraftTarget(ctx, args.id as number | undefined, USAGE, () =>
      approvedDraftsOf(services.db, person.id),
    );
    const r = await markPublished(services.db, {
      draftId: id,
      by: { id: person.id, name: person.name, roles: person.roles },
      url,
      source: sourceOf(ctx),
      now: services.clock.now(),
    });
    switch (r.kind) {
      case "notFound":
        throw notFound(id);
      case "duplicate":
        return `#${id} 已经登记为已发布。`;
      case "notAllowed":
        return `只有送审人 ${r.facts.submitter.name} 或管理员能登记 #${id} 已发布。`;
      case "notApproved":
        return `#${id} 现在${STATUS_WORDS[r.facts.status] ?? r.facts.status}，还没有审批通过，不能登记为已发布。`;
      case "published":
        ctx.notify(announce(r.facts, `${headline(r.facts)} 已发布：${url}`));
        return `已登记 #${id} 已发布：${url}`;
    }
  },
});
