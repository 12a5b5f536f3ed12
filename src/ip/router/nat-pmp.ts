import { udpExchange, type ExchangeResult } from "./udp-exchange.ts";
import { openSocket, type RouterAnswer, type RouterQuery } from "./router-types.ts";

/**
 * NAT-PMP (RFC 6886), the public-address request only (§3.2): ddnsd asks the router for its external IPv4 address
 * and maps nothing. Pure encoder and decoder, and one exchange over a UDP socket connected to the router's port 5351.
 *
 * Request (§3.2): version 0, opcode 0 — two bytes.
 * Answer: version 0 (8 bits), opcode 128 (8), result code (16), seconds since start of epoch (32), external IPv4
 * address (32) — twelve bytes, network order.
 */
export const NAT_PMP_VERSION = 0;
export const NAT_PMP_PORT = 5351;

export function encodePublicAddressRequest(): Uint8Array {
  return new Uint8Array([NAT_PMP_VERSION, 0]);
}

/** The result codes of RFC 6886 §3.5, in the operator's terms. */
const RESULT: Record<number, string> = {
  1: "does not support this NAT-PMP version",
  2: "refused the request (NAT-PMP is disabled or not authorized on the router)",
  3: "has no working WAN connection (network failure: no DHCP lease yet, or the uplink is down)",
  4: "is out of resources",
  5: "does not support the public-address request",
};

export type NatPmpAnswer =
  | { ok: true; address: string; epochSeconds: number }
  | { ok: false; reason: string };

/**
 * Reads one datagram as the answer to the public-address request; `undefined` when it is not one (too short, another
 * version or opcode): such a datagram is not for us and the exchange keeps waiting. Never throws.
 */
export function decodePublicAddressAnswer(bytes: Uint8Array): NatPmpAnswer | undefined {
  if (bytes.length < 4 || bytes[0] !== NAT_PMP_VERSION || bytes[1] !== 128) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const result = view.getUint16(2);
  if (result !== 0) return { ok: false, reason: `the router ${RESULT[result] ?? `answered result code ${result}`}` };
  if (bytes.length < 12) return { ok: false, reason: `the router's answer is ${bytes.length} bytes long, expected 12` };
  const address = `${bytes[8]}.${bytes[9]}.${bytes[10]}.${bytes[11]}`;
  return { ok: true, address, epochSeconds: view.getUint32(4) };
}

/** Asks the router over NAT-PMP. The exchange retransmits from 250 ms, doubling, within the protocol's share. */
export async function askNatPmp(q: RouterQuery): Promise<RouterAnswer> {
  const to = { address: q.router, port: q.ports.natpmp };
  const socket = await openSocket(q, to);
  if ("reason" in socket) return { ok: false, reason: socket.reason };
  try {
    const answer: ExchangeResult<NatPmpAnswer> = await udpExchange({
      socket,
      to,
      request: encodePublicAddressRequest(),
      accept: decodePublicAddressAnswer,
      signal: q.signal,
      initialMs: q.timing.initialMs,
      budgetMs: q.openingMs,
      clock: q.clock,
      ignored: (from) => q.ignored(`a NAT-PMP datagram from ${from.address}:${from.port}`),
    });
    if (!answer.ok) return { ok: false, reason: `no NAT-PMP answer from ${to.address}:${to.port} (${answer.reason})` };
    if (!answer.value.ok) return answer.value;
    return { ok: true, address: answer.value.address };
  } finally {
    socket.close();
  }
}
