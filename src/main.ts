import { readFileSync } from "node:fs";
import { text } from "node:stream/consumers";
import { runApproval } from "./cli/approval.ts";
import { runAudit } from "./cli/audit.ts";
import { runChat } from "./cli/chat.ts";
import { runDb } from "./cli/db.ts";
import { runHolidays } from "./cli/holidays.ts";
import { runOutbox } from "./cli/outbox.ts";
import { runPlan } from "./cli/plan.ts";
import { runReport } from "./cli/report.ts";
import { banner, startServer } from "./cli/serve.ts";
import { runSim } from "./cli/sim.ts";
import { runWhen } from "./cli/when.ts";
import { ConfigError, environmentWithDotenv, loadConfig } from "./config.ts";
import { openDatabase } from "./db/database.ts";
import { SessionTimeZoneError } from "./db/driver.ts";
import { MigrationError } from "./db/migrate.ts";
import { DataDirLockedError } from "./db/pglite-lock.ts";
import { runDirectoryCommand } from "./domain/directory/cli.ts";
import { systemClock } from "./lib/clock.ts";
import { createLogger, pino } from "./lib/logger.ts";
import { createMessaging } from "./platforms/messaging.ts";
import { loadHolidayFile, startRuntime } from "./runtime.ts";
import { createDashboard } from "./web/dashboard/router.ts";

const USAGE = `用法：huibao <命令> [选项]

  serve                          启动机器人服务（npm start）
  chat [--as 姓名] [--group 群名] [--dm]
                                 在终端里和机器人对话（不需要任何平台账号）
  directory import 文件.yaml [--dry-run] [--prune]
                                 从 YAML 同步单位、人员和群
  directory export [--out 文件]  把通讯录导出为 YAML
  plan import 文件 [--year 年份] [--dry-run] [--json]
                                 导入年度工作要点，生成任务（再次导入只更新改动）
  report --half 1|2 [--year 年份] [--format xlsx|docx|csv|md] [--out 文件]
                                 半年考核报表（上半年/下半年）
  sim [--memory] [--group 群名] [--as 姓名]
                                 演示：本机模拟企业微信，和真实的机器人服务对话
  outbox status | failed | retry <编号…|--all>
                                 查看待发送和发送失败的消息，修好后重发
  audit verify [--head 哈希]     重新计算审批审计记录的哈希链，找出被改动的记录
  audit export --from 日期 --to 日期 --out 文件.csv|.xlsx
                                 导出审批审计记录（检查用）
  approval show 编号 [--json]    一份送审稿的状态和各人意见
  db migrate                     应用数据库迁移（启动时也会自动执行）
  db resolve --rolled-back 名称  把失败的迁移标记为已回滚，修好后重新执行
  holidays [--file 文件.yaml] [--days 天数]
                                 检查节假日文件，列出接下来放假和调休上班的日子
  when 表达式… [--now ISO] [--tz 时区]
                                 试算中文时间（明天下午3点 → 2021-03-11T15:00:00+08:00）
  help                           显示本说明

配置来自环境变量（或当前目录的 .env 文件），见 README。`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

async function main(argv: string[]): Promise<number> {
  const [command = "help", ...rest] = argv;
  if (command === "help" || command === "--help" || command === "-h") {
    console.log(USAGE);
    return 0;
  }
  if (command === "--version" || command === "-v") {
    console.log(version());
    return 0;
  }
  if (
    ![
      "serve",
      "chat",
      "directory",
      "db",
      "outbox",
      "sim",
      "when",
      "plan",
      "report",
      "audit",
      "approval",
      "holidays",
    ].includes(command)
  ) {
    console.error(`未知命令：${command}\n\n${USAGE}`);
    return 2;
  }

  if (command === "when") {
    // The same working days as the bot: "下个工作日" must skip the holidays of HOLIDAYS_FILE too.
    loadHolidayFile(environmentWithDotenv().HOLIDAYS_FILE?.trim() || undefined);
    return runWhen(rest, {
      out: (l) => console.log(l),
      err: (l) => console.error(l),
      readStdin: () => text(process.stdin),
      now: () => new Date(),
      timezone: environmentWithDotenv().BOT_TIMEZONE?.trim(),
    });
  }

  if (command === "sim") {
    // Builds its own configuration (pointed at the simulator), runtime and server.
    return runSim(
      rest,
      {
        input: process.stdin,
        isTTY: Boolean(process.stdin.isTTY),
        out: (l) => console.log(l),
        err: (l) => console.error(l),
      },
      process.env,
    );
  }

  const config = loadConfig(environmentWithDotenv());
  // Interactive and scripted commands keep stdout for their own output; logs go to stderr.
  const logger =
    command === "serve" ? createLogger(config.logLevel) : createLogger("warn", pino.destination({ fd: 2 }));
  if (command === "holidays") {
    return await runHolidays(rest, {
      out: (l) => console.log(l),
      err: (l) => console.error(l),
      now: () => systemClock.now(),
      timezone: config.timezone,
      configuredFile: config.holidaysFile,
    });
  }
  if (command === "db") {
    const db = await openDatabase(config.databaseUrl);
    try {
      return await runDb(db, rest, { out: (l) => console.log(l), err: (l) => console.error(l) });
    } finally {
      await db.close();
    }
  }
  const runtime = await startRuntime(config, logger);

  if (command === "serve") {
    const messaging = createMessaging(runtime);
    const dashboard = createDashboard(runtime, messaging);
    const running = await startServer(
      runtime,
      [...messaging.routers, dashboard.router],
      () => messaging.stop(),
      () => dashboard.close(),
    );
    messaging.start();
    console.log(banner(runtime, running.url).join("\n"));
    for (const w of runtime.warnings) logger.warn(w);
    logger.info({ url: running.url, database: runtime.db.target.kind }, "listening");
    await new Promise<void>((resolve) => {
      const onSignal = (signal: NodeJS.Signals) => {
        logger.info({ signal }, "shutting down");
        // A stuck shutdown must not keep the process alive for ever.
        setTimeout(() => {
          logger.error("shutdown took longer than 10 s; exiting");
          process.exit(1);
        }, 10_000).unref();
        running.stop().then(resolve, (err) => {
          logger.error({ err }, "shutdown failed");
          process.exit(1);
        });
      };
      process.once("SIGTERM", onSignal);
      process.once("SIGINT", onSignal);
    });
    return 0;
  }

  try {
    if (command === "chat") {
      return await runChat(runtime, rest, {
        input: process.stdin,
        isTTY: Boolean(process.stdin.isTTY),
        out: (l) => console.log(l),
      });
    }
    if (command === "plan") {
      return await runPlan(rest, {
        db: runtime.db.prisma,
        out: (l) => console.log(l),
        err: (l) => console.error(l),
        clock: runtime.clock,
      });
    }
    if (command === "report") {
      return await runReport(rest, {
        db: runtime.db.prisma,
        now: () => runtime.clock.now(),
        timezone: config.timezone,
        out: (l) => console.log(l),
        err: (l) => console.error(l),
        write: (chunk) => process.stdout.write(chunk),
        progress: process.stderr.isTTY ? (frame) => process.stderr.write(frame) : undefined,
      });
    }
    if (command === "audit" || command === "approval") {
      const run = command === "audit" ? runAudit : runApproval;
      return await run(rest, {
        db: runtime.db.prisma,
        timezone: config.timezone,
        out: (l) => console.log(l),
        err: (l) => console.error(l),
      });
    }
    if (command === "outbox") {
      const { outbox } = createMessaging(runtime);
      return await runOutbox(outbox, rest, { out: (l) => console.log(l), err: (l) => console.error(l) });
    }
    return await runDirectoryCommand(rest, {
      db: runtime.db.prisma,
      out: (l) => console.log(l),
      err: (l) => console.error(l),
    });
  } finally {
    await runtime.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Known failures are one line for the operator, never a stack trace.
    if (
      err instanceof ConfigError ||
      err instanceof MigrationError ||
      err instanceof DataDirLockedError ||
      err instanceof SessionTimeZoneError
    ) {
      console.error(err.message);
      process.exitCode = 2;
      return;
    }
    const code = (err as { code?: string }).code;
    if (code === "EADDRINUSE") {
      console.error(
        `端口已被占用：${(err as { port?: number }).port ?? ""}。请换一个 PORT，或先停止占用它的程序。`,
      );
      process.exitCode = 2;
      return;
    }
    if (code === "ECONNREFUSED") {
      console.error(`连不上数据库：${(err as Error).message}。请检查 DATABASE_URL 和数据库是否在运行。`);
      process.exitCode = 2;
      return;
    }
    console.error(`huibao 出错：${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
