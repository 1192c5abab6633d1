import { sha256 } from "../audit/hash.ts";

/** The sha256 of what approvers sign: title and body exactly as stored. */
export const contentSha = (title: string, body: string): string => sha256(JSON.stringify([title, body]));

const MAX_LINES = 8;

/**
 * What changed between two versions, in a few lines approvers can read on a phone: the title, then
 * body lines removed (－) and added (＋), from a longest-common-subsequence diff of the lines.
 */
export function describeChanges(
  before: { title: string; body: string },
  after: { title: string; body: string },
): string[] {
  const out: string[] = [];
  if (before.title !== after.title) out.push(`标题：《${before.title}》→《${after.title}》`);
  const a = lines(before.body);
  const b = lines(after.body);
  const changes = diffLines(a, b);
  const shown = changes
    .slice(0, MAX_LINES)
    .map((c) => `${c.op === "-" ? "－ 删去" : "＋ 新增"}：${clip(c.line)}`);
  out.push(...shown);
  if (changes.length > MAX_LINES) out.push(`……另有 ${changes.length - MAX_LINES} 行改动`);
  if (out.length === 0) out.push("只改了空格或空行");
  return out;
}

const lines = (s: string) =>
  s
    .split(/\r?\n/u)
    .map((l) => l.trim())
    .filter((l) => l !== "");

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

function diffLines(a: string[], b: string[]): { op: "-" | "+"; line: string }[] {
  // LCS lengths of the suffixes, in one flat table; drafts are short, so quadratic is fine.
  const n = a.length;
  const m = b.length;
  const w = m + 1;
  const t = new Int32Array((n + 1) * w);
  const at = (i: number, j: number) => t[i * w + j] ?? 0;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      t[i * w + j] = a[i] === b[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const out: { op: "-" | "+"; line: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const x = a[i];
    const y = b[j];
    if (x !== undefined && x === y) {
      i++;
      j++;
    } else if (x !== undefined && (y === undefined || at(i + 1, j) >= at(i, j + 1))) {
      out.push({ op: "-", line: x });
      i++;
    } else if (y !== undefined) {
      out.push({ op: "+", line: y });
      j++;
    }
  }
  return out;
}
