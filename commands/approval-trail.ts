import { defineCommand, UserError } from "../src/bot/command.ts";
import { trailText } from "../src/domain/approvals/history.ts";
import { quoteTarget } from "../src/domain/approvals/target.ts";
import { NOT_PLACED_TO_APPROVE, notFound } from "./approval-common.ts";
import { requirePlaced } from "./common.ts";

export default defineCommand({
  name: "审批",
  aliases: ["approval", "trail"],
  args: [{ name: "id", type: "int", optional: true, label: { zh: "#编号", en: "#number" } }],
  permission: "anyone",
  summary: { zh: "看一份稿件的审批进度和全部记录", en: "show a draft's sign-off trail" },
  help: {
    zh: "审批 #12\n显示稿件现在到了哪一级、还在等谁，以及送审、同意、驳回、修改、提醒等全部记录。",
    en: "审批 #12: where the draft stands and its audit trail.",
  },
  examples: ["审批 #12"],
  async run(ctx) {
    requirePlaced(ctx, NOT_PLACED_TO_APPROVE);
    const quoted = quoteTarget(ctx.message.quote?.text);
    const id = (ctx.args.id as number | undefined) ?? (quoted.kind === "draft" ? quoted.id : undefined);
    if (id === undefined)
      throw new UserError("请写上稿件编号，例如「审批 #12」。等你审批的稿件可以用「待审」查看。");
    const text = await trailText(ctx.services.db, id, ctx.services.timezone);
    if (text === undefined) throw notFound(id);
    return text;
  },
});
