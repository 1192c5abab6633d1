import { defineCommand, UserError } from "../src/bot/command.ts";
import { loadDigest } from "../src/domain/reports/digest-data.ts";
import { digestText } from "../src/domain/reports/digest-text.ts";
import { chatUnit } from "../src/domain/tasks/scope.ts";
import { findUnit } from "../src/domain/tasks/units.ts";

const ALL = new Set(["全部", "所有", "全局", "all"]);

export default defineCommand({
  name: "汇总",
  aliases: ["digest", "周报"],
  args: [{ name: "scope", type: "word", optional: true, label: { zh: "全部/单位", en: "all/unit" } }],
  permission: "anyone",
  summary: { zh: "本周汇总：进度、本周进展、逾期、活动、待审", en: "this week's digest" },
  help: {
    zh: [
      "和每周一早上自动发的汇总一样：本群单位（一对一时是你的单位）任务的进度条、近 7 天的汇报、逾期任务、未来 14 天的活动、等待审批的稿件。",
      "「汇总 全部」看各单位的总体情况；「汇总 环卫处」看某个单位的。没有对应单位的群看到的是全部单位的汇总。",
    ].join("\n"),
    en: "The weekly digest on demand: this group's unit (or yours), 全部 for every unit, or a unit name.",
  },
  examples: ["汇总", "汇总 全部", "汇总 环卫处"],
  async run({ args, services, message, person }) {
    const word = args.scope === undefined ? undefined : String(args.scope);
    let unit = null;
    if (word !== undefined && !ALL.has(word.normalize("NFKC").toLowerCase())) {
      unit = await findUnit(services.db, word);
      if (!unit) throw new UserError(`没有叫「${word}」的单位。发「单位」查看单位简称，或发「汇总 全部」。`);
    } else if (word === undefined) {
      // Like the weekly post: a group without a unit (and a person without one) gets every unit.
      unit = await chatUnit(services.db, message, person.unitId);
    }
    const digest = await loadDigest(services.db, {
      unit,
      now: services.clock.now(),
      timezone: services.timezone,
    });
    return digestText(digest, services.timezone);
  },
});
