import { defineCommand } from "../src/bot/command.ts";
import { listUnits } from "../src/domain/directory/unit-list.ts";

export default defineCommand({
  name: "单位",
  aliases: ["units", "科室"],
  args: [],
  permission: "anyone",
  summary: { zh: "列出各单位和简称", en: "list units and their short names" },
  help: {
    zh: "列出通讯录里的单位、简称和人数。填写任务、活动时用简称即可。",
    en: "Lists the directory's units with their short names and head counts.",
  },
  examples: ["单位"],
  async run({ services, locale }) {
    const units = await listUnits(services.db);
    if (units.length === 0) {
      return locale === "zh"
        ? "通讯录里还没有单位。管理员可以运行 npx huibao directory import 通讯录.yaml 导入。"
        : "No units yet. An admin can run: npx huibao directory import directory.yaml";
    }
    const lines = units.map((u) => {
      const aka = u.aliases.length > 0 ? `（${u.aliases.join("、")}）` : "";
      return locale === "zh" ? `· ${u.name}${aka} ${u.people} 人` : `· ${u.name}${aka}: ${u.people}`;
    });
    return [locale === "zh" ? `共 ${units.length} 个单位：` : `${units.length} units:`, ...lines].join("\n");
  },
});
