import { defineCommand } from "../src/bot/command.ts";
import { decide } from "./approval-decision.ts";

const NAMES = ["驳回", "不同意", "退回修改", "reject"];

export default defineCommand({
  name: "驳回",
  aliases: NAMES.slice(1),
  args: [
    { name: "rest", type: "text", optional: true, label: { zh: "[#编号] 理由", en: "[#number] reason" } },
  ],
  permission: "anyone",
  summary: { zh: "审批人驳回一份送审稿（要写理由）", en: "reject a draft, with a reason" },
  help: {
    zh: [
      "驳回 [#编号] 理由　（也可以说「不同意」「退回修改」）",
      "引用送审消息回复「驳回 理由」，或写上编号「驳回 #12 理由」。理由必须写，送审人按理由修改后重新送审。",
    ].join("\n"),
    en: "驳回 [#number] reason: reject a draft; the reason is required.",
  },
  examples: ["驳回 #12 标题有错别字", "退回修改 第二段数据要核实"],
  run: (ctx) => decide(ctx, "reject", NAMES),
});
