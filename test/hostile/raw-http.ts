import { connect } from "node:net";

/**
 * A deliberately dumb HTTP/1.1 client over a raw socket: it sends exactly the bytes it is given
 * (lying Content-Length, broken chunking, odd methods), which fetch and http.request refuse to do.
 */

export interface RawRequest {
  /** What kind of hostile request this is, for the summary. */
  kind: string;
  bytes: Buffer;
}

export interface RawResponse {
  /** The final (non-1xx) status, when one arrived. */
  status?: number;
  /** Why no status arrived: the server closed or reset the connection, or it took too long. */
  error?: string;
}

// The status line of each response on the connection; 1xx ones (100 Continue) are interim.
const STATUS_LINE = /(?:^|\r\n)HTTP\/1\.[01] (\d{3})/g;

export function sendRaw(port: number, bytes: Buffer, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    let done = false;
    const finish = (r: RawResponse) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(r);
    };
    socket.setTimeout(timeoutMs, () => finish({ error: "timeout" }));
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
      for (const m of received.matchAll(STATUS_LINE)) {
        const status = Number(m[1]);
        if (status >= 200) return finish({ status });
      }
    });
    socket.on("error", (err: NodeJS.ErrnoException) => finish({ error: err.code ?? "error" }));
    socket.on("close", () => finish({ error: "closed" }));
    // Half-close after the request: a body shorter than its Content-Length ends here instead of
    // keeping the server waiting. The server still answers on its half of the connection.
    socket.end(bytes);
  });
}

/** Runs the requests `concurrency` at a time, in order; returns the responses in request order. */
export async function sendAll(
  port: number,
  requests: readonly RawRequest[],
  concurrency: number,
): Promise<RawResponse[]> {
  const out: RawResponse[] = new Array(requests.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      const r = requests[i];
      if (!r) return;
      out[i] = await sendRaw(port, r.bytes);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}
