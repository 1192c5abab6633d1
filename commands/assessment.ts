import { defineCommand, UserError } from "../src/bot/command.ts";
import { loadAssessment } from "../src/domain/reports/assessment-data.ts";
import { assessmentSummary } from "../src/domain/reports/assessment-summary.ts";
import { parseHalf, ReportError } from "../src/domain/reports/period.ts";
import { renderAssessment, reportPath, writeReportFile } from "../src/domain/reports/write.ts";
import { dayInZone } from "../src/domain/tasks/zone.ts";

const USAGE = "请这样写：「考核 上半年」或「考核 下半年 2021」。";

export default defineCommand({
  name: "考核",
  aliases: ["assessment", "半年考核"],
  args: [
    { name: "half", type: "word", label: { zh: "上半年/下半年", en: "half" } },
    { name: "year", type: "word", optional: true, label: { zh: "年份", en: "year" } },
  ],
  permission: "leader",
  summary: { zh: "半年考核：摘要和 Excel 报表", en: "half-year assessment: summary and workbook" },
  help: {
    zh: [
      "「考核 上半年」统计今年上半年（1月1日至6月30日）的任务完成、逾期、活动和审批情况，回复摘要，并在服务器上生成 Excel 报表，告诉你文件在哪里。",
      "「考核 下半年 2021」看某一年的。还没结束的半年统计到现在。Word 版请管理员用 huibao report --format docx 生成。",
    ].join("\n"),
    en: "Half-year assessment (上半年 or 下半年, optional year): a summary here and an .xlsx written on the server.",
  },
  examples: ["考核 上半年", "考核 下半年 2021"],
  async run({ args, services }) {
    const half = parseHalf(String(args.half));
    if (!half) throw new UserError(`没看懂「${String(args.half)}」。${USAGE}`);
    const now = services.clock.now();
    let year = Number(dayInZone(now, services.timezone).slice(0, 4));
    if (args.year !== undefined) {
      const m = /^(\d{4})年?$/.exec(String(args.year).normalize("NFKC"));
      if (!m) throw new UserError(`「${String(args.year)}」不是年份。${USAGE}`);
      year = Number(m[1]);
    }
    try {
      const assessment = await loadAssessment(services.db, { year, half, now, timezone: services.timezone });
      const path = await reportPath(services.settings.reportsDir, assessment, "xlsx");
      await writeReportFile(path, await renderAssessment(assessment, "xlsx"));
      return assessmentSummary(assessment, path);
    } catch (e) {
      if (e instanceof ReportError) throw new UserError(e.message);
      throw e;
    }
  },
});
