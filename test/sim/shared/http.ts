import type { IncomingMessage, ServerResponse } from "node:http";

/** HTTP plumbing both simulators share; the platform modules pick their own content-type. */

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

export type SendJson = (res: ServerResponse, status: number, body: unknown) => void;

/** A JSON writer sending `contentType` exactly as the platform spells it. */
export const jsonSender =
  (contentType: string): SendJson =>
  (res, status, body) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "content-type": contentType,
      "content-length": Buffer.byteLength(text),
    });
    res.end(text);
  };

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Parses a JSON object body; undefined when it is not one. */
export function jsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export const bytes = (s: string): number => Buffer.byteLength(s, "utf8");
