import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import type { EventEmitter } from "node:events";
import { appendFileSync, createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { systemClock } from "../src/lib/clock.ts";
import { encryptMessage } from "../src/platforms/wecom/crypto.ts";
import { signature } from "../test/sim/wecom/crypto.ts";
import { startWecomSim, type WecomSim } from "../test/sim/wecom/index.ts";
import { BOT, DIRECTORY, GROUP_CHAT, GROUP_KEY } from "../test/support/wecom-bot.ts";

/**
 * Valid encrypted AI-bot callbacks (unique msgids, a 帮助 command) against the real server
 * (`huibao serve`, its own process, PGlite), and the same load against a bare Koa route in its own
 * process, in the same run. The load generator and the WeCom simulator share this process.
 * Target (issue 3): throughput ratio ≥ 0.25 and p99 < 50 ms, read on open connections after the
 * warm-up (see load and WARMUP); verdicts are printed for the first run and for the longer one (LONG).
 */
export const CONNECTIONS = 50;
export const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4000);
// Callbacks sent to each server before the measured run, so that V8 has compiled the hot paths, as in
// a server that has been up for a while.
export const WARMUP = Number(process.env.BENCH_WARMUP ?? 2000);
// A second, longer run of each server after the first: how both do once the burst has gone on for a
// while (both need less CPU per request the longer they run, measured). 0 skips it.
const LONG = Number(process.env.BENCH_LONG_REQUESTS ?? 20_000);

/**
 * `responseUrl` gives each callback the single-use reply address WeCom puts in every real one; without
 * it every reply queues for the group robot's 20 a minute (hours of backlog after a run).
 */
export function signedRequests(count: number, tag: string, responseUrl?: () => string) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return Array.from({ length: count }, (_, i) => {
    const message = {
      ...(responseUrl ? { response_url: responseUrl() } : {}),
      msgid: `bench-${tag}-${process.pid}-${i}`,
      aibotid: "aibBench",
      chatid: GROUP_CHAT,
      chattype: "group",
      from: { userid: `member${i % 50}` },
      msgtype: "text",
      text: { content: "@汇报 帮助" },
    };
    const encrypt = encryptMessage({ aesKey: BOT.aesKey, message: JSON.stringify(message), receiveId: "" });
    const nonce = String(100000 + i);
    const sig = signature(BOT.token, timestamp, nonce, encrypt);
    return {
      path: `/wecom/bot?msg_signature=${sig}&timestamp=${timestamp}&nonce=${nonce}`,
      body: JSON.stringify({ encrypt }),
    };
  });
}

/**
 * Several URLs (replicas) share the connections round-robin. Throughput is counted from the first
 * request to the last response: with `amount`, autocannon only notices it is done on its next 1 s
 * sample tick, so its own duration rounds every run up to whole seconds (4,000 requests in 1.1 s
 * would read as 2,000 req/s).
 *
 * Latencies are kept per response and split: the first request on each of the 50 connections, which
 * autocannon opens all at once, also waits for the server to accept its connection. The libuv in
 * Node 20 (1.46) accepts one connection per turn of the event loop (libuv PR #3696), so while a busy server serves
 * the connections it has, the last of 50 new ones waits about 49 turns (strace shows one accept4 per
 * turn and never EAGAIN). `p99` is taken over the other requests, on open connections as a
 * platform's keep-alive connections would be; `p99All` over every request; `firstMax` is the slowest
 * first request.
 */
export async function load(url: string | string[], requests: { path: string; body: string }[]) {
  let i = 0;
  const started = performance.now();
  let lastResponse = started;
  const open: number[] = [];
  const first: number[] = [];
  const seen = new Set<unknown>();
  // BENCH_TRACE=file writes "ms since start<TAB>latency ms" per response, to see when slow ones happen.
  const trace: string[] | undefined = process.env.BENCH_TRACE ? [] : undefined;
  const run = autocannon({
    // autocannon spreads connections over an array of URLs (connection i → url i mod n); its types
    // only say string.
    url: url as string,
    connections: CONNECTIONS,
    amount: requests.length,
    method: "POST",
    headers: { "content-type": "application/json" },
    requests: [
      {
        setupRequest: (req) => {
          const r = requests[i++ % requests.length];
          return { ...req, path: r?.path ?? "/", body: r?.body ?? "" };
        },
      },
    ],
  });
  // The promise is also autocannon's event emitter (its types only say Promise).
  (run as unknown as EventEmitter).on(
    "response",
    (client: unknown, _status: number, _bytes: number, latencyMs: number) => {
      lastResponse = performance.now();
      if (seen.has(client)) open.push(latencyMs);
      else {
        seen.add(client);
        first.push(latencyMs);
      }
      trace?.push(`${(lastResponse - started).toFixed(1)}\t${latencyMs.toFixed(1)}`);
    },
  );
  const result = await run;
  if (trace && process.env.BENCH_TRACE) {
    appendFileSync(
      process.env.BENCH_TRACE,
      `# ${Array.isArray(url) ? url.join(" ") : url}\n${trace.join("\n")}\n`,
    );
  }
  const all = [...open, ...first];
  return {
    rps: all.length / ((lastResponse - started) / 1000 || 1),
    p50: percentile(open, 0.5),
    p99: percentile(open, 0.99),
    p99All: percentile(all, 0.99),
    firstMax: Math.max(...first),
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

/** Nearest-rank percentile in ms, one decimal (NaN for no values). */
function percentile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const v = sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
  return Math.round(v * 10) / 10;
}

/**
 * Waits until the server has handled every message it acknowledged (no pending inbox rows in its
 * /metrics), so that its background work does not steal the CPU from the next measurement.
 */
export async function waitIdle(url: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<void> {
  const headers: Record<string, string> = env.ADMIN_TOKEN
    ? { authorization: `Bearer ${env.ADMIN_TOKEN}` }
    : {};
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const text = await (await fetch(`${url}/metrics`, { headers })).text();
    // Only the inbox: the replies wait in the outbox for the group robot's 20 a minute.
    const busy = /^huibao_inbox_messages\{status="pending"\} [1-9]/m;
    if (!busy.test(text)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} still busy after ${timeoutMs} ms`);
}

/**
 * Lone messages on a quiet server, one at a time: how long a member waits for the answer, from the
 * callback sent to the reply posted to its response_url (WeCom shows it in the group from then on).
 */
const LONE = { count: 10, gapMs: 300 };
async function loneReplies(sim: WecomSim, url: string) {
  const acked: number[] = [];
  const answered: number[] = [];
  for (let i = 0; i < LONE.count; i++) {
    const message = sim.botTextMessage({ chatid: GROUP_CHAT, userid: `member${i}`, content: "@汇报 帮助" });
    const sent = Date.now();
    await sim.deliverBotMessage({ url: `${url}/wecom/bot`, ...BOT, message });
    acked.push(Date.now() - sent);
    const record = sim.responseUrls.get(String(message.response_url));
    const deadline = sent + 10_000;
    while (!record.usedAt && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    answered.push(record.usedAt ? record.usedAt.getTime() - sent : Number.NaN);
    await new Promise((r) => setTimeout(r, LONE.gapMs));
  }
  const inTime = answered.filter((ms) => !Number.isNaN(ms));
  return {
    ackP50: percentile(acked, 0.5),
    answeredP50: percentile(inTime, 0.5),
    answeredMax: Math.max(...inTime),
    unanswered: answered.length - inTime.length,
  };
}

/** User + system CPU time of a process so far (Linux /proc; NaN elsewhere). */
function cpuMs(pid: number | undefined): number {
  try {
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return Number.NaN;
  }
}
// Linux reports /proc times in USER_HZ, 100 on every mainstream architecture.
const CLOCK_TICKS_PER_S = 100;

function loadAverage(): string {
  return `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`;
}

export function startChild(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "inherit"] });
  if (process.env.BENCH_LOG_FILE) child.stdout?.pipe(createWriteStream(process.env.BENCH_LOG_FILE));
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /(?:listening |已启动：)(http:\/\/[^\s（]+)/.exec(out);
      if (m?.[1] && (out.includes("按 Ctrl-C 停止") || out.startsWith("listening")))
        resolve({ url: m[1], child });
    });
    child.once("exit", (code) => reject(new Error(`child exited with ${code}: ${out}`)));
  });
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

export async function benchCallback(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "huibao-bench-"));
  const sim = await startWecomSim({ clock: systemClock });
  sim.addWebhook(GROUP_KEY, "基准群");
  const env = {
    ...process.env,
    DATABASE_URL: `pglite:${join(dir, "pglite")}`,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
    WECOM_API_BASE: sim.url,
    WECOM_BOT_TOKEN: BOT.token,
    WECOM_BOT_AES_KEY: BOT.aesKey,
  };
  writeFileSync(join(dir, "directory.yaml"), DIRECTORY);
  spawnSync(process.execPath, ["bin/huibao.js", "directory", "import", join(dir, "directory.yaml")], { env });
  // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server under load.
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const ours = await startChild([...nodeArgs, "bin/huibao.js", "serve"], env);
  const bare = await startChild(["--import", "tsx", "bench/bare-koa.ts"], env);
  try {
    const replyAt = () => sim.newResponseUrl();
    await load(ours.url, signedRequests(WARMUP, "warm", replyAt));
    const warmedAt = performance.now();
    await load(bare.url, signedRequests(WARMUP, "warm"));
    // Neither measurement may run while huibao still answers the warm-up messages.
    await waitIdle(ours.url, env);
    // How fast a burst is answered: the warm-up's messages, handled after it (and beside bare's warm-up).
    const drainS = (performance.now() - warmedAt) / 1000;
    const lone = await loneReplies(sim, ours.url);
    // The load, and the server's CPU time while it lasted.
    const measure = async (server: typeof ours, requests: { path: string; body: string }[]) => {
      const cpuFrom = cpuMs(server.child.pid);
      const result = await load(server.url, requests);
      return { result, cpu: cpuMs(server.child.pid) - cpuFrom };
    };
    const { result: baseline, cpu: bareCpuUsed } = await measure(bare, signedRequests(REQUESTS, "bare"));
    // What the server does on its own just before the run (background work it would be busy with).
    const idleFrom = cpuMs(ours.child.pid);
    await new Promise((r) => setTimeout(r, 1000));
    const idleCpuUsed = cpuMs(ours.child.pid) - idleFrom;
    const { result: measured, cpu: oursCpuUsed } = await measure(
      ours,
      signedRequests(REQUESTS, "main", replyAt),
    );
    const f = (n: number) => n.toFixed(0);
    console.log(`${CONNECTIONS} connections, ${REQUESTS} requests; each server in its own process`);
    const line = (r: Awaited<ReturnType<typeof load>>) =>
      `${f(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms on open connections; ` +
      `slowest first request ${r.firstMax.toFixed(1)} ms, p99 of all ${r.p99All} ms; failed ${r.failed}`;
    console.log(`bare Koa route:     ${line(baseline)}`);
    console.log(`huibao /wecom/bot:  ${line(measured)} (PGlite)`);
    // CPU time barely depends on what else runs on the machine, latency does: both help to read a run.
    const each = (ms: number, n: number) => (Number.isNaN(ms) ? "n/a" : `${((ms * 1000) / n).toFixed(0)} µs`);
    console.log(
      `server CPU per request: bare ${each(bareCpuUsed, REQUESTS)}, huibao ${each(oursCpuUsed, REQUESTS)}; huibao CPU in the idle second before its run: ${idleCpuUsed.toFixed(0)} ms; ${loadAverage()}`,
    );
    console.log(
      `the ${WARMUP} warm-up messages all handled ${drainS.toFixed(1)} s after the last was acknowledged ` +
        `(${(WARMUP / drainS).toFixed(0)} a second; their replies are posted by the outbox beside)`,
    );
    console.log(
      `lone 帮助 on the quiet server (${LONE.count}, ${LONE.gapMs} ms apart): acknowledged in ${lone.ackP50} ms (p50); ` +
        `answered at its response_url after ${lone.answeredP50} ms (p50), ${lone.answeredMax} ms at most; ` +
        `not answered within 10 s: ${lone.unanswered}`,
    );
    const verdict = (met: boolean) => (met ? "met" : "NOT met");
    const verdicts = (ours: Awaited<ReturnType<typeof load>>, bare: Awaited<ReturnType<typeof load>>) => {
      const ratio = ours.rps / bare.rps;
      return (
        `ratio (huibao / bare): ${ratio.toFixed(2)}, target ≥ 0.25 ${verdict(ratio >= 0.25)}; ` +
        `p99 on open connections ${ours.p99} ms, target < 50 ms ${verdict(ours.p99 < 50)}`
      );
    };
    console.log(verdicts(measured, baseline));
    if (LONG > 0) {
      // Neither long run may share the machine with huibao answering the first run's messages.
      await waitIdle(ours.url, env);
      const { result: bareLong, cpu: bareLongCpuUsed } = await measure(
        bare,
        signedRequests(LONG, "bare-long"),
      );
      const { result: oursLong, cpu: oursLongCpuUsed } = await measure(
        ours,
        signedRequests(LONG, "long", replyAt),
      );
      console.log(`then ${LONG} requests to each, same connections count, same servers:`);
      console.log(`bare Koa route:     ${line(bareLong)}`);
      console.log(`huibao /wecom/bot:  ${line(oursLong)} (PGlite)`);
      console.log(
        `server CPU per request: bare ${each(bareLongCpuUsed, LONG)}, huibao ${each(oursLongCpuUsed, LONG)}; ${loadAverage()}`,
      );
      console.log(verdicts(oursLong, bareLong));
    }
  } finally {
    await stop(ours.child);
    await stop(bare.child);
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
