import { createRegistry } from "../commands/index.ts";
import { createBot } from "../src/bot/bot.ts";
import { DEFAULT_SETTINGS } from "../src/bot/command.ts";
import { LocalChat } from "../src/bot/local-chat.ts";
import { openDatabase } from "../src/db/database.ts";
import { FakeClock } from "../src/lib/clock.ts";
import { createLogger } from "../src/lib/logger.ts";
import { percentile } from "./stats.ts";

const UNITS = 20;
const PEOPLE = 100;
const TASKS = 2_000;
const REPORTS = 100_000;
const RUNS = 30;
const TARGET_MS = 100;

// One plan of 20 sections × 100 items; due dates spread over the year, a third complete, half counted.
const SEED = `
INSERT INTO units (name, aliases, created_at, updated_at)
  SELECT '基准单位' || i, ARRAY['单位' || i], now(), now() FROM generate_series(1, ${UNITS}) i;
INSERT INTO people (name, unit_id, roles, placed, created_at, updated_at)
  SELECT '成员' || i, (i % ${UNITS}) + 1, ARRAY['member'], true, now(), now() FROM generate_series(1, ${PEOPLE}) i;
INSERT INTO plans (year, title, source_sha, imported_at, updated_at)
  VALUES (2021, '2021年基准工作要点', 'bench', now(), now());
INSERT INTO tasks (plan_id, code, section_no, section_title, title, body, targets, target_kind, target_count, due,
                   lead_text, support_text, percent, count, completed_at, created_at, updated_at)
  SELECT 1, ((i - 1) / 100 + 1) || '.' || ((i - 1) % 100 + 1), (i - 1) / 100 + 1, '第' || ((i - 1) / 100 + 1) || '部分',
         '基准任务第' || i || '项的标题稍微长一点', '正文', '[]'::jsonb,
         CASE WHEN i % 2 = 0 THEN 'lecture' END, CASE WHEN i % 2 = 0 THEN 4 END,
         '2021-' || lpad(((i % 12) + 1)::text, 2, '0') || '-28',
         ARRAY['基准单位' || ((i % ${UNITS}) + 1)], ARRAY['基准单位' || (((i + 7) % ${UNITS}) + 1)],
         CASE WHEN i % 3 = 0 THEN 100 WHEN i % 2 = 0 THEN 50 ELSE (i * 7) % 100 END,
         CASE WHEN i % 2 = 0 THEN CASE WHEN i % 3 = 0 THEN 4 ELSE 2 END ELSE 0 END,
         CASE WHEN i % 3 = 0 THEN now() END, now(), now()
  FROM generate_series(1, ${TASKS}) i;
INSERT INTO task_units (task_id, unit_id, role)
  SELECT i, (i % ${UNITS}) + 1, 'lead' FROM generate_series(1, ${TASKS}) i
  UNION ALL SELECT i, ((i + 7) % ${UNITS}) + 1, 'support' FROM generate_series(1, ${TASKS}) i;
INSERT INTO progress_reports (task_id, person_id, kind, percent_before, percent_after, count_before, count_after,
                              note, platform, message_id, created_at)
  SELECT (i % ${TASKS}) + 1, (i % ${PEOPLE}) + 1, 'percent', 0, 0, 0, 0, '基准汇报', 'bench', 'm' || i,
         timestamptz '2021-03-01' + (i || ' minutes')::interval
  FROM generate_series(1, ${REPORTS}) i;
ANALYZE;
`;

function line(label: string, durations: number[]): string {
  const sorted = [...durations].sort((a, b) => a - b);
  const median = percentile(sorted, 50);
  const verdict = median < TARGET_MS ? "ok" : "OVER TARGET";
  return `${label}: ${durations.length} runs, median ${median.toFixed(2)} ms, p95 ${percentile(sorted, 95).toFixed(2)} ms (target < ${TARGET_MS} ms median: ${verdict})`;
}

/**
 * The boards on a full year: 2,000 tasks over 20 units with 100,000 progress reports, on an
 * in-memory PGlite, through the real bot (parse, identify, query, render).
 */
export async function benchBoard(): Promise<void> {
  const db = await openDatabase("pglite:memory://");
  await db.migrate();
  const seeded = performance.now();
  await db.sql.exec(SEED);
  console.log(
    `seeded ${TASKS} tasks, ${UNITS} units, ${REPORTS} progress reports in ${(performance.now() - seeded).toFixed(0)} ms`,
  );
  // Mid-July: the tasks due in January to June and not complete are overdue.
  const clock = new FakeClock("2021-07-15T02:00:00Z");
  const bot = createBot({
    registry: createRegistry(),
    services: { db: db.prisma, clock, timezone: "Asia/Shanghai", settings: DEFAULT_SETTINGS },
    logger: createLogger("silent"),
    locale: "zh",
    botNames: ["汇报"],
  });
  const chat = new LocalChat(bot, clock, ["汇报"]);
  const cases = [
    { text: "任务 全部", target: true },
    { text: "逾期", target: true },
    { text: "任务 全部 67", target: false },
    { text: "我的任务", target: false },
    { text: "任务 7.42", target: false },
  ];
  for (const { text, target } of cases) {
    let reply = "";
    for (let i = 0; i < 5; i++) await chat.say({ speaker: "成员3", group: { name: "基准群" }, text });
    const durations: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const out = await chat.say({ speaker: `成员${(i % PEOPLE) + 1}`, group: { name: "基准群" }, text });
      durations.push(performance.now() - t0);
      reply = out[0]?.text ?? "";
    }
    const first = reply.split("\n")[0] ?? "";
    const label = `bot.handle("${text}")${target ? "" : " [extra]"}`;
    console.log(`${line(label, durations)}\n  → ${first} (${reply.split("\n").length} lines)`);
  }
  await db.close();
}
