/**
 * The labelled fields of 新建讲座 / 改期: `主题：… 时间：… 地点：…`, in any order, with a full-width or
 * ASCII colon, on one line or several. A label counts only at the start of the text or after a space
 * or a separator, so a colon inside a value (`10:00`) or a label word inside a topic is left alone.
 */
export type FieldName = "topic" | "when" | "place" | "speaker" | "task" | "groups";

export interface EventFields {
  topic?: string;
  when?: string;
  place?: string;
  speaker?: string;
  task?: string;
  groups?: string;
  /** Text before the first label (`新建讲座 垃圾分类知识 时间：…`): taken as the topic if none is labelled. */
  lead?: string;
}

const LABELS: Record<string, FieldName> = {
  主题: "topic",
  题目: "topic",
  标题: "topic",
  名称: "topic",
  时间: "when",
  开始时间: "when",
  地点: "place",
  地址: "place",
  会场: "place",
  主讲人: "speaker",
  主讲: "speaker",
  发言人: "speaker",
  嘉宾: "speaker",
  任务: "task",
  任务编号: "task",
  通知群: "groups",
  通知: "groups",
  群: "groups",
};

// Longest first, so 主讲人 wins over 主讲 and 通知群 over 通知.
const LABEL_ALTERNATION = Object.keys(LABELS)
  .sort((a, b) => b.length - a.length)
  .join("|");
const LABEL = new RegExp(`(^|[\\s,，;；。、])(${LABEL_ALTERNATION})\\s*[:：]`, "gu");

const TRIM = /^[\s,，;；。、]+|[\s,，;；。、]+$/gu;
const clean = (s: string) => s.replace(TRIM, "");

export function parseEventFields(text: string): EventFields {
  const out: EventFields = {};
  const hits = [...text.matchAll(LABEL)].map((m) => ({
    field: LABELS[m[2] as string] as FieldName,
    labelStart: (m.index ?? 0) + (m[1] as string).length,
    valueStart: (m.index ?? 0) + m[0].length,
  }));
  const lead = clean(text.slice(0, hits[0]?.labelStart ?? text.length));
  if (lead) out.lead = lead;
  for (const [i, hit] of hits.entries()) {
    const value = clean(text.slice(hit.valueStart, hits[i + 1]?.labelStart ?? text.length));
    // The first occurrence wins: a second 时间 is more likely part of a value than a correction.
    if (value && out[hit.field] === undefined) out[hit.field] = value;
  }
  return out;
}
