import { parseArgs } from "node:util";
import { formatIso, parseWhen } from "../lib/dates-zh/index.ts";
import { isZone, parseWallTime } from "../lib/dates-zh/zone.ts";

export interface WhenIO {
  out: (line: string) => void;
  err: (line: string) => void;
  /** All of standard input, read only when no expression is given on the command line. */
  readStdin: () => Promise<string>;
  now: () => Date;
  /** The zone when --tz is not given (the bot's BOT_TIMEZONE); Asia/Shanghai if unset. */
  timezone?: string;
}

const USAGE =
  "用法：huibao when 表达式… [--now 2021-03-10T09:00:00+08:00] [--tz Asia/Shanghai]\n" +
  "      （不写表达式时从标准输入每行读一个）";

const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const WALL_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?$/;

/** --now with an offset is that instant; without one it is a wall time in --tz, never the machine's. */
function readNow(text: string, zone: string): Date | undefined {
  if (WITH_OFFSET.test(text)) return new Date(text);
  if (WALL_TIME.test(text)) return parseWallTime(text.replace("T", " "), zone);
  return undefined;
}

/**
 * `huibao when EXPR… [--now ISO] [--tz ZONE]`: one line per expression, the expression, a tab,
 * then the time in ISO 8601 in the zone or `ERROR: ` and the reason. Exit 2 if any was refused.
 */
export async function runWhen(argv: string[], io: WhenIO): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    io.err(`参数有误：${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    return 2;
  }
  const zone = parsed.values.tz ?? (io.timezone || "Asia/Shanghai");
  if (!isZone(zone)) {
    io.err(`不认识的时区：${zone}（例如 Asia/Shanghai）\n${USAGE}`);
    return 2;
  }
  const now = parsed.values.now === undefined ? io.now() : readNow(parsed.values.now, zone);
  if (!now || Number.isNaN(now.getTime())) {
    io.err(`--now 不是 ISO 时间：${parsed.values.now}\n${USAGE}`);
    return 2;
  }
  const expressions =
    parsed.positionals.length > 0
      ? parsed.positionals
      : (await io.readStdin())
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter((l) => l !== "");
  if (expressions.length === 0) {
    io.err(USAGE);
    return 2;
  }
  let failed = false;
  for (const expr of expressions) {
    const r = parseWhen(expr, { now, timezone: zone });
    if (!r.ok) failed = true;
    io.out(`${expr}\t${r.ok ? formatIso(r.at, zone) : `ERROR: ${r.reason}`}`);
  }
  return failed ? 2 : 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: { now: { type: "string" }, tz: { type: "string" } },
    allowPositionals: true,
    strict: true,
  });
}
