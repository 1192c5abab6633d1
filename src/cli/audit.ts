import { writeFile } from "node:fs/promises";
import { extname } from "node:path";
import { parseArgs } from "node:util";
import type { DbClient } from "../db/database.ts";
import { ACTION_LABELS, auditCsv, auditRows, auditXlsx } from "../domain/audit/export.ts";
import { verifyAuditChain } from "../domain/audit/verify.ts";
import { formatIso } from "../lib/dates-zh/index.ts";
import { atWallTime, dayFromYmd, parseWallTime } from "../lib/dates-zh/zone.ts";
import { fileProblem } from "../lib/file-problem.ts";

export interface AuditDeps {
  db: DbClient;
  timezone: string;
  out: (line: string) => void;
  err: (line: string) => void;
}

const USAGE = [
  "用法：",
  "  huibao audit verify [--head 哈希]         重新计算审计记录的哈希链，找出第一条对不上的记录；",
  "      --head：上次记下的链头，核对它还在链上（最新的记录没有被删掉）",
  "  huibao audit export --from 日期 --to 日期 --out 文件.csv|文件.xlsx",
  "      日期写成 2026-01-01（按 BOT_TIMEZONE 的整天，--to 含当天）或 2026-01-01 09:00",
];

/**
 * `huibao audit …` (argv starts after "audit"). Exit codes: 0 done (chain intact), 1 the chain is
 * broken or the file could not be written, 2 wrong usage.
 */
export async function runAudit(argv: string[], deps: AuditDeps): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === "verify") return await verify(rest, deps);
    if (sub === "export") return await exportAudit(rest, deps);
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) return usage(deps, (e as Error).message);
    throw e;
  }
  if (sub === "help" || sub === "--help") {
    for (const l of USAGE) deps.out(l);
    return 0;
  }
  return usage(deps, sub ? `未知的子命令：${[sub, ...rest].join(" ")}` : "缺少子命令（verify 或 export）");
}

function usage(deps: AuditDeps, message: string): number {
  deps.err(message);
  for (const l of USAGE) deps.err(l);
  return 2;
}

async function verify(argv: string[], deps: AuditDeps): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { head: { type: "string" } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) return usage(deps, `多余的参数：${positionals.join(" ")}`);
  const anchor = values.head?.trim().toLowerCase();
  if (anchor !== undefined && !/^[0-9a-f]{64}$/u.test(anchor)) {
    return usage(deps, "--head 要写 64 位十六进制的哈希（audit verify 上次打印的链头）");
  }
  const r = await verifyAuditChain(deps.db);
  if (r.ok) {
    if (r.checked === 0) {
      deps.out("还没有审计记录。");
      if (anchor) return headMissing(deps, anchor);
      return 0;
    }
    deps.out(`审计记录完好：检查了 ${r.checked} 条，哈希链一致。`);
    // The chain cannot show that its newest records were removed: a head kept elsewhere can.
    if (anchor && !(await deps.db.auditRecord.findFirst({ where: { hash: anchor }, select: { id: true } }))) {
      return headMissing(deps, anchor);
    }
    const head = await deps.db.auditRecord.findFirst({
      orderBy: { id: "desc" },
      select: { id: true, hash: true },
    });
    if (head)
      deps.out(`链头（编号 ${head.id} 的哈希）：${head.hash}  请和半年导出一起保存，下次用 --head 核对。`);
    return 0;
  }
  const what = `编号 ${r.bad.id}，稿件 #${r.bad.draftId}，${ACTION_LABELS[r.bad.action] ?? r.bad.action}，${formatIso(r.bad.at, deps.timezone)}`;
  const why =
    r.reason === "hash"
      ? "这条记录的内容和它的哈希不符（记录被改过）"
      : "它记下的前一条哈希和实际的前一条不符（前面有记录被删除、插入或改过）";
  deps.err(`审计记录对不上：第 ${r.checked + 1} 条（${what}）：${why}。前面 ${r.checked} 条完好。`);
  return 1;
}

function headMissing(deps: AuditDeps, anchor: string): number {
  deps.err(
    `审计记录对不上：链上找不到记下的链头 ${anchor.slice(0, 12)}…：那条记录或它之后的记录被删除了（也可能这个哈希抄错了）。`,
  );
  return 1;
}

/** A day (whole day, in the zone) or a day and time; `end` turns a day into the next midnight. */
function readTime(text: string, tz: string, end: boolean): Date | undefined {
  const t = text.trim();
  const day = /^\d{4}-\d{2}-\d{2}$/u.test(t) ? dayFromYmd(t) : undefined;
  if (day) return atWallTime(day, end ? 24 : 0, 0, tz);
  if (!/^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(:\d{2})?$/u.test(t) || !dayFromYmd(t.slice(0, 10)))
    return undefined;
  return parseWallTime(t.replace("T", " "), tz);
}

async function exportAudit(argv: string[], deps: AuditDeps): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { from: { type: "string" }, to: { type: "string" }, out: { type: "string" } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) return usage(deps, `多余的参数：${positionals.join(" ")}`);
  if (!values.from || !values.to || !values.out) return usage(deps, "要写 --from、--to 和 --out");
  const from = readTime(values.from, deps.timezone, false);
  const to = readTime(values.to, deps.timezone, true);
  if (!from) return usage(deps, `看不懂 --from ${values.from}`);
  if (!to) return usage(deps, `看不懂 --to ${values.to}`);
  if (to <= from) return usage(deps, "--to 要晚于 --from");
  const kind = extname(values.out).toLowerCase();
  if (kind !== ".csv" && kind !== ".xlsx") return usage(deps, "--out 的文件名要以 .csv 或 .xlsx 结尾");
  const rows = await auditRows(deps.db, from, to, deps.timezone);
  try {
    await writeFile(values.out, kind === ".csv" ? auditCsv(rows) : await auditXlsx(rows));
  } catch (e) {
    deps.err(fileProblem(values.out, e, "write"));
    return 1;
  }
  deps.out(
    `已导出 ${rows.length} 条审计记录到 ${values.out}（${formatIso(from, deps.timezone)} 至 ${formatIso(to, deps.timezone)}，不含结束时刻）。`,
  );
  return 0;
}
