/** Reading JSON that a peer sent: never throws, so a bad body or frame becomes a log line, not a crash. */

export type Json = Record<string, unknown>;

export const isJsonObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The JSON object in `text`, or why there is none (for a log line). */
export function readJsonObject(
  text: string,
): { value: Json } | { invalid: "not JSON" | "not a JSON object" } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { invalid: "not JSON" };
  }
  return isJsonObject(value) ? { value } : { invalid: "not a JSON object" };
}

/** The JSON object in `text`, or undefined for anything else (a proxy's HTML page, a truncated body). */
export function parseJsonObject(text: string): Json | undefined {
  const read = readJsonObject(text);
  return "value" in read ? read.value : undefined;
}
