import { readFileSync } from "node:fs";
import { runChat } from "./cli/chat.ts";
import { runDb } from "./cli/db.ts";
import { runOutbox } from "./cli/outbox.ts";
import { banner, startServer } from "./cli/serve.ts";
import { runSim } from "./cli/sim.ts";
import { ConfigError, environmentWithDotenv, loadConfig } from "./config.ts";
import { openDatabase } from "./db/database.ts";
import { MigrationError } from "./db/migrate.ts";
import { DataDirLockedError } from "./db/pglite-lock.ts";
import { runDirectoryCommand } from "./domain/directory/cli.ts";
import { createLogger, pino } from "./lib/logger.ts";
import { createMessaging } from "./platforms/messaging.ts";
import { startRuntime } from "./runtime.ts";

const USAGE = `用法：huibao <命令> [选项]

  serve                          启动机器人服务（npm start）
  chat [--as 姓名] [--group 群名] [--dm]
                                 在终端里和机器人对话（不需要任何平台账号）
  directory import 文件.yaml [--dry-run] [--prune]
                                 从 YAML 同步单位、人员和群
  directory export [--out 文件]  把通讯录导出为 YAML
  sim [--memory] [--group 群名] [--as 姓名]
                                 演示：本机模拟企业微信，和真实的机器人服务对话
  outbox status | failed | retry <编号…|--all>
                                 查看待发送和发送失败的消息，修好后重发
  db migrate                     应用数据库迁移（启动时也会自动执行）
  db resolve --rolled-back 名称  把失败的迁移标记为已回滚，修好后重新执行
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
  if (!["serve", "chat", "directory", "db", "outbox", "sim"].includes(command)) {
    console.error(`未知命令：${command}\n\n${USAGE}`);
    return 2;
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
    const running = await startServer(runtime, messaging.routers, () => messaging.stop());
    messaging.start();
    console.log(banner(runtime, running.url).join("\n"));
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
    if (err instanceof ConfigError || err instanceof MigrationError || err instanceof DataDirLockedError) {
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
