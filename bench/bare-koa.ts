// The baseline for the callback benchmark: a bare Koa route that reads the body and answers 200,
// in its own process like the real server. Prints its URL on stdout.
import type { AddressInfo } from "node:net";
import Router from "@koa/router";
import Koa from "koa";

const app = new Koa();
const router = new Router();
router.post("/wecom/bot", async (ctx) => {
  for await (const _ of ctx.req) {
    // read the body, as the real route does
  }
  ctx.status = 200;
  ctx.body = "";
});
app.use(router.routes());
const server = app.listen(0, "127.0.0.1", () => {
  console.log(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
