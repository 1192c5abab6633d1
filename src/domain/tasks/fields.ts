/**
 * The parts of an admin's task edit: "标题 截止 6月30日 负责 宣传科 配合 环卫处、城东分局 目标 4".
 * A keyword starts a field at the beginning of a word (the value may be glued on: 截止6月30日);
 * words before the first keyword are the title.
 */
export interface TaskFields {
  title: string;
  due?: string;
  lead?: string[];
  support?: string[];
  target?: string;
}

const KEYWORDS: [RegExp, "due" | "lead" | "support" | "target"][] = [
  [/^(?:截止日期|截止|期限|到期)[:：]?/u, "due"],
  [/^(?:负责|牵头)[:：]?/u, "lead"],
  [/^(?:配合|协助|参加)[:：]?/u, "support"],
  [/^(?:目标)[:：]?/u, "target"],
];

export function splitUnitNames(text: string): string[] {
  return text
    .split(/[\s、，,；;]+/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function parseTaskFields(text: string): TaskFields {
  const parts: Record<string, string[]> = { title: [] };
  let field = "title";
  for (const word of text.trim().split(/\s+/u).filter(Boolean)) {
    const hit = KEYWORDS.find(([re]) => re.test(word));
    if (hit) {
      field = hit[1];
      parts[field] = parts[field] ?? [];
      const rest = word.replace(hit[0], "");
      if (rest) parts[field]?.push(rest);
    } else {
      parts[field]?.push(word);
    }
  }
  const join = (k: string) => (parts[k] ? parts[k].join(" ") : undefined);
  const fields: TaskFields = { title: join("title") ?? "" };
  const due = join("due");
  if (due !== undefined) fields.due = due;
  const lead = join("lead");
  if (lead !== undefined) fields.lead = splitUnitNames(lead);
  const support = join("support");
  if (support !== undefined) fields.support = splitUnitNames(support);
  const target = join("target");
  if (target !== undefined) fields.target = target;
  return fields;
}
