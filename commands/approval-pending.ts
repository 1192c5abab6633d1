import { defineCommand } from "../src/bot/command.ts";
import { factsOf } from "../src/domain/approvals/facts.ts";
import { standing } from "../src/domain/approvals/history.ts";
import { waitingFor } from "../src/domain/approvals/queue.ts";
import { NOT_PLACED_TO_APPROVE } from "./approval-common.ts";
import { requirePlaced } from "./common.ts";

export default defineCommand({
  name: "待审",
  aliases: ["待审批", "pending"],
  args: [],
  permission: "anyone",
  summary: { zh: "列出等我审批的稿件", en: "drafts waiting for my sign-off" },
  help: {
    zh: "待审\n列出现在等你审批的稿件（所有群的），每份都写明到了哪一级、截止时间。",
    en: "待审: the drafts waiting for your sign-off.",
  },
  examples: ["待审"],
  async run(ctx) {
    requirePlaced(ctx, NOT_PLACED_TO_APPROVE);
    const { services, person } = ctx;
    const drafts = await waitingFor(services.db, person.id);
    if (drafts.length === 0) return "现在没有等你审批的稿件。";
    const lines = [`等你审批的稿件（${drafts.length} 份）：`];
    for (const d of drafts) {
      const [, where] = await standing(services.db, await factsOf(services.db, d), services.timezone);
      lines.push(`#${d.id} ${d.channel}《${d.title}》`, `  ${where ?? ""}`);
    }
    lines.push("回复「同意 #编号」或「驳回 #编号 理由」。");
    return lines.join("\n");
  },
});
