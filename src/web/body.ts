import type { Context, Middleware } from "koa";
import getRawBody from "raw-body";

/**
 * Refuses a body larger than the limit before reading it (413), so a hostile client cannot make us
 * buffer megabytes. readBody enforces the same limit while streaming, for bodies without a length.
 */
export function bodyLimit(limitBytes: number): Middleware {
  return async (ctx, next) => {
    const length = Number(ctx.get("content-length") || 0);
    if (length > limitBytes) {
      ctx.status = 413;
      ctx.body = { error: `body too large (limit ${limitBytes} bytes)` };
      return;
    }
    await next();
  };
}

export async function readBody(ctx: Context, limitBytes: number): Promise<string> {
  try {
    return await getRawBody(ctx.req, { limit: limitBytes, encoding: "utf8" });
  } catch (err) {
    const e = err as { type?: string; status?: number };
    if (e.type === "entity.too.large") ctx.throw(413, `body too large (limit ${limitBytes} bytes)`);
    ctx.throw(e.status && e.status < 500 ? e.status : 400, "unreadable body");
  }
}
