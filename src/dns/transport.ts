import process from "node:process";
import { matchesQuery } from "./wire.ts";

// node:dgram and node:net load on the first exchange, not at startup: loading them costs every daemon that does
// not speak DNS (Cloudflare, PowerDNS…) about 1 MiB of RSS (docs/performance.md).
const dgram = () => process.getBuiltinModule("node:dgram");
const net = () => process.getBuiltinModule("node:net");

/** Where DNS messages go: an address (IPv4, IPv6 or host name) and a port. */
export interface DnsServer {
  host: string;
  port: number;
}

export interface ExchangeOptions {
  protocol: "udp" | "tcp";
  signal: AbortSignal;
  timeoutMs: number;
}

/**
 * Sends one DNS message and resolves with the response that matches it (same id and question); anything else
 * that arrives is ignored. Rejects with `DnsTimeoutError` when no matching answer came in time, with the abort
 * reason when the signal fires, and with the socket error otherwise.
 */
export interface DnsTransport {
  exchange(server: DnsServer, message: Uint8Array, options: ExchangeOptions): Promise<Uint8Array>;
}

export class DnsTimeoutError extends Error {
  override readonly name = "DnsTimeoutError";
}

/** Parses `host:port`, `[v6]:port`, or a bare host (port 53). Undefined when malformed. */
export function parseServer(text: string): DnsServer | undefined {
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(text.trim());
  const plain = /^([^:\s[\]]+)(?::(\d+))?$/.exec(text.trim());
  const match = bracketed ?? plain;
  if (!match?.[1]) return undefined;
  const port = match[2] === undefined ? 53 : Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host: match[1], port };
}

type Settle = { resolve: (b: Uint8Array) => void; reject: (e: unknown) => void };

/** Runs `start` with a timeout and an abort signal; `cleanup` always runs once the promise settles. */
function guarded(options: ExchangeOptions, cleanup: () => void, start: (s: Settle) => void): Promise<Uint8Array> {
  return new Promise<Uint8Array>((resolve, reject) => {
    if (options.signal.aborted) {
      cleanup();
      return reject(options.signal.reason);
    }
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      options.signal.removeEventListener("abort", onAbort);
      cleanup();
      fn();
    };
    const onAbort = () => finish(() => reject(options.signal.reason));
    const timer = setTimeout(() => finish(() => reject(new DnsTimeoutError("no answer in time"))), options.timeoutMs);
    options.signal.addEventListener("abort", onAbort, { once: true });
    start({ resolve: (b) => finish(() => resolve(b)), reject: (e) => finish(() => reject(e)) });
  });
}

function udpExchange(server: DnsServer, message: Uint8Array, options: ExchangeOptions): Promise<Uint8Array> {
  const socket = dgram().createSocket(server.host.includes(":") ? "udp6" : "udp4");
  let retry: ReturnType<typeof setTimeout> | undefined;
  return guarded(options, () => {
    clearTimeout(retry);
    socket.close();
  }, ({ resolve, reject }) => {
    socket.on("error", reject);
    socket.on("message", (data: Uint8Array) => {
      if (matchesQuery(message, data)) resolve(new Uint8Array(data));
    });
    const send = () => socket.send(message, (error: Error | null) => error && reject(error));
    socket.connect(server.port, server.host, () => {
      send();
      // One retransmission halfway through: a lost datagram should not cost the whole timeout.
      retry = setTimeout(send, options.timeoutMs / 2);
    });
  });
}

function tcpExchange(server: DnsServer, message: Uint8Array, options: ExchangeOptions): Promise<Uint8Array> {
  const socket = net().connect({ host: server.host, port: server.port });
  return guarded(options, () => socket.destroy(), ({ resolve, reject }) => {
    let buffered = new Uint8Array(0);
    socket.on("error", reject);
    socket.on("close", () => reject(new Error("connection closed before an answer")));
    socket.on("connect", () => {
      const framed = new Uint8Array(message.length + 2);
      framed[0] = message.length >>> 8;
      framed[1] = message.length & 0xff;
      framed.set(message, 2);
      socket.write(framed);
    });
    socket.on("data", (chunk: Uint8Array) => {
      const joined = new Uint8Array(buffered.length + chunk.length);
      joined.set(buffered);
      joined.set(chunk, buffered.length);
      buffered = joined;
      while (buffered.length >= 2) {
        const length = ((buffered[0] ?? 0) << 8) | (buffered[1] ?? 0);
        if (buffered.length < length + 2) return;
        const response = buffered.slice(2, length + 2);
        buffered = buffered.slice(length + 2);
        if (matchesQuery(message, response)) return resolve(response);
      }
    });
  });
}

/** The real transport: `node:dgram` and `node:net`, which Bun and Deno both provide. */
export function createSocketTransport(): DnsTransport {
  return {
    exchange(server, message, options) {
      return options.protocol === "udp"
        ? udpExchange(server, message, options)
        : tcpExchange(server, message, options);
    },
  };
}
