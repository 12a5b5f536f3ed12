import { EAGAIN, ENOBUFS, NLM_F_DUMP_INTR, RTM_GETADDR, RTM_GETLINK } from "../../src/ip/netlink/constants.ts";
import type { Syscalls } from "../../src/ip/netlink/runtime-types.ts";
import { splitMessages } from "../../src/ip/netlink/parse.ts";
import { addressMessage, concatBytes, doneMessage, linkMessage, type AddressSpec } from "./messages.ts";

/**
 * An in-memory rtnetlink for socket-loop tests: the "kernel truth" (links, addresses), an event socket whose queue
 * overflows like a small SO_RCVBUF (ENOBUFS once, messages lost), dump sockets that answer from the truth (with
 * NLM_F_DUMP_INTR on demand, or never), and an eventfd. `poll` resolves when something becomes readable.
 */

const EBADF = 9;

type Readable = { chunks: Uint8Array[]; overflowed: boolean };

export class FakeKernel implements Syscalls {
  links = new Map<number, string>();
  addresses = new Map<string, AddressSpec>();
  /** How many messages the event socket holds before it overflows. */
  capacity = 1000;
  /** Address dumps still to answer with NLM_F_DUMP_INTR. */
  interruptDumps = 0;
  /** Dump sockets never answer (to hit the deadline). */
  silentDumps = false;
  /** recv on the event socket fails with this errno (fatal). */
  failRecv: number | undefined;
  closed: number[] = [];
  dumpsServed = 0;
  private nextFd = 3;
  private eventFd = -1;
  private stopFd = -1;
  private stopValue = 0n;
  private sockets = new Map<number, Readable>();
  private wakers: Array<() => void> = [];

  link(index: number, name: string) {
    this.links.set(index, name);
    this.publish(linkMessage({ index, name }));
  }
  add(spec: AddressSpec) {
    this.addresses.set(`${spec.index}/${spec.address}`, spec);
    this.publish(addressMessage(spec));
  }
  remove(index: number, address: string) {
    const spec = this.addresses.get(`${index}/${address}`);
    if (!spec) return;
    this.addresses.delete(`${index}/${address}`);
    this.publish(addressMessage({ ...spec, op: "del" }));
  }
  private publish(message: Uint8Array) {
    const q = this.sockets.get(this.eventFd);
    if (!q) return;
    if (q.chunks.length >= this.capacity) q.overflowed = true;
    else q.chunks.push(message);
    this.wake();
  }
  private wake() {
    const w = this.wakers;
    this.wakers = [];
    for (const f of w) f();
  }
  private dumpOf(type: number, seq: number): Uint8Array {
    const interrupted = type === RTM_GETADDR && this.interruptDumps > 0;
    if (interrupted) this.interruptDumps--;
    const flags = 2 | (interrupted ? NLM_F_DUMP_INTR : 0);
    const body =
      type === RTM_GETLINK
        ? [...this.links].map(([index, name]) => linkMessage({ index, name, seq, msgFlags: 2 }))
        : [...this.addresses.values()].map((a) => addressMessage({ ...a, seq, msgFlags: 2 }));
    return concatBytes(...body, doneMessage(seq, flags));
  }

  socket() {
    const fd = this.nextFd++;
    this.sockets.set(fd, { chunks: [], overflowed: false });
    if (this.eventFd < 0) this.eventFd = fd;
    return fd;
  }
  bind() { return 0; }
  setsockopt() { return 0; }
  sendto(fd: number, data: Uint8Array) {
    const request = splitMessages(data).messages[0];
    if (!request || this.silentDumps) return data.length;
    this.dumpsServed++;
    this.sockets.get(fd)?.chunks.push(this.dumpOf(request.type, request.seq));
    return data.length;
  }
  recv(fd: number, into: Uint8Array) {
    if (fd === this.eventFd && this.failRecv !== undefined) return -this.failRecv;
    const q = this.sockets.get(fd);
    if (!q) return -EBADF;
    if (q.overflowed) {
      q.overflowed = false;
      return -ENOBUFS;
    }
    const chunk = q.chunks.shift();
    if (!chunk) return -EAGAIN;
    into.set(chunk);
    return chunk.length;
  }
  poll(fds: Uint8Array, count: number, timeoutMs: number): Promise<number> {
    const view = new DataView(fds.buffer, fds.byteOffset);
    const check = () => {
      let ready = 0;
      for (let i = 0; i < count; i++) {
        const fd = view.getInt32(i * 8, true);
        const q = this.sockets.get(fd);
        const readable = fd === this.stopFd ? this.stopValue > 0n : !!q && (q.chunks.length > 0 || q.overflowed || (fd === this.eventFd && this.failRecv !== undefined));
        view.setInt16(i * 8 + 6, readable ? 1 : 0, true);
        if (readable) ready++;
      }
      return ready;
    };
    return new Promise((resolve) => {
      const ready = check();
      if (ready > 0 || timeoutMs === 0) return resolve(ready);
      const timer = timeoutMs > 0 ? setTimeout(() => resolve(check()), timeoutMs) : undefined;
      this.wakers.push(() => {
        clearTimeout(timer);
        resolve(this.poll(fds, count, timeoutMs));
      });
    });
  }
  eventfd() {
    this.stopFd = this.nextFd++;
    return this.stopFd;
  }
  read() { return 8; }
  write(fd: number) {
    if (fd === this.stopFd) this.stopValue += 1n;
    this.wake();
    return 8;
  }
  close(fd: number) {
    this.closed.push(fd);
    this.sockets.delete(fd);
    return 0;
  }
  get eventSocket() { return this.eventFd; }
  get stopSocket() { return this.stopFd; }
}
