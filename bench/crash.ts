import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Db, openDatabase } from "../src/db/database.ts";
import { systemClock } from "../src/lib/clock.ts";
import { startWecomSim, type WecomSim } from "../test/sim/wecom/index.ts";
import { BOT, GROUP_CHAT, GROUP_KEY } from "../test/support/wecom-bot.ts";
import { startChild } from "./callback.ts";
import { scratchDatabase } from "./replicas.ts";

/**
 * Issue 9, proof 2: 500 progress reports (`进度 1.1 +1`) from 50 members stream into two replicas on
 * one PostgreSQL while replica A is killed with SIGKILL and restarted. Callbacks retry the way WeCom
 * does (a failed or refused delivery is tried again, here through the other replica, as a load
 * balancer would). Checks: every acknowledged report is stored exactly once (rows, distinct message
 * ids and the task's count agree), and every acknowledged member got exactly one answer.
 */
const REPORTS = 500;
const MEMBERS = 50;
const CONCURRENCY = 10;

export function directory(): string {
  const people = Array.from(
    { length: MEMBERS },
    (_, i) => `  - name: 成员${i}\n    unit: 宣传科\n    roles: [member]\n    wecom: member${i}`,
  ).join("\n");
  return `units:\n  - name: 市城市管理局宣传科\n    aliases: [宣传科]\npeople:\n${people}\ngroups:\n  - name: 宣传科工作群\n    platform: wecom\n    chat_id: ${GROUP_CHAT}\n    unit: 宣传科\n    webhook_key: ${GROUP_KEY}\n`;
}

/**
 * What the benches with real `huibao serve` processes on PostgreSQL share: a scratch database, the
 * WeCom simulator, the 50-member directory imported, and the servers' environment (`wecomEnv` adds the
 * bot's settings). Undefined, saying why, when no PostgreSQL server is named.
 */
export async function pgWecomBench(name: string, wecomEnv: (sim: WecomSim) => Record<string, string>) {
  const server = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!server) {
    console.log("skipped: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL server");
    return undefined;
  }
  const scratch = await scratchDatabase(server);
  const sim = await startWecomSim({ clock: systemClock });
  sim.addWebhook(GROUP_KEY, "宣传科工作群");
  const dir = mkdtempSync(join(tmpdir(), `huibao-${name}-`));
  const env = {
    ...process.env,
    DATABASE_URL: scratch.url,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "error",
    WECOM_API_BASE: sim.url,
    ...wecomEnv(sim),
  };
  importBenchDirectory(env, dir);
  return {
    sim,
    env,
    scratch,
    /** Closes the simulator, drops the database and removes the directory file. */
    async close() {
      await sim.close();
      await scratch.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes the 50-member directory into `dir` and imports it with the CLI, as an operator would. */
export function importBenchDirectory(env: NodeJS.ProcessEnv, dir: string): void {
  writeFileSync(join(dir, "directory.yaml"), directory());
  const imported = spawnSync(
    process.execPath,
    ["bin/huibao.js", "directory", "import", join(dir, "directory.yaml")],
    { env, encoding: "utf8" },
  );
  if (imported.status !== 0) throw new Error(`directory import failed: ${imported.stderr}`);
}

/** Plan 2026 with task 1.1 (lead 宣传科, a counted target far out of reach) for `进度 1.1 +1`. */
export async function seedCountedTask(db: Db): Promise<void> {
  const now = new Date();
  const plan = await db.plan.create({
    data: { year: 2026, title: "2026年宣传工作要点", sourceSha: "crash", importedAt: now, updatedAt: now },
  });
  const unit = await db.unit.findFirstOrThrow({ where: { name: "市城市管理局宣传科" } });
  await db.task.create({
    data: {
      planId: plan.id,
      code: "1.1",
      sectionNo: 1,
      sectionTitle: "加强学习教育",
      title: "落实集中学习制度",
      body: "",
      targets: [{ kind: "other", count: 100_000, text: "学习" }],
      targetKind: "other",
      targetCount: 100_000,
      createdAt: now,
      updatedAt: now,
      units: { create: [{ unitId: unit.id, role: "lead" }] },
    },
  });
}

export async function benchCrash(): Promise<void> {
  const bench = await pgWecomBench("crash", () => ({
    WECOM_BOT_TOKEN: BOT.token,
    WECOM_BOT_AES_KEY: BOT.aesKey,
  }));
  if (!bench) return;
  const { sim, env, scratch } = bench;
  const db = await openDatabase(scratch.url);
  await seedCountedTask(db.prisma);

  let a = await startChild(["bin/huibao.js", "serve"], env);
  const b = await startChild(["bin/huibao.js", "serve"], env);
  const urls = () => [a.url, b.url];
  const acked = new Map<string, string>(); // msgid → response_url
  let refused = 0;
  let lost = 0;
  let killedAt = -1;
  let restartedAt = -1;
  const started = performance.now();
  try {
    let next = 0;
    const worker = async () => {
      for (;;) {
        const i = next++;
        if (i >= REPORTS) return;
        if (i === 150) {
          killedAt = i;
          a.child.kill("SIGKILL");
        }
        if (i === 300) {
          restartedAt = i;
          a = await startChild(["bin/huibao.js", "serve"], env);
        }
        const message = sim.botTextMessage({
          chatid: GROUP_CHAT,
          userid: `member${i % MEMBERS}`,
          content: `@汇报 进度 1.1 +1 第${i + 1}次学习`,
        });
        // WeCom's three deliveries; each retry may land on the other replica (load balancer).
        let ok = false;
        for (let attempt = 0; attempt < 3 && !ok; attempt++) {
          const url = urls()[(i + attempt) % 2] as string;
          const r = await sim.deliverBotMessage({
            url: `${url}/wecom/bot`,
            ...BOT,
            message,
            attempts: 1,
            timeoutMs: 5000,
          });
          if (r.delivered) ok = true;
          else refused++;
        }
        if (ok) acked.set(String(message.msgid), String(message.response_url));
        else lost++;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const sendMs = performance.now() - started;

    // Wait until every acknowledged report is handled (or a minute passes).
    const deadline = Date.now() + 60_000;
    let answered = 0;
    while (Date.now() < deadline) {
      answered = [...acked.values()].filter((u) => sim.responseUrls.get(u).body !== undefined).length;
      if (answered === acked.size) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 2000)); // late duplicates would show up here
    const rows = await db.prisma.progressReport.findMany({ select: { messageId: true } });
    const distinct = new Set(rows.map((r) => r.messageId)).size;
    const task = await db.prisma.task.findFirstOrThrow({ where: { code: "1.1" } });
    const answeredOnce = [...acked.values()].filter(
      (u) => sim.responseUrls.get(u).attempts.filter((x) => x.errcode === 0).length === 1,
    ).length;
    const webhookAnswers = sim.webhooks.get(GROUP_KEY).messages.length;
    console.log(
      `${REPORTS} reports from ${MEMBERS} members over 2 replicas on PostgreSQL; replica A killed (SIGKILL) at report ${killedAt + 1}, restarted at ${restartedAt + 1}; sent in ${(sendMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `acknowledged ${acked.size}, not acknowledged after 3 deliveries ${lost}, deliveries refused or failed ${refused}`,
    );
    console.log(
      `stored ${rows.length} reports, ${distinct} distinct message ids, task count ${task.count}` +
        ` → ${rows.length === acked.size && distinct === acked.size && task.count === acked.size ? "each acknowledged report stored exactly once: ok" : "MISMATCH"}`,
    );
    console.log(
      `answered ${answered}/${acked.size}, exactly once through response_url ${answeredOnce}/${acked.size}, fallback group messages ${webhookAnswers}` +
        ` → ${answeredOnce === acked.size && webhookAnswers === 0 ? "every member answered once: ok" : "MISMATCH"}`,
    );
  } finally {
    a.child.kill("SIGTERM");
    b.child.kill("SIGTERM");
    await db.close();
    await new Promise((r) => setTimeout(r, 1000));
    await bench.close();
  }
}
