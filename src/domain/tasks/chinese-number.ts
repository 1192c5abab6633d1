const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** 一 … 九百九十九 (六十, 十五, 一百, 百, 两) → number; anything else → null. */
export function chineseNumber(text: string): number | null {
  if (!text) return null;
  let total = 0;
  let digit: number | null = null;
  for (const ch of text) {
    if (ch in DIGITS) {
      if (digit !== null) return null;
      digit = DIGITS[ch] ?? 0;
    } else if (ch === "十" || ch === "百") {
      const unit = ch === "十" ? 10 : 100;
      total += (digit ?? 1) * unit;
      digit = null;
    } else {
      return null;
    }
  }
  return total + (digit ?? 0);
}
