import type { UnitMentions } from "./types.ts";

/** 各分局, 局属各单位, 机关各科室: every unit of a kind. */
const COLLECTIVE = "(?:局属各|机关各|各|相关|有关)(?:单位|分局|科室|处室|部门|大队|中队|支队|科|处)";
/**
 * A named unit: a few characters and a unit word (宣传科, 环卫处, 市政设施管理处, 执法大队). The
 * characters exclude function words, so "所有稿件须经科室…" or "对工作不力的单位" are not read as units.
 */
const NAMED =
  "办公室|[^\\P{Script=Han}的对在为是把被将从向和与及或每年月日次期名条个场后前了等须经有所要应并由请已于按至以其这那该此全各]{1,10}?(?:办公室|科室|分局|大队|支队|中队|中心|处室|宣传部|部|处|科|局|站|所|队)";
const UNIT = `(?:${COLLECTIVE}|${NAMED})`;
const LIST = `${UNIT}(?:[、和及与]${UNIT})*`;

const LEAD_VERB = "牵头|负责(?!人|同志)|主办|承办|组织";
const SUPPORT_WORD = /配合|参加|参与|协助|协办|选派/u;
const BY = new RegExp(`由(${LIST})(?:${LEAD_VERB})`, "gu");
/** What may follow the units a clause opens with; a unit name is read no further than that. */
const NEXT =
  "[^\\p{Script=Han}]|$|牵头|负责|主办|承办|组织|配合|参加|参与|协助|协办|选派|结合|主要|要|每|各|分别|共同|开展|举办|确定|完成|做好|按|于|在|对|向|报|应|须|把|将|全年|年底|上半年|下半年";
/** Verbs a clause may open with; what follows them is an object, not a subject. */
const OPENING_VERB = "会同|邀请|联合|协调|督促|指导|组织|推动|加强|开展|举办|配合|参加|要求|请";
const AT_START = new RegExp(`^(?!${OPENING_VERB})(?:由)?(${LIST})(?=${NEXT})`, "u");
const HELPS = new RegExp(`(${LIST})(?:配合|协助|协办|参加|参与)`, "gu");
const TOGETHER_WITH = new RegExp(`会同(${LIST})`, "gu");

/**
 * Who leads and who supports, as the document names them: "由办公室牵头，各科室配合" →
 * lead 办公室, support 各科室. A clause that opens with units makes them its subject: they lead it,
 * unless it is about taking part (各分局选派骨干参加).
 */
export function extractUnits(text: string): UnitMentions {
  const lead: string[] = [];
  const support: string[] = [];
  for (const clause of text.split(/[，。；：！？]/u)) {
    for (const m of clause.matchAll(BY)) lead.push(...names(m[1]));
    for (const m of clause.matchAll(HELPS)) support.push(...names(m[1]));
    for (const m of clause.matchAll(TOGETHER_WITH)) support.push(...names(m[1]));
    const start = AT_START.exec(clause);
    if (start) (SUPPORT_WORD.test(clause) ? support : lead).push(...names(start[1]));
  }
  const leads = unique(lead);
  return { lead: leads, support: unique(support).filter((u) => !leads.includes(u)) };
}

function names(list: string | undefined): string[] {
  if (!list) return [];
  return list.split(/[、和及与]/u).filter((n) => n !== "");
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
