import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type Router from "@koa/router";
import { describePlatforms } from "../config.ts";
import type { Runtime } from "../runtime.ts";
import { createApp } from "../web/app.ts";

export interface RunningServer {
  url: string;
  server: Server;
  /** Stops accepting, lets in-flight requests finish (up to the shutdown timeout), closes the database. */
  stop(): Promise<void>;
}

/**
 * `beforeClose` runs after the last request finished and before the database closes: the place to
 * stop workers, which may still be writing. `onStopping` runs as soon as stopping begins: the place
 * to end responses that never finish on their own (the dashboard's live streams).
 */
export async function startServer(
  runtime: Runtime,
  routers: Router[] = [],
  beforeClose: () => Promise<void> = async () => {},
  onStopping: () => void = () => {},
): Promise<RunningServer> {
  const { config, logger } = runtime;
  const app = createApp({
    db: runtime.db,
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    routers,
    clock: runtime.clock,
    adminToken: config.adminToken,
  });
  const server = app.listen({ port: config.port, host: config.host });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const url = `http://${shownHost}:${port}`;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      onStopping();
      server.closeIdleConnections();
      const timeout = new Promise<"timeout">((resolve) => {
        setTimeout(() => resolve("timeout"), config.shutdownTimeoutMs).unref();
      });
      if ((await Promise.race([closed, timeout])) === "timeout") {
        logger.warn("in-flight requests did not finish in time; closing their connections");
        server.closeAllConnections();
        await closed;
      }
      await beforeClose().catch((err: unknown) => logger.error({ err }, "stopping workers failed"));
      await runtime.close();
    })();
    return stopping;
  };
  return { url, server, stop };
}

export function banner(runtime: Runtime, url: string): string[] {
  const platforms = describePlatforms(runtime.config);
  return [
    `汇报 huibao 已启动：${url}（监听 ${runtime.config.host}:${new URL(url).port}）`,
    `数据库：${runtime.db.target.label}`,
    platforms.length > 0
      ? `已配置平台：${platforms.join("；")}`
      : "已配置平台：无（可以先运行 npx huibao chat 在终端里和机器人对话）",
    ...runtime.warnings.map((w) => `注意：${w}`),
    "健康检查：/healthz  就绪检查：/readyz  管理台：/dashboard   按 Ctrl-C 停止",
  ];
}
