import { isJsonObject, parseJsonObject, readJsonObject } from "../../lib/json.ts";
/**
 * The Stream mode wire format, as the official SDKs (dingtalk-stream for Node, Python, Go) speak it.
 * Down (DingTalk → us), one JSON text message each:
 *   `{specVersion:"1.0", type:"SYSTEM"|"EVENT"|"CALLBACK", headers:{messageId, topic, contentType, time, …}, data:"<json string>"}`
 * Up (us → DingTalk): `{code:200, headers:{contentType:"application/json", messageId}, message:"OK", data}`.
 * SYSTEM topics: "ping" (echo it back), "disconnect" (DingTalk is about to close this connection),
 * and informational ones (CONNECTED, REGISTERED, KEEPALIVE).
 */

export const TOPIC_ROBOT = "/v1.0/im/bot/messages/get";
export const ROBOT_SUBSCRIPTIONS = [{ type: "CALLBACK", topic: TOPIC_ROBOT }] as const;

export interface StreamHeaders {
  messageId: string;
  topic: string;
  contentType?: string;
  /** ms since the epoch, as a string. */
  time?: string;
  [key: string]: unknown;
}

export type DownFrame =
  /** data is undefined when the frame carried none we can read: ack it, do not handle it. */
  | { kind: "callback"; headers: StreamHeaders; data: string | undefined }
  | { kind: "event"; headers: StreamHeaders; data: string | undefined }
  | { kind: "ping"; headers: StreamHeaders; data: unknown }
  | { kind: "disconnect"; headers: StreamHeaders; reason: string }
  | { kind: "system"; headers: StreamHeaders }
  | { kind: "invalid"; reason: string };

export interface UpFrame {
  code: number;
  headers: Record<string, unknown>;
  message: string;
  data: unknown;
}

/** Never throws: whatever arrives becomes a DownFrame, bad ones {kind:"invalid"} for a log line. */
export function parseDownFrame(raw: string): DownFrame {
  const read = readJsonObject(raw);
  if ("invalid" in read) return { kind: "invalid", reason: read.invalid };
  const value = read.value;
  if (!isJsonObject(value.headers)) return { kind: "invalid", reason: "no headers object" };
  const messageId = value.headers.messageId;
  if (typeof messageId !== "string" || messageId === "") return { kind: "invalid", reason: "no messageId" };
  const topic = typeof value.headers.topic === "string" ? value.headers.topic : "";
  const headers: StreamHeaders = { ...value.headers, messageId, topic };
  // Some SDK fixtures show data as an object; the documented form is a JSON string. Take both.
  const data =
    typeof value.data === "string"
      ? value.data
      : isJsonObject(value.data)
        ? JSON.stringify(value.data)
        : undefined;
  switch (value.type) {
    case "CALLBACK":
      return { kind: "callback", headers, data };
    case "EVENT":
      return { kind: "event", headers, data };
    case "SYSTEM":
      if (topic === "ping") return { kind: "ping", headers, data: value.data };
      if (topic === "disconnect") return { kind: "disconnect", headers, reason: disconnectReason(data) };
      return { kind: "system", headers };
    default:
      return { kind: "invalid", reason: `unknown type ${String(value.type).slice(0, 40)}` };
  }
}

function disconnectReason(data: string | undefined): string {
  const reason = parseJsonObject(data ?? "")?.reason;
  return typeof reason === "string" ? reason.slice(0, 200) : "unspecified";
}

/** The ack of a CALLBACK (shared/protocols.md): without it DingTalk redelivers after ~60 s. */
export function callbackAck(messageId: string): UpFrame {
  return {
    code: 200,
    headers: { contentType: "application/json", messageId },
    message: "OK",
    data: JSON.stringify({ response: null }),
  };
}

/** EVENT acks carry a status (the SDK's EventAck SUCCESS); we subscribe to none, but never leave one hanging. */
export function eventAck(messageId: string): UpFrame {
  return {
    code: 200,
    headers: { contentType: "application/json", messageId },
    message: "OK",
    data: JSON.stringify({ status: "SUCCESS", message: "success" }),
  };
}

/** A SYSTEM ping goes back with its own headers and data (the official SDK's echo). */
export function pingEcho(headers: StreamHeaders, data: unknown): UpFrame {
  return { code: 200, headers, message: "OK", data };
}
