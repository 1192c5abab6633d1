import { type RunningServer, startServer } from "../../src/cli/serve.ts";
import { loadConfig } from "../../src/config.ts";
import type { Db } from "../../src/db/database.ts";
import { parseDirectoryFile } from "../../src/domain/directory/file.ts";
import { importDirectory } from "../../src/domain/directory/sync.ts";
import { FakeClock } from "../../src/lib/clock.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { createMessaging, type Messaging } from "../../src/platforms/messaging.ts";
import { type Runtime, startRuntime } from "../../src/runtime.ts";
import { createDashboard } from "../../src/web/dashboard/router.ts";

/** The real huibao server with its dashboard, on a throwaway database, as `huibao serve` wires it. */
export const TOKEN = "dashboard-token-0123456789";

export const DIRECTORY = `
units:
  - { name: 市城市管理局宣传科, aliases: [宣传科] }
  - { name: 市城市管理局环境卫生管理处, aliases: [环卫处] }
people:
  - { name: 张三, unit: 宣传科, roles: [member] }
  - { name: 李四, unit: 环卫处, roles: [member] }
  - { name: 管理员, unit: 宣传科, roles: [admin] }
groups:
  - { name: 宣传科工作群, platform: local, chat_id: "group:宣传科工作群", unit: 宣传科 }
`;

export interface DashboardServer {
  url: string;
  runtime: Runtime;
  messaging: Messaging;
  running: RunningServer;
  db: Db;
  clock: FakeClock;
  stop(): Promise<void>;
}

export async function startDashboardServer(
  opts: { token?: string; host?: string; workers?: boolean; env?: Record<string, string> } = {},
): Promise<DashboardServer> {
  const config = loadConfig({
    DATABASE_URL: "pglite:memory://",
    PORT: "0",
    HOST: opts.host ?? "127.0.0.1",
    ...(opts.token ? { ADMIN_TOKEN: opts.token } : {}),
    ...opts.env,
  });
  const clock = new FakeClock("2021-03-10T01:00:00Z");
  const runtime = await startRuntime(config, createLogger("silent"), clock);
  const parsed = parseDirectoryFile(DIRECTORY);
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  await importDirectory(runtime.db.prisma, parsed.file);
  const messaging = createMessaging(runtime);
  const dashboard = createDashboard(runtime, messaging);
  const running = await startServer(
    runtime,
    [...messaging.routers, dashboard.router],
    () => messaging.stop(),
    () => dashboard.close(),
  );
  if (opts.workers !== false) messaging.start();
  return {
    url: running.url,
    runtime,
    messaging,
    running,
    db: runtime.db.prisma,
    clock,
    stop: () => running.stop(),
  };
}

export interface SeedTask {
  code: string;
  title: string;
  due: string | null;
  lead: string[];
  support?: string[];
  leadText?: string[];
  percent?: number;
  count?: number;
  target?: number;
}

const AT = new Date("2021-02-25T00:00:00Z");

/** A plan and its tasks written straight into the tables (the importer is tested elsewhere). */
export async function seedTasks(db: Db, tasks: SeedTask[]): Promise<void> {
  const plan = await db.plan.create({
    data: { year: 2021, title: "2021年宣传工作要点", sourceSha: "seed", importedAt: AT, updatedAt: AT },
  });
  const unitId = async (alias: string) =>
    (await db.unit.findFirstOrThrow({ where: { aliases: { has: alias } } })).id;
  for (const t of tasks) {
    const target = t.target ?? null;
    const count = t.count ?? 0;
    const units = [
      ...(await Promise.all(t.lead.map(async (u) => ({ unitId: await unitId(u), role: "lead" })))),
      ...(await Promise.all(
        (t.support ?? []).map(async (u) => ({ unitId: await unitId(u), role: "support" })),
      )),
    ];
    await db.task.create({
      data: {
        planId: plan.id,
        code: t.code,
        sectionNo: Number(t.code.split(".")[0]),
        sectionTitle: "宣传工作",
        title: t.title,
        body: `${t.title}。`,
        targets: target ? [{ kind: "event", count: target, text: `${target}场` }] : [],
        targetKind: target ? "event" : null,
        targetCount: target,
        due: t.due,
        leadText: t.leadText ?? [],
        supportText: [],
        percent: target ? Math.floor((count * 100) / target) : (t.percent ?? 0),
        count,
        createdAt: AT,
        updatedAt: AT,
        units: { create: units },
      },
    });
  }
}
