import type { IncomingMessage, ServerResponse } from "node:http";

/** The routes of the simulator, as fault injection and the request log name them. */
export type RouteName = "gettoken" | "message/send" | "webhook/send" | "aibot/response";

export interface SimRequest {
  route: RouteName;
  method: string;
  query: URLSearchParams;
  body: string;
}

/** What a route answers: WeCom answers HTTP 200 with an errcode for every API-level failure. */
export type SimAnswer = Record<string, unknown> & { errcode: number; errmsg: string };

export const ok = (extra: Record<string, unknown> = {}): SimAnswer => ({
  errcode: 0,
  errmsg: "ok",
  ...extra,
});
export const fail = (errcode: number, errmsg: string): SimAnswer => ({ errcode, errmsg });

export function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error("body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=UTF-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** Parses a JSON object body; undefined when it is not one (the route answers invalidParameter). */
export function jsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export const bytes = (s: string): number => Buffer.byteLength(s, "utf8");
