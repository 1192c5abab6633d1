import WebSocket from "ws";

/** What both long connections (WeCom AI bot, DingTalk Stream) do alike with their WebSocket. */

/** A message as text, whichever shape ws delivered it in (Buffer, fragments, ArrayBuffer). */
export function messageText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.isBuffer(data) ? data.toString("utf8") : Buffer.from(new Uint8Array(data)).toString("utf8");
}

/** Closes politely (1000) and waits for the peer's answer; a peer silent for `waitMs` is cut off. */
export function closeGracefully(ws: WebSocket, waitMs = 2000): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = setTimeout(() => {
      ws.terminate();
      resolve();
    }, waitMs);
    ws.once("close", () => {
      clearTimeout(done);
      resolve();
    });
    if (ws.readyState === WebSocket.OPEN) ws.close(1000, "bye");
    else ws.terminate();
  });
}
