import dgram from "node:dgram";
import { networkInterfaces } from "node:os";
import type { OpenUdp, OpenUdpOptions, UdpPeer, UdpSocket } from "../ip/router/udp-types.ts";

/**
 * The router source's UDP socket on node:dgram, which Bun and Deno both provide. A socket opened with `connect`
 * receives only its peer's datagrams (the kernel filters) and knows the local address the system chose for that
 * peer; Deno reports 0.0.0.0 for a connected socket, so the address is then taken from the interface whose subnet
 * holds the peer.
 */
export const openUdpSocket: OpenUdp = (options: OpenUdpOptions) =>
  new Promise<UdpSocket>((resolve, reject) => {
    const socket = dgram.createSocket({ type: "udp4" });
    const handlers: Array<(bytes: Uint8Array, from: UdpPeer) => void> = [];
    const errorHandlers: Array<(error: unknown) => void> = [];
    let ready = false;
    socket.on("error", (error) => {
      if (!ready) reject(error);
      else for (const h of errorHandlers) h(error);
    });
    socket.on("message", (message, remote) => {
      const bytes = new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
      for (const h of handlers) h(bytes, { address: remote.address, port: remote.port });
    });
    const done = () => {
      ready = true;
      const bound = socket.address();
      const address = bound.address === "0.0.0.0" && options.connect ? (localAddressTowards(options.connect.address) ?? bound.address) : bound.address;
      resolve({
        local: { address, port: bound.port },
        send: (bytes, to) =>
          new Promise<void>((ok, fail) => {
            const callback = (error: Error | null) => (error ? fail(error) : ok());
            if (options.connect) socket.send(bytes, callback);
            else socket.send(bytes, to.port, to.address, callback);
          }),
        onMessage: (handler) => void handlers.push(handler),
        onError: (handler) => void errorHandlers.push(handler),
        close: () => {
          handlers.length = 0;
          errorHandlers.length = 0;
          try {
            socket.close();
          } catch {
            // already closed
          }
        },
      });
    };
    socket.bind(0, () => {
      if (options.connect) socket.connect(options.connect.port, options.connect.address, done);
      else done();
    });
  });

/** The IPv4 address of the interface whose subnet holds `peer` (loopback for a loopback peer). */
function localAddressTowards(peer: string): string | undefined {
  const toNumber = (a: string) => a.split(".").reduce((n, part) => (n << 8) + Number(part), 0) >>> 0;
  const target = toNumber(peer);
  for (const list of Object.values(networkInterfaces())) {
    for (const i of list ?? []) {
      if (i.family !== "IPv4") continue;
      const mask = toNumber(i.netmask);
      if (((toNumber(i.address) & mask) >>> 0) === ((target & mask) >>> 0)) return i.address;
    }
  }
  return undefined;
}
