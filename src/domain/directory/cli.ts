import { chmod, readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { Db } from "../../db/database.ts";
import { fileProblem } from "../../lib/file-problem.ts";
import { exportDirectory } from "./export.ts";
import { parseDirectoryFile } from "./file.ts";
import { formatSummary } from "./summary.ts";
import { importDirectory } from "./sync.ts";

export interface DirectoryCommandDeps {
  db: Db;
  out: (line: string) => void;
  err: (line: string) => void;
}

const USAGE = [
  "用法：",
  "  huibao directory import 文件.yaml [--dry-run] [--prune]",
  "      --dry-run  只显示会改什么，不写入",
  "      --prune    文件里没有的单位和群会被删除，人员会被设为未登记（不会删除）",
  "  huibao directory export [--out 文件.yaml]   不加 --out 时输出到屏幕",
];

/**
 * `huibao directory …` (argv starts after "directory"). Returns the exit code: 0 done, 1 the file
 * could not be read or written, 2 wrong usage or an invalid directory file.
 */
export async function runDirectoryCommand(argv: string[], deps: DirectoryCommandDeps): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "help" || sub === "--help" || sub === "-h") {
    for (const line of USAGE) deps.out(line);
    return 0;
  }
  try {
    if (sub === "import") return await runImport(rest, deps);
    if (sub === "export") return await runExport(rest, deps);
  } catch (e) {
    // node:util parseArgs throws on unknown options and missing values.
    if ((e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS"))
      return usageError(deps, (e as Error).message);
    throw e;
  }
  return usageError(deps, sub ? `未知的子命令：${sub}` : "缺少子命令（import 或 export）");
}

function usageError(deps: DirectoryCommandDeps, message: string): number {
  deps.err(message);
  for (const line of USAGE) deps.err(line);
  return 2;
}

async function runImport(argv: string[], deps: DirectoryCommandDeps): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { "dry-run": { type: "boolean", default: false }, prune: { type: "boolean", default: false } },
    allowPositionals: true,
    strict: true,
  });
  const [path, ...extra] = positionals;
  if (!path || extra.length > 0)
    return usageError(deps, path ? `多余的参数：${extra.join(" ")}` : "缺少要导入的文件");

  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    deps.err(fileProblem(path, e, "read"));
    return 1;
  }
  const parsed = parseDirectoryFile(text);
  if (!parsed.ok) {
    deps.err(`${path} 有 ${parsed.errors.length} 处错误，没有导入任何内容：`);
    for (const line of parsed.errors) deps.err(`  ${line}`);
    return 2;
  }
  try {
    const summary = await importDirectory(deps.db, parsed.file, {
      dryRun: values["dry-run"],
      prune: values.prune,
    });
    for (const line of formatSummary(summary)) deps.out(line);
    return 0;
  } catch (e) {
    // A newcomer wrote to the bot with an id the file assigns, between our read and our write.
    if ((e as { code?: string }).code === "P2002") {
      deps.err("导入时有人同时给机器人发了消息，账号冲突，没有导入任何内容。请再运行一次。");
      return 1;
    }
    throw e;
  }
}

async function runExport(argv: string[], deps: DirectoryCommandDeps): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { out: { type: "string" } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) return usageError(deps, `多余的参数：${positionals.join(" ")}`);
  const yaml = await exportDirectory(deps.db);
  if (!values.out) {
    for (const line of yaml.replace(/\n$/, "").split("\n")) deps.out(line);
    return 0;
  }
  try {
    // The file may hold webhook secrets: readable by its owner only.
    await writeFile(values.out, yaml, { mode: 0o600 });
    await chmod(values.out, 0o600); // mode only applies to a new file; an old one may be world-readable
  } catch (e) {
    deps.err(fileProblem(values.out, e, "write"));
    return 1;
  }
  const [units, people, groups] = await Promise.all([
    deps.db.unit.count(),
    deps.db.person.count({ where: { placed: true } }),
    deps.db.group.count(),
  ]);
  deps.out(`已导出到 ${values.out}：单位 ${units} 个，已登记人员 ${people} 人，群 ${groups} 个。`);
  return 0;
}
