/**
 * The UDP socket the router protocols talk over, as the router source needs it. The one implementation is the
 * runtime adapter src/runtime/udp-socket.ts (node:dgram, which Bun and Deno both provide); tests pass the same
 * adapter bound to loopback servers of their own.
 */
export interface UdpPeer {
  address: string;
  port: number;
}

export interface UdpSocket {
  /**
   * The local address and port of the socket. For a socket opened with `connect`, the address the system picked to
   * reach that peer (PCP writes it into every request: RFC 6887 §8.1).
   */
  readonly local: UdpPeer;
  /** Sends one datagram (to the connected peer when the socket was opened with `connect`). Rejects on a send error. */
  send(bytes: Uint8Array, to: UdpPeer): Promise<void>;
  /** Every datagram that arrives, with the address it came from. */
  onMessage(handler: (bytes: Uint8Array, from: UdpPeer) => void): void;
  /**
   * Errors the system reports on the socket after it opened, e.g. ECONNREFUSED on a connected socket when the router
   * answered with ICMP port unreachable (Bun reports it; Deno does not, and the exchange then times out instead).
   */
  onError(handler: (error: unknown) => void): void;
  close(): void;
}

export interface OpenUdpOptions {
  /** Connect the socket to this peer: the kernel then delivers only its datagrams, and `local` is known. */
  connect?: UdpPeer;
}

export type OpenUdp = (options: OpenUdpOptions) => Promise<UdpSocket>;
