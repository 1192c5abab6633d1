import { parseArgs } from "node:util";
import type { DbClient } from "../db/database.ts";
import { approvalJson, trailText } from "../domain/approvals/history.ts";

export interface ApprovalDeps {
  db: DbClient;
  timezone: string;
  out: (line: string) => void;
  err: (line: string) => void;
}

const USAGE = ["用法：", "  huibao approval show 编号 [--json]   一份送审稿的状态、各人的意见和全部记录"];

/**
 * `huibao approval show 12 [--json]`. The JSON is `{ id, channel, status, version, stage, votes:
 * [{ person, decision, version, reason, at }] }` (stage counts from 1). Exit 0, 1 no such draft, 2 usage.
 */
export async function runApproval(argv: string[], deps: ApprovalDeps): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== "show") return usage(deps, sub ? `未知的子命令：${sub}` : "缺少子命令（show）");
  let parsed: { values: { json?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: rest,
      options: { json: { type: "boolean" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    return usage(deps, (e as Error).message);
  }
  const [raw, ...extra] = parsed.positionals;
  const m = raw ? /^#?(\d{1,9})$/u.exec(raw) : null;
  if (!m?.[1] || extra.length > 0)
    return usage(deps, raw ? `看不懂编号：${[raw, ...extra].join(" ")}` : "缺少稿件编号");
  const id = Number(m[1]);
  if (parsed.values.json) {
    const json = await approvalJson(deps.db, id);
    if (!json) return missing(deps, id);
    deps.out(JSON.stringify(json, null, 2));
    return 0;
  }
  const text = await trailText(deps.db, id, deps.timezone);
  if (text === undefined) return missing(deps, id);
  for (const line of text.split("\n")) deps.out(line);
  return 0;
}

function missing(deps: ApprovalDeps, id: number): number {
  deps.err(`没有 #${id} 这份稿件。`);
  return 1;
}

function usage(deps: ApprovalDeps, message: string): number {
  deps.err(message);
  for (const l of USAGE) deps.err(l);
  return 2;
}
