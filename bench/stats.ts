/** Percentile of a list of durations in ms (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function summarize(label: string, durations: number[], wallMs: number): string {
  const sorted = [...durations].sort((a, b) => a - b);
  const rate = (durations.length / wallMs) * 1000;
  const f = (n: number) => n.toFixed(2);
  return `${label}: ${durations.length} in ${f(wallMs)} ms → ${rate.toFixed(0)}/s; p50 ${f(percentile(sorted, 50))} ms, p99 ${f(percentile(sorted, 99))} ms`;
}
