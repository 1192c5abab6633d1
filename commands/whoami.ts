import { defineCommand } from "../src/bot/command.ts";

const ROLE_NAMES = {
  zh: { admin: "管理员", leader: "领导", approver: "审批人", member: "成员" },
  en: { admin: "admin", leader: "leader", approver: "approver", member: "member" },
} as const;

const PLATFORM_NAMES = {
  zh: { wecom: "企业微信", dingtalk: "钉钉", local: "本地对话" },
  en: { wecom: "WeCom", dingtalk: "DingTalk", local: "local chat" },
} as const;

export default defineCommand({
  name: "我是谁",
  aliases: ["whoami", "我"],
  args: [],
  permission: "anyone",
  summary: { zh: "看看通讯录里登记的我", en: "show how the directory knows me" },
  help: {
    zh: "显示你在通讯录里的姓名、单位和角色。还没登记的人会看到自己的账号，把它发给管理员即可。",
    en: "Shows your name, unit and roles in the directory. People not yet placed see their account id to give an admin.",
  },
  examples: ["我是谁"],
  async run({ person, message, locale }) {
    if (!person.placed) {
      const platform = PLATFORM_NAMES[locale][message.platform];
      return locale === "zh"
        ? `你还没有登记到通讯录。你的账号是 ${message.sender.userId}（${platform}），请把它发给管理员。`
        : `You are not in the directory yet. Your account is ${message.sender.userId} (${platform}); send it to an admin.`;
    }
    const roles = person.roles.map((r) => ROLE_NAMES[locale][r]).join("、") || ROLE_NAMES[locale].member;
    const unit = person.unitName ?? (locale === "zh" ? "未分配单位" : "no unit");
    return locale === "zh" ? `${person.name}，${unit}，${roles}。` : `${person.name}, ${unit}, ${roles}.`;
  },
});
