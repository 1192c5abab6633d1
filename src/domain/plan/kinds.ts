import type { TargetKind } from "./types.ts";

/** Words that name what is counted. 活动 is the generic word, so it only decides when nothing else does. */
const KEYWORDS: [TargetKind, string[]][] = [
  ["press_conference", ["新闻发布会", "发布会", "通气会"]],
  ["lecture", ["讲座", "讲堂", "党课", "宣讲", "报告会", "讲坛"]],
  ["training", ["培训", "轮训"]],
  ["inspection", ["督查", "核查", "检查", "督导", "巡查", "暗访", "抽查"]],
  ["publication", ["简报", "期刊", "汇编", "刊物", "专刊", "画册", "手册", "年鉴", "内刊"]],
  ["event", ["开放日", "比赛", "比武", "运动会", "评选", "评比", "竞赛", "展览", "晚会", "征文", "演讲"]],
];

/**
 * The kind named in `text`, or null. In a Chinese noun phrase the head comes last ("技能培训讲座" is a
 * lecture), so the keyword that ends furthest right wins.
 */
export function kindIn(text: string): TargetKind | null {
  let best: { kind: TargetKind; end: number; length: number } | null = null;
  for (const [kind, words] of KEYWORDS) {
    for (const w of words) {
      const at = text.lastIndexOf(w);
      if (at < 0) continue;
      const end = at + w.length;
      if (!best || end > best.end || (end === best.end && w.length > best.length))
        best = { kind, end, length: w.length };
    }
  }
  if (best) return best.kind;
  return text.includes("活动") ? "event" : null;
}
