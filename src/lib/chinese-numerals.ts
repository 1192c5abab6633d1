/** A number as documents and people write it: Arabic digits or Chinese numerals up to the thousands. */
export const NUMERAL = "[0-9]+|[零〇一二两三四五六七八九十百千]+";

/** One Chinese digit (两 and 〇 included). */
export const DIGIT: Record<string, number> = {
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
const UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** 十二 → 12, 两 → 2, 一百零五 → 105, 12 → 12; null for what is not one number (十十, 三二一 is read 321). */
export function readNumeral(text: string): number | null {
  if (/^[0-9]+$/u.test(text)) return Number(text);
  if (!/^[零〇一二两三四五六七八九十百千]+$/u.test(text)) return null;
  // Digit by digit, as years are written: 二〇二一.
  if (!/[十百千]/u.test(text)) {
    if (text.length === 1) return DIGIT[text] ?? null;
    return Number([...text].map((c) => DIGIT[c]).join(""));
  }
  let total = 0;
  let pending: number | null = null;
  let lastUnit = Number.POSITIVE_INFINITY;
  for (const c of text) {
    const unit = UNIT[c];
    if (unit !== undefined) {
      if (unit >= lastUnit) return null;
      total += (pending ?? 1) * unit;
      pending = null;
      lastUnit = unit;
    } else {
      if (pending !== null && pending !== 0) return null;
      pending = DIGIT[c] ?? 0;
    }
  }
  return total + (pending ?? 0);
}
