import { DIGIT } from "../chinese-numerals.ts";

/** A number as people write it in a time: digits or Chinese numerals (两, 十二, 二十三, 二〇二一). */
export const NUMBER = "[0-9]+|[零〇一二两三四五六七八九十]+";

const TENS = /^([一二两三四五六七八九])?十([一二三四五六七八九])?$/u;

/** undefined for what is not one number ("十十", "三二"). */
export function readNumber(text: string): number | undefined {
  if (/^[0-9]+$/.test(text)) return Number(text);
  const tens = TENS.exec(text);
  if (tens) return (tens[1] ? (DIGIT[tens[1]] ?? 0) : 1) * 10 + (tens[2] ? (DIGIT[tens[2]] ?? 0) : 0);
  if (text.length === 1) return DIGIT[text];
  // 零五 (八点零五) and years read digit by digit (二〇二一).
  if (/^[零〇][一二三四五六七八九]$/u.test(text)) return DIGIT[text.charAt(1)];
  if (/^[零〇一二三四五六七八九]{4}$/u.test(text)) {
    return Number([...text].map((c) => DIGIT[c]).join(""));
  }
  return undefined;
}
