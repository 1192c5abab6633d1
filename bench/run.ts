// `npm run bench [name…]`: runs the benchmarks and prints their numbers. Targets are checked by
// reading these numbers, never by timed assertions in tests.
import { benchBoard } from "./board.ts";
import { benchCallback } from "./callback.ts";
import { benchCommands } from "./commands.ts";
import { benchCrash } from "./crash.ts";
import { benchOutboxBacklog } from "./outbox-backlog.ts";
import { benchPgRestart } from "./pg-restart.ts";
import { benchPlanImport } from "./plan-import.ts";
import { benchQueueHistory } from "./queue-history.ts";
import { benchReplicas } from "./replicas.ts";
import { benchScheduler } from "./scheduler.ts";
import { benchTakeover } from "./takeover.ts";

const benches: Record<string, () => Promise<void>> = {
  commands: benchCommands,
  callback: benchCallback,
  board: benchBoard,
  "plan-import": benchPlanImport,
  scheduler: benchScheduler,
  "outbox-backlog": benchOutboxBacklog,
  "queue-history": benchQueueHistory,
  replicas: benchReplicas,
  crash: benchCrash,
  "pg-restart": benchPgRestart,
  takeover: benchTakeover,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in benches));
if (unknown.length > 0) {
  console.error(`未知的基准：${unknown.join(", ")}（可选：${Object.keys(benches).join(", ")}）`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(benches)) {
  console.log(`\n== ${name}`);
  await benches[name]?.();
}
