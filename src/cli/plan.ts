import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { Db } from "../db/database.ts";
import { decodePlanBytes } from "../domain/plan/decode.ts";
import { PlanInputError } from "../domain/plan/errors.ts";
import { importPlan } from "../domain/plan/store.ts";
import { parsePlan } from "../domain/plan/structure.ts";
import { formatPlanSummary } from "../domain/plan/summary.ts";
import type { Clock } from "../lib/clock.ts";
import { fileProblem } from "../lib/file-problem.ts";

export interface PlanCommandDeps {
  db: Db;
  out: (line: string) => void;
  err: (line: string) => void;
  clock: Clock;
}

const USAGE = [
  "用法：huibao plan import 文件.txt [--year 年份] [--dry-run] [--json]",
  "      --year     计划的年份（默认读文件里的年份）",
  "      --dry-run  只显示会改什么，不写入",
  "      --json     输出解析出的结构（JSON），摘要改写到标准错误输出",
];

/**
 * `huibao plan …` (argv starts after "plan"). Returns the exit code: 0 done, 1 the file cannot be
 * read or is not a plan, 2 wrong usage.
 */
export async function runPlan(argv: string[], deps: PlanCommandDeps): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "help" || sub === "--help" || sub === "-h") {
    for (const line of USAGE) deps.out(line);
    return 0;
  }
  if (sub !== "import") return usageError(deps, sub ? `未知的子命令：${sub}` : "缺少子命令（import）");
  let values: { year?: string; "dry-run": boolean; json: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: {
        year: { type: "string" },
        "dry-run": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
      },
      allowPositionals: true,
      strict: true,
    }));
  } catch (e) {
    return usageError(deps, (e as Error).message);
  }
  const [path, ...extra] = positionals;
  if (!path || extra.length > 0)
    return usageError(deps, path ? `多余的参数：${extra.join(" ")}` : "缺少要导入的文件");
  const year = values.year === undefined ? undefined : Number(values.year);
  if (year !== undefined && !(Number.isInteger(year) && year >= 2000 && year <= 2100))
    return usageError(deps, `--year 要写四位年份，例如 --year 2021（收到的是 ${values.year}）`);

  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    deps.err(fileProblem(path, e, "read"));
    return 1;
  }
  let parsed: ReturnType<typeof parsePlan>;
  try {
    parsed = parsePlan(decodePlanBytes(bytes), { year });
  } catch (e) {
    if (!(e instanceof PlanInputError)) throw e;
    deps.err(`${path}：${e.message}`);
    return 1;
  }
  // With --json, standard output carries the structure alone, so it can be piped.
  const say = values.json ? deps.err : deps.out;
  if (values.json) deps.out(JSON.stringify(parsed, null, 2));
  const summary = await importPlan(deps.db, parsed, {
    dryRun: values["dry-run"],
    now: deps.clock.now(),
    onProgress: ({ index, total, section }) =>
      deps.err(`  第 ${index}/${total} 部分「${section.title}」：${section.items.length} 项`),
  });
  for (const line of formatPlanSummary(summary)) say(line);
  return 0;
}

function usageError(deps: PlanCommandDeps, message: string): number {
  deps.err(message);
  for (const line of USAGE) deps.err(line);
  return 2;
}
