import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
// The simulator lives with the tests, where it was built to play WeCom against the real server; the
// demo reuses it as is (bin/huibao.js runs the sources through tsx, so no build step excludes it).
import { type RequestRecord, startWecomSim, type WecomSim } from "../../test/sim/wecom/index.ts";
import { environmentWithDotenv, loadConfig } from "../config.ts";
import type { Db } from "../db/database.ts";
import { createLogger } from "../lib/logger.ts";
import { createMessaging } from "../platforms/messaging.ts";
import { type Runtime, startRuntime } from "../runtime.ts";
import { type RunningServer, startServer } from "./serve.ts";
import { readUtterances } from "./utterances.ts";

export interface SimIO {
  input: NodeJS.ReadableStream;
  isTTY: boolean;
  out(line: string): void;
  err(line: string): void;
}

const USAGE = "用法：huibao sim [--group 群名] [--as 姓名] [--memory] [--port 端口]";
const PREFIX = "企业微信 →";
const SETTLE_MS = 10_000;

interface SimGroup {
  name: string;
  chatId: string;
}

/** Every wecom group with a robot key gets a robot in the simulator, so the fallback door works too. */
async function prepareGroups(
  db: Db,
  sim: WecomSim,
): Promise<{ groups: SimGroup[]; keys: Map<string, string> }> {
  let groups = await db.group.findMany({ where: { platform: "wecom" }, orderBy: { id: "asc" } });
  if (groups.length === 0) {
    // A directory without WeCom groups (a fresh install) still gets a group to talk in.
    const chatId = `wrDemo${randomBytes(8).toString("hex")}`;
    const demo = await db.group.upsert({
      where: { platform_chatId: { platform: "wecom", chatId } },
      create: {
        platform: "wecom",
        chatId,
        name: "演示群",
        webhookKey: randomBytes(18).toString("base64url"),
      },
      update: {},
    });
    groups = [demo];
  }
  const keys = new Map<string, string>();
  for (const g of groups) {
    if (!g.webhookKey) continue;
    sim.addWebhook(g.webhookKey, g.name);
    keys.set(g.webhookKey, g.name);
  }
  return { groups: groups.map((g) => ({ name: g.name, chatId: g.chatId })), keys };
}

/** A group by name, or the wecom group of a unit named by name or alias (as `huibao chat` does). */
async function pickGroup(
  db: Db,
  groups: SimGroup[],
  name: string | undefined,
): Promise<SimGroup | undefined> {
  if (name === undefined) return groups[0];
  const byName = groups.find((g) => g.name === name);
  if (byName) return byName;
  const unit = await db.unit.findFirst({ where: { OR: [{ name }, { aliases: { has: name } }] } });
  const own = unit && (await db.group.findFirst({ where: { unitId: unit.id, platform: "wecom" } }));
  return own ? groups.find((g) => g.chatId === own.chatId) : undefined;
}

/** An admin who has a WeCom account, so a new user can try every command; else an unknown visitor. */
async function defaultSpeaker(db: Db): Promise<string> {
  const admin = await db.person.findFirst({
    where: { placed: true, roles: { has: "admin" }, wecomUserId: { not: null } },
    orderBy: { id: "asc" },
  });
  return admin?.name ?? "访客";
}

async function userIdOf(db: Db, name: string): Promise<string> {
  const p = await db.person.findFirst({
    where: { name, wecomUserId: { not: null } },
    orderBy: { id: "asc" },
  });
  return p?.wecomUserId ?? name;
}

/** Inbox messages not yet answered, or replies not yet delivered. */
async function pendingWork(db: Db): Promise<number> {
  const [inbox, outbox] = await Promise.all([
    db.inboxMessage.count({ where: { status: "pending" } }),
    db.outboxMessage.count({ where: { status: { in: ["queued", "sending"] } } }),
  ]);
  return inbox + outbox;
}

/** Waits until the bot has nothing left to answer or send; false when it took longer than the cap. */
async function settle(db: Db, capMs = SETTLE_MS): Promise<boolean> {
  const deadline = Date.now() + capMs;
  for (;;) {
    if ((await pendingWork(db)) === 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function contentOf(body: string): string[] {
  let msg: Record<string, unknown>;
  try {
    msg = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return [body];
  }
  const type = String(msg.msgtype ?? "");
  const part = msg[type] as { content?: unknown } | undefined;
  if (typeof part?.content === "string") return part.content.split("\n");
  return [`[${type || "未知"}消息]`];
}

/** Prints what the simulator received from the bot, in arrival order, one line of content a line. */
function createPrinter(
  sim: WecomSim,
  db: Db,
  io: SimIO,
  doors: Map<string, string>,
  keys: Map<string, string>,
) {
  let seen = 0;
  let printing = Promise.resolve();
  const label = async (r: RequestRecord): Promise<string[]> => {
    if (r.route === "aibot/response")
      return [`${doors.get(r.query.response_code ?? "") ?? "未知会话"}（回复）`];
    if (r.route === "webhook/send") return [`群「${keys.get(r.query.key ?? "") ?? "未知群"}」（群机器人）`];
    const touser = String((JSON.parse(r.body) as { touser?: unknown }).touser ?? "");
    return Promise.all(
      touser.split("|").map(async (id) => {
        const p = await db.person.findFirst({ where: { wecomUserId: id } });
        return `单聊「${p?.name ?? id}」（应用消息）`;
      }),
    );
  };
  const drain = async (final: boolean) => {
    while (seen < sim.requests.length) {
      const r = sim.requests[seen] as RequestRecord;
      // Status 0: still being answered (only with injected faults); wait for it to keep the order.
      if (r.status === 0 && !final) break;
      seen++;
      if (r.route !== "aibot/response" && r.route !== "webhook/send" && r.route !== "message/send") continue;
      const notes = [
        r.status !== 200 ? `HTTP ${r.status}` : "",
        r.errcode ? `企业微信拒收：errcode ${r.errcode}` : "",
      ].filter(Boolean);
      const suffix = notes.length > 0 ? `〔${notes.join("，")}〕` : "";
      for (const where of await label(r).catch(() => ["未知会话"])) {
        for (const line of contentOf(r.body)) io.out(`${PREFIX} ${where}${suffix}：${line}`);
      }
    }
  };
  // Chained, so the timer and an explicit flush never print the same request twice.
  return (final = false) => {
    printing = printing.then(() => drain(final));
    return printing;
  };
}

export async function runSim(
  argv: string[],
  io: SimIO,
  env: Record<string, string | undefined>,
): Promise<number> {
  let values: { group?: string; as?: string; memory?: boolean; port?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        group: { type: "string" },
        as: { type: "string" },
        memory: { type: "boolean", default: false },
        port: { type: "string" },
      },
      strict: true,
    }));
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }

  const sim = await startWecomSim();
  let running: RunningServer | undefined;
  let runtime: Runtime | undefined;
  try {
    const secret = () => randomBytes(16).toString("hex");
    // 32 random bytes in base64 are 43 characters plus one "=": exactly an EncodingAESKey.
    const aesKey = () => randomBytes(32).toString("base64").slice(0, 43);
    const config = loadConfig({
      ...environmentWithDotenv(env),
      ...(values.memory ? { DATABASE_URL: "pglite:memory://" } : {}),
      HOST: "127.0.0.1",
      PORT: values.port ?? "0",
      WECOM_API_BASE: sim.url,
      WECOM_BOT_MODE: "http",
      WECOM_BOT_TOKEN: secret(),
      WECOM_BOT_AES_KEY: aesKey(),
      WECOM_CORP_ID: sim.app.corpId,
      WECOM_APP_TOKEN: secret(),
      WECOM_APP_AES_KEY: aesKey(),
      WECOM_APP_SECRET: sim.app.secret,
      WECOM_AGENT_ID: sim.app.agentId,
      // Real credentials from .env must not make the demo talk to the real platforms.
      WECOM_BOT_ID: "",
      WECOM_BOT_SECRET: "",
      DINGTALK_MODE: "http",
      DINGTALK_APP_KEY: "",
      DINGTALK_APP_SECRET: "",
    });
    const bot = config.wecom.bot as { token: string; aesKey: string };
    // Logs go to err, keeping out for the transcript.
    runtime = await startRuntime(config, createLogger("warn", { write: (s: string) => io.err(s.trimEnd()) }));
    const db = runtime.db.prisma;

    // Work queued by a real server would be "delivered" to the simulator and be lost for the real chats.
    const leftover = await pendingWork(db);
    if (leftover > 0) {
      io.err(
        `数据库（${runtime.db.target.label}）里还有 ${leftover} 条未处理或待发送的消息，它们属于真实的平台。` +
          "请先用 huibao serve 处理完（huibao outbox status 可查看），或加 --memory 使用临时数据库。",
      );
      return 2;
    }
    const { groups, keys } = await prepareGroups(db, sim);
    const group = await pickGroup(db, groups, values.group);
    if (!group) {
      io.err(`没有叫「${values.group}」的企业微信群。可选：${groups.map((g) => g.name).join("、")}`);
      return 2;
    }

    const messaging = createMessaging(runtime);
    running = await startServer(runtime, messaging.routers, () => messaging.stop());
    messaging.start();
    const botUrl = `${running.url}/wecom/bot`;

    // The response_url of each delivered line, to name the chat that a reply through it belongs to.
    const doors = new Map<string, string>();
    const print = createPrinter(sim, db, io, doors, keys);
    const ticker = setInterval(() => void print(), 50);
    const rl = createInterface({ input: io.input, terminal: false });
    // Ctrl-C ends the input like Ctrl-D, so replies on their way still arrive and everything closes.
    const onSigint = () => rl.close();
    process.once("SIGINT", onSigint);
    try {
      let speaker = values.as ?? (await defaultSpeaker(db));
      const where = `群「${group.name}」`;
      if (io.isTTY) {
        io.out(
          `模拟企业微信已启动，机器人地址 ${botUrl}；你在${where}，当前身份：${speaker}。输入「帮助」开始；「名字> 内容」换人说话；Ctrl-D 退出。`,
        );
      }
      for await (const u of readUtterances(rl, { speaker, isTTY: io.isTTY })) {
        const { text, line } = u;
        speaker = u.speaker;
        // A piped transcript shows who said what; on a terminal the typed line is already there.
        if (!io.isTTY) io.out(`${speaker}> ${line}`);
        // WeCom passes a group message to the AI bot only when it @-mentions it, U+2005 after the name.
        const content = text.trimStart().startsWith("@")
          ? text
          : `@${config.botNames[0] ?? "汇报"}\u2005${text}`;
        const message = sim.botTextMessage({
          chatid: group.chatId,
          userid: await userIdOf(db, speaker),
          content,
        });
        doors.set(new URL(String(message.response_url)).searchParams.get("response_code") ?? "", where);
        const delivery = await sim.deliverBotMessage({ url: botUrl, ...bot, message });
        if (delivery.attempts.some((a) => a.status !== 200)) {
          const statuses = delivery.attempts.map((a) => (a.status ? `HTTP ${a.status}` : a.error)).join("、");
          io.out(`${PREFIX} 回调：企业微信收到机器人的应答 ${statuses}`);
        }
        // One line's replies before the next line, so the transcript reads as a conversation.
        await settle(db);
        await print();
      }
      if (!(await settle(db))) io.err(`还有回复在 ${SETTLE_MS / 1000} 秒内没有发出，不再等待。`);
      return 0;
    } finally {
      process.removeListener("SIGINT", onSigint);
      rl.close();
      clearInterval(ticker);
      await print(true); // whatever arrived since the last tick
    }
  } finally {
    // running.stop() stops the workers and closes the database; without a server only the database is open.
    if (running) await running.stop();
    else await runtime?.close();
    await sim.close();
  }
}
