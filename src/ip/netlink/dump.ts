import {
  AF_NETLINK, EAGAIN, EBUSY, EINTR, MSG_DONTWAIT, NETLINK_ROUTE, NLMSG_DONE, NLMSG_ERROR, NLM_F_DUMP_INTR, POLLIN,
  HOST_LITTLE_ENDIAN as LE, SOCK_CLOEXEC, SOCK_NONBLOCK, SOCK_RAW, errnoText,
} from "./constants.ts";
import { addressDumpRequest, encodeSockaddrNl, linkDumpRequest } from "./encode.ts";
import { splitMessages } from "./parse.ts";
import type { DumpResult, Syscalls } from "./runtime-types.ts";

/**
 * Dumps on a socket of their own (no multicast groups, so no events mix in), bounded by a deadline, repeated while
 * the kernel flags one NLM_F_DUMP_INTR (the state changed while it was being walked): links and addresses for the
 * netlink source, links and routes for the router source's default gateway (route-dump.ts).
 */

export type { DumpResult } from "./runtime-types.ts";

/** Builds one dump request with the given sequence number (encode.ts, route-dump.ts). */
export type DumpRequest = (seq: number) => Uint8Array;

const MAX_ATTEMPTS = 5;
const KERNEL = encodeSockaddrNl(0, 0);

type Step = { done: true; interrupted: boolean } | { done: false } | { error: string; retry: boolean };

function inspect(chunk: Uint8Array, seq: number): Step {
  const { messages, error } = splitMessages(chunk);
  if (error) return { error: `malformed dump answer: ${error}`, retry: false };
  let interrupted = false;
  for (const m of messages) {
    if (m.seq !== seq) continue;
    if (m.flags & NLM_F_DUMP_INTR) interrupted = true;
    if (m.type === NLMSG_DONE) return { done: true, interrupted };
    if (m.type === NLMSG_ERROR && m.payload.length >= 4) {
      const errno = -new DataView(m.payload.buffer, m.payload.byteOffset, 4).getInt32(0, LE);
      if (errno !== 0) return { error: `the kernel refused the dump: ${errnoText(errno)}`, retry: errno === EBUSY };
    }
  }
  return interrupted ? { done: true, interrupted } : { done: false };
}

async function dumpOne(sys: Syscalls, fd: number, request: Uint8Array, seq: number, deadline: number, now: () => number, out: Uint8Array[]): Promise<Step> {
  const sent = sys.sendto(fd, request, 0, KERNEL);
  if (sent < 0) return { error: `sending the dump request failed: ${errnoText(-sent)}`, retry: false };
  const buf = new Uint8Array(65536);
  const pollfd = new Uint8Array(8);
  const view = new DataView(pollfd.buffer);
  for (;;) {
    const n = sys.recv(fd, buf, MSG_DONTWAIT);
    if (n > 0) {
      const chunk = buf.slice(0, n);
      out.push(chunk);
      const step = inspect(chunk, seq);
      if (!("done" in step) || step.done) return step;
      continue;
    }
    if (n === -EINTR) continue;
    if (n !== -EAGAIN) return { error: `reading the dump failed: ${errnoText(-n)}`, retry: false };
    const left = Math.ceil(deadline - now());
    if (left <= 0) return { error: "the dump did not finish before its deadline", retry: false };
    view.setInt32(0, fd, LE);
    view.setInt16(4, POLLIN, LE);
    view.setInt16(6, 0, LE);
    await sys.poll(pollfd, 1, left);
  }
}

/** Dumps every link, then every address; the answer is one buffer of whole messages, links first. */
export function dumpKernelState(sys: Syscalls, options: DumpOptions): Promise<DumpResult> {
  return dumpTables(sys, [linkDumpRequest, addressDumpRequest], options);
}

export interface DumpOptions {
  deadlineMs: number;
  now: () => number;
  seq: number;
}

/** Sends each request in turn and reads its dump to NLMSG_DONE; one buffer of whole messages, in request order. */
export async function dumpTables(sys: Syscalls, requests: readonly DumpRequest[], options: DumpOptions): Promise<DumpResult> {
  const deadline = options.now() + options.deadlineMs;
  let lastError = "the kernel kept interrupting the dump";
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const fd = sys.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
    if (fd < 0) return { ok: false, error: `socket(AF_NETLINK) failed: ${errnoText(-fd)}` };
    const out: Uint8Array[] = [];
    let retry = false;
    try {
      const first = options.seq + attempt * requests.length;
      for (const [i, build] of requests.entries()) {
        const s = (first + i) >>> 0;
        const step = await dumpOne(sys, fd, build(s), s, deadline, options.now, out);
        if ("error" in step) {
          if (!step.retry) return { ok: false, error: step.error };
          lastError = step.error;
          retry = true;
          break;
        }
        if (step.done && step.interrupted) {
          retry = true;
          break;
        }
      }
    } finally {
      sys.close(fd);
    }
    if (!retry) return { ok: true, messages: concat(out) };
  }
  return { ok: false, error: lastError };
}

export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(chunks.reduce((sum, c) => sum + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
