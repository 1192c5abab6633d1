import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { systemClock } from "../src/lib/clock.ts";
import { encryptMessage } from "../src/platforms/wecom/crypto.ts";
import { signature } from "../test/sim/wecom/crypto.ts";
import { startWecomSim } from "../test/sim/wecom/index.ts";
import { BOT, DIRECTORY, GROUP_CHAT, GROUP_KEY } from "../test/support/wecom-bot.ts";

/**
 * Valid encrypted AI-bot callbacks (unique msgids, a 帮助 command) against the real server
 * (`huibao serve`, its own process, PGlite), and the same load against a bare Koa route in its own
 * process, in the same run. The load generator and the WeCom simulator share this process.
 * Target (issue 3): throughput ratio ≥ 0.25 and p99 < 50 ms.
 */
export const CONNECTIONS = 50;
export const REQUESTS = 4000;

export function signedRequests(count: number, tag: string) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return Array.from({ length: count }, (_, i) => {
    const message = {
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

/** Several URLs (replicas) share the connections round-robin. */
export async function load(url: string | string[], requests: { path: string; body: string }[]) {
  let i = 0;
  const result = await autocannon({
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
  return {
    rps: result.requests.total / (result.duration || 1),
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors + result.timeouts,
  };
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
  const ours = await startChild(["bin/huibao.js", "serve"], env);
  const bare = await startChild(["--import", "tsx", "bench/bare-koa.ts"], env);
  try {
    await load(ours.url, signedRequests(200, "warm"));
    await load(bare.url, signedRequests(200, "warm"));
    const baseline = await load(bare.url, signedRequests(REQUESTS, "bare"));
    const measured = await load(ours.url, signedRequests(REQUESTS, "main"));
    const f = (n: number) => n.toFixed(0);
    console.log(`${CONNECTIONS} connections, ${REQUESTS} requests; each server in its own process`);
    console.log(
      `bare Koa route:     ${f(baseline.rps)} req/s, p50 ${baseline.p50} ms, p99 ${baseline.p99} ms, failed ${baseline.failed}`,
    );
    console.log(
      `huibao /wecom/bot:  ${f(measured.rps)} req/s, p50 ${measured.p50} ms, p99 ${measured.p99} ms, failed ${measured.failed} (PGlite)`,
    );
    console.log(
      `ratio (huibao / bare): ${(measured.rps / baseline.rps).toFixed(2)}   target ≥ 0.25; p99 target < 50 ms`,
    );
  } finally {
    await stop(ours.child);
    await stop(bare.child);
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
