/**
 * bench/netlink-fd-wait: can Bun wait on a netlink socket in its own event loop (no Worker, no polling timer)?
 * Issue 19: the Bun netlink runtime's Worker is a second JavaScriptCore VM (≈ +6–10 MiB). This opens a
 * NETLINK_ROUTE socket (SOCK_NONBLOCK|SOCK_CLOEXEC, bound to the address groups) with libc-bun.ts, hands its fd to
 * one of Bun's readers, adds and deletes 127.0.0.9/8 on lo, and prints what each read gave (bytes, the nlmsghdr
 * types:lengths it holds, read by the daemon's splitter, and whether one is cut), the milliseconds from the `ip addr` commands, and the CPU used.
 * Needs root (CAP_NET_ADMIN) and `ip`.
 *
 *   bun bench/netlink-fd-wait.ts [fs-read | file-stream | net-socket | read-stream] [--burst [N]] [--rcvbuf BYTES]
 *
 * `--burst N` adds and deletes N addresses (50 by default; one `ip -batch`) (with a small --rcvbuf this shows how ENOBUFS surfaces).
 */
import { read as readCallback, createReadStream } from "node:fs";
import { Socket } from "node:net";
import { spawnSync } from "node:child_process";
import { openLibcBun } from "../src/runtime/netlink/libc-bun.ts";
import { encodeSockaddrNl } from "../src/ip/netlink/encode.ts";
import { splitMessages } from "../src/ip/netlink/parse.ts";
import {
  AF_NETLINK, NETLINK_ROUTE, RTMGRP_DDNSD, SOCK_CLOEXEC, SOCK_NONBLOCK, SOCK_RAW, SOL_SOCKET, SO_RCVBUF,
} from "../src/ip/netlink/constants.ts";

const args = process.argv.slice(2);
const mode = args.find((a) => !a.startsWith("--") && !/^\d+$/.test(a)) ?? "file-stream";
const rcvbufAt = args.indexOf("--rcvbuf");
const rcvbuf = rcvbufAt >= 0 ? Number(args[rcvbufAt + 1]) : undefined;
const burstAt = args.indexOf("--burst");
const burst = burstAt >= 0;
const burstCount = burst && /^\d+$/.test(args[burstAt + 1] ?? "") ? Number(args[burstAt + 1]) : 50;

const sys = openLibcBun();
if (typeof sys === "string") throw new Error(sys);
const fd = sys.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
if (fd < 0) throw new Error(`socket: ${-fd}`);
if (rcvbuf !== undefined) {
  const size = new Uint8Array(4);
  new DataView(size.buffer).setInt32(0, rcvbuf, true);
  console.log(`setsockopt(SO_RCVBUF, ${rcvbuf}) = ${sys.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, size)}`);
}
console.log(`mode ${mode}; bind = ${sys.bind(fd, encodeSockaddrNl(RTMGRP_DDNSD))}`);

let t0 = performance.now();
const since = () => `${(performance.now() - t0).toFixed(2)} ms`;
/** What a chunk holds, read by the daemon's own splitter: its messages' type:length, and whether one is cut. */
function describe(chunk: Uint8Array): { text: string; whole: boolean } {
  const { messages, error } = splitMessages(chunk);
  const seen = messages.map((m) => `${m.type}:${m.payload.length + 16}`);
  const shown = seen.length <= 8 ? seen.join(",") : `${seen.length} messages, ${new Set(seen).size} distinct type:length`;
  return { text: `${chunk.length} B [${shown}]${error ? ` cut: ${error}` : ""}`, whole: error === undefined };
}
let chunks = 0;
let bytes = 0;
const got = (what: string, chunk: Uint8Array) => {
  chunks++;
  bytes += chunk.length;
  const { text, whole } = describe(chunk);
  if (chunks <= 5) console.log(`${what}: ${text} at ${since()}`);
  else if (!whole) console.log(`${what}: chunk ${chunks} splits a message: ${text}`);
};
const failed = (what: string, error: unknown) => {
  const e = error as { code?: string; message?: string };
  console.log(`${what} error ${e.code ?? ""} ${e.message ?? String(error)} at ${since()}`);
};

/** All the adds, then all the deletes, in one `ip -batch` (stdin). */
function ipBatch(addresses: string[]) {
  const lines = [...addresses.map((a) => `addr add ${a} dev lo`), ...addresses.map((a) => `addr del ${a} dev lo`)];
  spawnSync("ip", ["-batch", "-"], { input: `${lines.join("\n")}\n` });
}
setTimeout(() => {
  t0 = performance.now();
  const count = burst ? burstCount : 1;
  const addresses = Array.from({ length: count }, (_, i) => `127.0.${2 + (i >> 8)}.${i & 255}/8`);
  if (!burst) addresses[0] = "127.0.0.9/8";
  ipBatch(addresses);
  console.log(`ip addr add+del of ${addresses.length} address(es) done at ${since()}`);
}, 300);
const cpu0 = process.cpuUsage();
setTimeout(() => {
  const cpu = process.cpuUsage(cpu0);
  console.log(`${chunks} chunk(s), ${bytes} B in all (only the first 5 shown)`);
  console.log(`cpu ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms over 3 s; rss ${(process.memoryUsage().rss / 1048576).toFixed(1)} MiB`);
  process.exit(0);
}, 3000);

if (mode === "fs-read") {
  const buf = Buffer.alloc(65536);
  const next = () =>
    readCallback(fd, buf, 0, buf.length, null, (error, n) => {
      if (error) return failed("fs.read", error);
      got("fs.read", buf.subarray(0, n));
      next();
    });
  next();
} else if (mode === "file-stream") {
  void (async () => {
    for await (const chunk of Bun.file(fd).stream()) got("Bun.file(fd).stream()", chunk);
    console.log(`stream ended at ${since()}`);
  })().catch((error) => failed("Bun.file(fd).stream()", error));
} else if (mode === "net-socket") {
  const socket = new Socket({ fd, readable: true, writable: false });
  socket.on("data", (chunk: Buffer) => got("net.Socket", chunk));
  socket.on("error", (error) => failed("net.Socket", error));
  socket.on("close", () => console.log(`net.Socket closed at ${since()}`));
} else if (mode === "read-stream") {
  const stream = createReadStream("", { fd, highWaterMark: 65536 });
  stream.on("data", (chunk) => got("fs.createReadStream", chunk as Buffer));
  stream.on("error", (error) => failed("fs.createReadStream", error));
} else {
  throw new Error(`unknown mode ${mode}`);
}
