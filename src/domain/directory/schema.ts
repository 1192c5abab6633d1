import { z } from "zod";
import { normalizeRoles, ROLES } from "./roles.ts";
import { type GroupEntry, type PersonEntry, PLATFORMS, type UnitEntry, type UnplacedEntry } from "./types.ts";

/**
 * The shape of each entry of a directory file, with the messages an admin reads (Chinese).
 * Scalars arrive as strings (file.ts keeps numbers as written, so 0123 stays "0123").
 * Entries are validated one by one so that one bad entry does not hide the errors of the others.
 */

export const requiredText = z
  .string({ error: (iss) => (iss.input == null ? "必填" : "应为一段文字") })
  .trim()
  .min(1, "必填，不能为空");

/** Empty, `~` and missing all mean "not set". */
export const optionalText = z
  .string({ error: "应为一段文字" })
  .nullish()
  .transform((v) => v?.trim() || null);

/** A list, or a single value written without brackets (`roles: admin`). */
export function list<T extends z.ZodType>(item: T, hint: string) {
  return z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(item, { error: hint }).nullish());
}

const role = z.enum(ROLES, {
  error: (iss) => `未知角色 "${String(iss.input)}"（可选：${ROLES.join("、")}）`,
});

const platform = z.enum(PLATFORMS, {
  error: (iss) =>
    iss.input == null
      ? `必填（可选：${PLATFORMS.join("、")}）`
      : `未知平台 "${String(iss.input)}"（可选：${PLATFORMS.join("、")}）`,
});

/** A map with exactly these fields; a misspelt field is an error rather than silently ignored. */
export function entry<S extends z.core.$ZodLooseShape>(shape: S, example: string) {
  const fields = Object.keys(shape).join("、");
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === "unrecognized_keys" ? `未知字段（可用：${fields}）` : `应为一个条目，如 ${example}`,
  });
}

export const unitSchema: z.ZodType<UnitEntry> = entry(
  { name: requiredText, aliases: list(requiredText, "应为列表，如 [宣传科, 宣传]") },
  "name: 市城市管理局宣传科",
).transform((u) => ({ name: u.name, aliases: u.aliases ?? [] }));

const ids = { wecom: optionalText, dingtalk: optionalText, mobile: optionalText };

export const personSchema: z.ZodType<PersonEntry> = entry(
  {
    name: requiredText,
    unit: optionalText,
    roles: list(role, `应为列表，如 [admin, member]（可选：${ROLES.join("、")}）`),
    ...ids,
  },
  "name: 张三",
).transform((p) => ({
  name: p.name,
  unit: p.unit,
  // Absent roles mean an ordinary member; an explicit [] means no role at all.
  roles: p.roles == null ? ["member"] : normalizeRoles(p.roles),
  wecom: p.wecom,
  dingtalk: p.dingtalk,
  mobile: p.mobile,
}));

export const unplacedSchema: z.ZodType<UnplacedEntry> = entry(
  { name: requiredText, unit: optionalText, ...ids },
  "name: 小王",
);

export const groupSchema: z.ZodType<GroupEntry> = entry(
  {
    name: requiredText,
    platform,
    chat_id: requiredText,
    unit: optionalText,
    webhook_key: optionalText,
    webhook_secret: optionalText,
  },
  "name: 宣传科工作群",
).transform((g) => ({
  name: g.name,
  platform: g.platform,
  chatId: g.chat_id,
  unit: g.unit,
  webhookKey: g.webhook_key,
  webhookSecret: g.webhook_secret,
}));

/** The sections of a file, in the order export writes them. */
export const SECTIONS = {
  units: unitSchema,
  people: personSchema,
  groups: groupSchema,
  unplaced: unplacedSchema,
} as const;
export type Section = keyof typeof SECTIONS;
