import { usageLine } from "../src/bot/args.ts";
import { AREA_LABELS, type Area, type CommandDefinition, defineCommand } from "../src/bot/command.ts";
import { type Locale, pick, type Translate } from "../src/bot/i18n.ts";

const ROLE_LABEL = {
  admin: "roleAdmin",
  leader: "roleLeader",
  approver: "roleApprover",
  member: "roleMember",
} as const;

function overview(commands: readonly CommandDefinition[], locale: Locale, t: Translate): string {
  const lines = [t("helpTitle")];
  const sep = " · ";
  for (const area of Object.keys(AREA_LABELS) as Area[]) {
    const inArea = commands.filter((c) => (c.area ?? "basic") === area);
    if (inArea.length === 0) continue;
    const names = inArea.map((cmd) =>
      cmd.permission === "anyone" ? cmd.name : `${cmd.name}（${t(ROLE_LABEL[cmd.permission])}）`,
    );
    const label = pick(AREA_LABELS[area], locale);
    lines.push(locale === "zh" ? `【${label}】${names.join(sep)}` : `${label}: ${names.join(sep)}`);
  }
  // Explaining 帮助 with 帮助 would be a poor example; prefer a command with arguments of its own.
  const example =
    commands.find((c) => c.args.length > 0 && c.name !== "帮助")?.name ??
    commands.find((c) => c.name !== "帮助")?.name ??
    "帮助";
  lines.push(t("helpFooter", { example }));
  return lines.join("\n");
}

function detail(cmd: CommandDefinition, locale: Locale, t: Translate): string {
  const lines = [usageLine(cmd, locale), pick(cmd.help, locale)];
  if (cmd.aliases.length > 0) lines.push(t("helpAliases", { aliases: cmd.aliases.join("、") }));
  if (cmd.examples.length > 0) lines.push(t("helpExamples"), ...cmd.examples.map((e) => `  ${e}`));
  return lines.join("\n");
}

export default defineCommand({
  name: "帮助",
  aliases: ["help", "菜单", "?", "？"],
  args: [{ name: "command", type: "word", optional: true, label: { zh: "命令名", en: "command" } }],
  permission: "anyone",
  summary: { zh: "列出命令，或查看某个命令的用法", en: "list commands, or explain one" },
  help: {
    zh: "不带参数列出全部命令；带上命令名（中文或英文都行）查看它的用法和例子。",
    en: "Without an argument lists every command; with a command name shows its usage and examples.",
  },
  examples: ["帮助", "帮助 我是谁", "help whoami"],
  async run({ args, locale, t, registry }) {
    const name = args.command;
    if (name === undefined) return overview(registry.commands, locale, t);
    const cmd = registry.get(String(name));
    if (cmd) return detail(cmd, locale, t);
    const suggestion = registry.suggest(String(name));
    const parts = [t("helpUnknown", { name: String(name) })];
    if (suggestion) parts.push(t("didYouMean", { name: suggestion.name }));
    return `${parts.join("")}\n${overview(registry.commands, locale, t)}`;
  },
});
