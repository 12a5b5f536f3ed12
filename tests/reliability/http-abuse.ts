import { connect, type Socket } from "node:net";

/**
 * Ways to mistreat an HTTP listener over raw TCP, each resolving with what came back (or how the connection ended),
 * never rejecting: garbage and malformed requests, oversized paths and headers, slow senders, and many connections
 * held open at once. Used by http-abuse.test.ts and bench/reliability.ts.
 */

export interface RawResult {
  /** The status line's code, if an HTTP answer came; 0 otherwise. */
  status: number;
  /** `answer`, `closed` (by the server, without an answer), `error`, or `timeout`. */
  end: "answer" | "closed" | "error" | "timeout";
  bytes: number;
}

/** Sends `payload` (in `chunks`, `gapMs` apart) and collects the answer until the server closes or `timeoutMs`. */
export function rawExchange(port: number, payload: Uint8Array | string, o: { chunks?: number; gapMs?: number; timeoutMs?: number } = {}): Promise<RawResult> {
  const data = typeof payload === "string" ? new TextEncoder().encode(payload) : payload;
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    let received = "";
    let bytes = 0;
    let settled = false;
    const finish = (end: RawResult["end"]) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(received);
      resolve({ status: m ? Number(m[1]) : 0, end: m && end !== "error" ? "answer" : end, bytes });
    };
    const timer = setTimeout(() => finish("timeout"), o.timeoutMs ?? 5000);
    socket.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (received.length < 200) received += chunk.toString("latin1");
    });
    socket.on("end", () => finish("closed"));
    socket.on("close", () => finish("closed"));
    socket.on("error", () => finish("error"));
    socket.on("connect", async () => {
      const n = Math.max(1, o.chunks ?? 1);
      const size = Math.ceil(data.length / n);
      for (let i = 0; i < n && !settled; i++) {
        socket.write(data.subarray(i * size, (i + 1) * size));
        if (o.gapMs) await Bun.sleep(o.gapMs);
      }
    });
  });
}

/** Opens `count` connections and keeps them open (some idle, some mid-request) until `release()`. */
export async function holdConnections(port: number, count: number): Promise<{ open: () => number; release: () => void }> {
  const sockets: Socket[] = [];
  let open = 0;
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      new Promise<void>((resolve) => {
        const s = connect({ host: "127.0.0.1", port });
        sockets.push(s);
        s.on("connect", () => {
          open++;
          if (i % 2 === 1) s.write("GET /status HTTP/1.1\r\nHost: x\r\n"); // headers never finished
          resolve();
        });
        s.on("close", () => void (open = Math.max(0, open - 1)));
        s.on("error", () => resolve());
      }),
    ),
  );
  return { open: () => open, release: () => sockets.forEach((s) => s.destroy()) };
}

const ascii = (n: number, c = "a") => c.repeat(n);

/** The malformed and oversized requests, by name. */
export const ABUSE_REQUESTS: Array<{ name: string; payload: Uint8Array | string; chunks?: number; gapMs?: number }> = [
  { name: "random bytes", payload: Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24) },
  { name: "NUL bytes", payload: new Uint8Array(2048) },
  { name: "a TLS ClientHello", payload: Uint8Array.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, ...new Uint8Array(64)]) },
  { name: "a request line without a version", payload: "GET /healthz\r\n\r\n" },
  { name: "an unknown HTTP version", payload: "GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n" },
  { name: "a bare line feed protocol", payload: "GET /healthz HTTP/1.1\nHost: x\n\n" },
  { name: "an invalid method", payload: "G\u00ebT /healthz HTTP/1.1\r\nHost: x\r\n\r\n" },
  { name: "a header without a colon", payload: "GET /healthz HTTP/1.1\r\nHost x\r\nbroken\r\n\r\n" },
  { name: "a negative Content-Length", payload: "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n" },
  { name: "a huge Content-Length never sent", payload: "POST /status HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\nabc" },
  { name: "conflicting Transfer-Encoding and Content-Length", payload: "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\nzzzz\r\n" },
  { name: "bad chunked encoding", payload: "POST /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nxx\r\n" },
  { name: "a 64 KiB path", payload: `GET /${ascii(65_536)} HTTP/1.1\r\nHost: x\r\n\r\n` },
  { name: "a 1 MiB path", payload: `GET /status?${ascii(1_048_576, "q")} HTTP/1.1\r\nHost: x\r\n\r\n` },
  { name: "a 256 KiB header", payload: `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${ascii(262_144)}\r\n\r\n` },
  { name: "5000 headers", payload: `GET /healthz HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 5000 }, (_, i) => `X-H${i}: v\r\n`).join("")}\r\n` },
  { name: "100 pipelined requests", payload: `${"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".repeat(99)}GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n` },
  { name: "a path traversal", payload: "GET /../../../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" },
  { name: "a slow sender (slowloris)", payload: "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", chunks: 40, gapMs: 50 },
];
