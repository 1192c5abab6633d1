import Router from "@koa/router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "../../src/cli/serve.ts";
import { loadConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { startRuntime } from "../../src/runtime.ts";
import { createApp } from "../../src/web/app.ts";

const config = loadConfig({
  DATABASE_URL: "pglite:memory://",
  PORT: "0",
  HOST: "127.0.0.1",
  BODY_LIMIT_KB: "1",
});
const logger = createLogger("silent");

describe("health endpoints", () => {
  let running: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    running = await startServer(await startRuntime(config, logger));
  });
  afterAll(() => running.stop());

  it("answers /healthz and /readyz with 200 once migrated", async () => {
    const health = await fetch(`${running.url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const ready = await fetch(`${running.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", database: "pglite" });
  });

  it("refuses a body over the limit with 413", async () => {
    const res = await fetch(`${running.url}/healthz`, { method: "POST", body: "x".repeat(2048) });
    expect(res.status).toBe(413);
  });

  it("keeps a caller's request id", async () => {
    const res = await fetch(`${running.url}/healthz`, { headers: { "x-request-id": "abc-123" } });
    expect(res.headers.get("x-request-id")).toBe("abc-123");
  });
});

describe("readiness before migrations", () => {
  it("answers /readyz with 503 and says why", async () => {
    const db = await openDatabase("pglite:memory://");
    const app = createApp({ db, logger, bodyLimitBytes: 1024 });
    const server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    try {
      const { port } = server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { reason: string }).reason).toMatch(/pending migrations: \d+_init/);
    } finally {
      server.close();
      await db.close();
    }
  });
});

describe("graceful shutdown", () => {
  it("finishes a request in flight, then stops accepting and closes the database", async () => {
    const runtime = await startRuntime(config, logger);
    const slow = new Router();
    slow.get("/slow", async (ctx) => {
      await new Promise((r) => setTimeout(r, 300));
      ctx.body = "done";
    });
    const running = await startServer(runtime, [slow]);
    const inFlight = fetch(`${running.url}/slow`).then(async (r) => [r.status, await r.text()]);
    await new Promise((r) => setTimeout(r, 50));
    await running.stop();
    expect(await inFlight).toEqual([200, "done"]);
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
    await expect(runtime.db.prisma.unit.count()).rejects.toThrow();
  });
});
