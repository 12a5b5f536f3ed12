import dgram from "node:dgram";

/**
 * A loopback stand-in for a home router's NAT-PMP and PCP server (one UDP socket, like port 5351 of a real router),
 * written from RFC 6886 §3.2–3.5 and RFC 6887 §7, §9, §11 and §14 (read 2026-12-02). It is strict: a request of the
 * wrong length or layout gets no answer, as from a real router. Behaviour per protocol:
 * - `natpmp: "on"` answers the public-address request with `external`; `"off"` stays silent; a number is the result code.
 * - `pcp: "on"` answers ANNOUNCE and MAP (the MAP answer carries `external` as ::ffff:a.b.c.d, its nonce, protocol
 *   and internal port copied; ADDRESS_MISMATCH when the request names another client address than it came from,
 *   §8.3), `"natpmp-only"` answers a version-2 request as a NAT-PMP server does (RFC 6887 §9:
 *   version 0, result 1), `"off"` stays silent, a number is the result code.
 * Every request is kept in `requests` (protocol, opcode, lifetime, the bytes) for assertions.
 */
export interface FakeRouterOptions {
  external: string;
  natpmp?: "on" | "off" | number;
  pcp?: "on" | "off" | "natpmp-only" | number;
  /** Answer from this address instead of the bound one (another host on the LAN). */
  bindAddress?: string;
}

export interface FakeRequest {
  protocol: "natpmp" | "pcp";
  opcode: number;
  lifetime?: number;
  bytes: Uint8Array;
}

export interface FakeRouter {
  port: number;
  address: string;
  requests: FakeRequest[];
  set(options: Partial<FakeRouterOptions>): void;
  close(): Promise<void>;
}

const v4 = (a: string) => a.split(".").map(Number);

export async function startFakeRouter(initial: FakeRouterOptions): Promise<FakeRouter> {
  const options = { natpmp: "on" as const, pcp: "on" as const, ...initial } as Required<Omit<FakeRouterOptions, "bindAddress">>;
  const socket = dgram.createSocket("udp4");
  const requests: FakeRequest[] = [];
  const started = Date.now();
  const epoch = () => Math.floor((Date.now() - started) / 1000) + 100;
  socket.on("message", (msg, remote) => {
    const bytes = new Uint8Array(msg);
    const reply = (out: Uint8Array) => socket.send(out, remote.port, remote.address);
    if (bytes[0] === 0 && bytes.length === 2 && bytes[1] === 0) {
      requests.push({ protocol: "natpmp", opcode: 0, bytes });
      if (options.natpmp === "off") return;
      const out = new Uint8Array(12);
      const view = new DataView(out.buffer);
      out[1] = 128;
      view.setUint16(2, options.natpmp === "on" ? 0 : options.natpmp);
      view.setUint32(4, epoch());
      out.set(v4(options.external), 8);
      return reply(options.natpmp === "on" ? out : out.subarray(0, 8));
    }
    if (bytes[0] !== 2 || bytes.length < 24 || bytes.length % 4 !== 0) return;
    const opcode = bytes[1]! & 0x7f;
    const lifetime = new DataView(bytes.buffer).getUint32(4);
    requests.push({ protocol: "pcp", opcode, lifetime, bytes });
    if (options.pcp === "off") return;
    if (options.pcp === "natpmp-only") {
      const out = new Uint8Array(8);
      out[1] = 128 + opcode;
      new DataView(out.buffer).setUint16(2, 1);
      new DataView(out.buffer).setUint32(4, epoch());
      return reply(out);
    }
    if ((opcode === 0 && bytes.length !== 24) || (opcode === 1 && bytes.length !== 60)) return;
    const out = new Uint8Array(bytes.length);
    const view = new DataView(out.buffer);
    out[0] = 2;
    out[1] = 0x80 | opcode;
    out[3] = options.pcp === "on" ? 0 : options.pcp;
    // §8.3: the client address the request names must be the one it came from, else ADDRESS_MISMATCH.
    const named = bytes.subarray(8, 24);
    if (!(named.subarray(0, 10).every((b) => b === 0) && named[10] === 0xff && named[11] === 0xff && named.subarray(12).join(".") === remote.address)) out[3] = 12;
    view.setUint32(4, opcode === 1 ? (lifetime === 0 ? 0 : Math.max(lifetime, 120)) : 0);
    view.setUint32(8, epoch());
    if (opcode === 1) {
      out.set(bytes.subarray(24, 42), 24);
      view.setUint16(42, 40000);
      out[54] = 0xff;
      out[55] = 0xff;
      out.set(v4(options.external), 56);
    }
    reply(out);
  });
  const address = initial.bindAddress ?? "127.0.0.1";
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  return {
    port: socket.address().port,
    address,
    requests,
    set: (o) => Object.assign(options, o),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
