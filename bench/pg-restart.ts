import { spawnSync } from "node:child_process";
import { chownSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../src/db/database.ts";
import { systemClock } from "../src/lib/clock.ts";
import { startWecomSim } from "../test/sim/wecom/index.ts";
import { BOT, GROUP_CHAT, GROUP_KEY } from "../test/support/wecom-bot.ts";
import { startChild } from "./callback.ts";
import { importBenchDirectory, seedCountedTask } from "./crash.ts";

/**
 * Issue 9, proof 4: PostgreSQL restarted in the middle of a run. A private PostgreSQL cluster (initdb
 * in a temporary directory, run as the `postgres` system user, so the shared server is not touched)
 * serves one bot; 300 progress reports stream in with WeCom's retries; at the 100th the cluster is
 * restarted (`pg_ctl restart -m fast`). Checks: the bot recovers on its own (/readyz 200 again), every
 * acknowledged report is stored exactly once, every acknowledged member is answered once.
 */
const REPORTS = 300;
const CONCURRENCY = 5;
const BIN = "/usr/lib/postgresql/15/bin";

function asPostgres(command: string): void {
  const r = spawnSync("su", ["postgres", "-s", "/bin/sh", "-c", command], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${command}: ${r.stderr || r.stdout}`);
}

export async function benchPgRestart(): Promise<void> {
  if (spawnSync("id", ["postgres"]).status !== 0 || spawnSync(`${BIN}/initdb`, ["--version"]).status !== 0) {
    console.log(`skipped: needs PostgreSQL 15's binaries in ${BIN} and a postgres system user`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "huibao-pgrestart-"));
  chownSync(dir, Number(spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout.trim()), -1);
  const port = 50_000 + Math.floor(Math.random() * 10_000);
  const ctl = (action: string) =>
    asPostgres(`${BIN}/pg_ctl -D ${dir}/data -o '-p ${port} -k ${dir}' -l ${dir}/log -w ${action}`);
  asPostgres(`${BIN}/initdb -D ${dir}/data -A trust -U root >/dev/null`);
  ctl("start");
  const sim = await startWecomSim({ clock: systemClock });
  sim.addWebhook(GROUP_KEY, "宣传科工作群");
  const env = {
    ...process.env,
    DATABASE_URL: `postgresql://root@127.0.0.1:${port}/postgres`,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "fatal",
    WECOM_API_BASE: sim.url,
    WECOM_BOT_TOKEN: BOT.token,
    WECOM_BOT_AES_KEY: BOT.aesKey,
  };
  importBenchDirectory(env, dir);
  const seed = await openDatabase(env.DATABASE_URL);
  await seedCountedTask(seed.prisma);
  await seed.close();

  const bot = await startChild(["bin/huibao.js", "serve"], env);
  const acked = new Map<string, string>();
  let lost = 0;
  let refused = 0;
  let restartMs = 0;
  try {
    let next = 0;
    const worker = async () => {
      for (;;) {
        const i = next++;
        if (i >= REPORTS) return;
        if (i === 100) {
          const t = performance.now();
          ctl("restart -m fast");
          restartMs = performance.now() - t;
        }
        const message = sim.botTextMessage({
          chatid: GROUP_CHAT,
          userid: `member${i % 50}`,
          content: `@汇报 进度 1.1 +1 第${i + 1}次学习`,
        });
        const r = await sim.deliverBotMessage({
          url: `${bot.url}/wecom/bot`,
          ...BOT,
          message,
          attempts: 3,
          retryDelayMs: 1500,
          timeoutMs: 5000,
        });
        refused += r.attempts.filter((a) => a.status !== 200).length;
        if (r.delivered) acked.set(String(message.msgid), String(message.response_url));
        else lost++;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const deadline = Date.now() + 90_000;
    let answered = 0;
    while (Date.now() < deadline) {
      answered = [...acked.values()].filter((u) => sim.responseUrls.get(u).body !== undefined).length;
      if (answered === acked.size) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 2000));
    const ready = await fetch(`${bot.url}/readyz`).then((r) => r.status);
    const db = await openDatabase(env.DATABASE_URL);
    const rows = await db.prisma.progressReport.findMany({ select: { messageId: true } });
    const task = await db.prisma.task.findFirstOrThrow({ where: { code: "1.1" } });
    await db.close();
    const distinct = new Set(rows.map((r) => r.messageId)).size;
    const once = [...acked.values()].filter(
      (u) => sim.responseUrls.get(u).attempts.filter((x) => x.errcode === 0).length === 1,
    ).length;
    console.log(
      `${REPORTS} reports into one replica on a private PostgreSQL; the server restarted (pg_ctl restart -m fast, ${(restartMs / 1000).toFixed(1)} s) at the 101st`,
    );
    console.log(
      `acknowledged ${acked.size}, not acknowledged after 3 deliveries ${lost}, refused deliveries ${refused}; /readyz after the run: ${ready}`,
    );
    console.log(
      `stored ${rows.length} reports, ${distinct} distinct ids, task count ${task.count} → ${rows.length === acked.size && distinct === acked.size && task.count === acked.size ? "each acknowledged report stored exactly once: ok" : "MISMATCH"}`,
    );
    console.log(
      `answered ${answered}/${acked.size}, exactly once ${once}/${acked.size} → ${once === acked.size ? "every member answered once: ok" : "MISMATCH"}`,
    );
  } finally {
    bot.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1500));
    await sim.close();
    try {
      ctl("stop -m fast");
    } catch {
      // already down
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
