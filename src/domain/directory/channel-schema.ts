import { z } from "zod";
import { ROLES } from "./roles.ts";
import { entry, list, optionalText, requiredText } from "./schema.ts";
import type { ApproverEntry, ChannelEntry, StageEntry } from "./types.ts";

/**
 * The `channels:` section: which posts need sign-off and by whom. Same habits (and text helpers) as
 * schema.ts: Chinese messages, strict fields, scalars arrive as the strings they were written as
 * (k: 2 → "2").
 */

function count(what: string, min: number, max: number) {
  return z
    .string({ error: `${what}应为整数` })
    .trim()
    .regex(/^\d+$/, `${what}应为整数`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${what}应在 ${min} 到 ${max} 之间`);
}

const APPROVER_HINT = "审批人应写成 { person: 姓名 } 或 { role: 角色, unit: 单位 }";

const approverSchema: z.ZodType<ApproverEntry> = entry(
  {
    person: optionalText,
    role: z
      .enum(ROLES, { error: (iss) => `未知角色 "${String(iss.input)}"（可选：${ROLES.join("、")}）` })
      .nullish(),
    unit: optionalText,
  },
  "{ person: 李四 }",
)
  .superRefine((a, ctx) => {
    if (a.person && (a.role || a.unit)) ctx.addIssue({ code: "custom", message: APPROVER_HINT });
    else if (!a.person && !a.role) ctx.addIssue({ code: "custom", message: APPROVER_HINT });
  })
  .transform(
    (a): ApproverEntry => (a.person ? { person: a.person } : { role: a.role ?? "member", unit: a.unit }),
  );

const stageSchema: z.ZodType<StageEntry> = entry(
  {
    name: requiredText,
    mode: z.enum(["any", "all", "k"], {
      error: (iss) =>
        iss.input == null
          ? "必填（any 任一人同意、all 全部同意、k 其中 k 人同意）"
          : `未知方式 "${String(iss.input)}"（可选：any、all、k）`,
    }),
    k: count("k ", 1, 99).nullish(),
    approvers: z
      .array(approverSchema, {
        error: (iss) => (iss.input == null ? "必填：至少要有一位审批人" : "应为列表，如 [{ person: 李四 }]"),
      })
      .min(1, "至少要有一位审批人"),
  },
  "name: 科室负责人",
).transform((s) => ({ name: s.name, mode: s.mode, k: s.k ?? null, approvers: s.approvers }));

export const channelSchema: z.ZodType<ChannelEntry> = entry(
  {
    name: requiredText,
    aliases: list(requiredText, "应为列表，如 [weibo]"),
    deadline_hours: count("deadline_hours ", 1, 24 * 366).nullish(),
    stages: z
      .array(stageSchema, {
        error: (iss) => (iss.input == null ? "必填：至少要有一级审批" : "应为列表，每一级以“- ”开头"),
      })
      .min(1, "至少要有一级审批"),
  },
  "name: 微博",
).transform((c) => ({
  name: c.name,
  aliases: c.aliases ?? [],
  deadlineHours: c.deadline_hours ?? 24,
  stages: c.stages,
}));
