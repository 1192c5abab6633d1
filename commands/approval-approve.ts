import { defineCommand } from "../src/bot/command.ts";
import { decide } from "./approval-decision.ts";

const NAMES = ["同意", "通过", "批准", "approve"];

export default defineCommand({
  name: "同意",
  aliases: NAMES.slice(1),
  args: [{ name: "rest", type: "text", optional: true, label: { zh: "#编号", en: "#number" } }],
  permission: "anyone",
  summary: { zh: "审批人同意一份送审稿", en: "approve a draft" },
  help: {
    zh: [
      "同意 [#编号] [备注]　（也可以说「通过」「批准」）",
      "引用机器人发的送审消息回复「同意」，或写上编号「同意 #12」；只有一份稿件等你审批时，直接回复「同意」也行。",
      "只认开头的词：「同意吗？」「同意?」不算审批意见。",
    ].join("\n"),
    en: "同意 [#number]: approve by quoting the draft message, by number, or bare when only one draft waits for you.",
  },
  examples: ["同意", "同意 #12", "通过 #12 注意核对数字"],
  run: (ctx) => decide(ctx, "approve", NAMES),
});
