/**
 * PCP (RFC 6887) packets, pure: the ANNOUNCE request (§14.1) to learn that the router speaks PCP, and the MAP request
 * (§11) whose answer carries the external address. Encoders write exactly the layouts of §7.1 and §11.1; the decoder
 * checks what §8.3 and §11.4 ask a client to check and never throws.
 *
 * Request header (§7.1), 24 bytes: version 2 | R=0 and opcode (7 bits) | reserved (16) | requested lifetime (32) |
 * PCP client's IP address (128, IPv4-mapped IPv6 for IPv4).
 * Response header (§7.2), 24 bytes: version | R=1 and opcode | reserved (8) | result code (8) | lifetime (32) |
 * epoch time (32) | reserved (96).
 * MAP payload (§11.1), 36 bytes: mapping nonce (96) | protocol (8) | reserved (24) | internal port (16) |
 * suggested (answer: assigned) external port (16) | suggested (assigned) external IP address (128).
 */
export const PCP_VERSION = 2;
export const OPCODE_ANNOUNCE = 0;
export const OPCODE_MAP = 1;
export const PROTOCOL_UDP = 17;
const HEADER = 24;
const MAP_PAYLOAD = 36;
/** §7: a PCP message is at most 1100 bytes and a multiple of 4. */
const MAX_MESSAGE = 1100;

export interface MapRequest {
  clientAddress: string;
  lifetime: number;
  /** 12 bytes chosen at random, echoed by the answer (§11.1). */
  nonce: Uint8Array;
  protocol: number;
  internalPort: number;
}

/** `::ffff:a.b.c.d` as 16 bytes (§5); `undefined` for text that is not a dotted-quad IPv4 address. */
export function mappedIpv4(address: string): Uint8Array | undefined {
  const parts = address.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255)) return undefined;
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  parts.forEach((p, i) => (out[12 + i] = Number(p)));
  return out;
}

function header(opcode: number, lifetime: number, clientAddress: string, payload: number): Uint8Array {
  const client = mappedIpv4(clientAddress);
  if (!client) throw new Error(`PCP needs the client's IPv4 address, got ${JSON.stringify(clientAddress)}`);
  const bytes = new Uint8Array(HEADER + payload);
  const view = new DataView(bytes.buffer);
  bytes[0] = PCP_VERSION;
  bytes[1] = opcode & 0x7f;
  view.setUint32(4, lifetime >>> 0);
  bytes.set(client, 8);
  return bytes;
}

export function encodeAnnounce(clientAddress: string): Uint8Array {
  return header(OPCODE_ANNOUNCE, 0, clientAddress, 0);
}

/** A MAP request with no suggested external port or address (all zeros, §11.1), so the router picks its own. */
export function encodeMap(r: MapRequest): Uint8Array {
  const bytes = header(OPCODE_MAP, r.lifetime, r.clientAddress, MAP_PAYLOAD);
  const view = new DataView(bytes.buffer);
  bytes.set(r.nonce.subarray(0, 12), HEADER);
  bytes[HEADER + 12] = r.protocol;
  view.setUint16(HEADER + 16, r.internalPort);
  // Suggested external address: the IPv4-mapped all-zeros address ("no preference", §11.1).
  bytes[HEADER + 30] = 0xff;
  bytes[HEADER + 31] = 0xff;
  return bytes;
}

/** The result codes of §7.4, in the operator's terms (from the router's side). */
const RESULT: Record<number, string> = {
  1: "does not support PCP version 2",
  2: "refused the request (PCP is disabled or this host is not allowed to map)",
  3: "called the request malformed",
  4: "does not support this PCP opcode",
  5: "does not support a PCP option of the request",
  6: "called a PCP option malformed",
  7: "has no working WAN connection (network failure)",
  8: "is out of resources for new mappings",
  9: "does not support mappings of this protocol",
  10: "refused: this host has too many mappings",
  11: "cannot provide an external address",
  12: "sees this host's requests from another address than they name (a NAT between ddnsd and the router?)",
  13: "refused: too many remote peers",
};

export type PcpAnswer =
  | { kind: "success"; opcode: number; lifetime: number; epoch: number; external?: { address: string; port: number } }
  | { kind: "error"; reason: string }
  /** A NAT-PMP-only server's answer to a PCP request (§9): version 0, result 1 (unsupported version). */
  | { kind: "natpmp-only" };

/**
 * Reads one datagram as the answer to `request` (the same opcode, and for MAP the same nonce, protocol and internal
 * port, §11.4); `undefined` when it is not an answer to it — the exchange keeps waiting. Never throws.
 */
export function decodePcpAnswer(bytes: Uint8Array, request: { opcode: number; map?: Omit<MapRequest, "clientAddress" | "lifetime"> }): PcpAnswer | undefined {
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 128 + request.opcode && ((bytes[2]! << 8) | bytes[3]!) === 1) return { kind: "natpmp-only" };
  if (bytes.length < HEADER || bytes.length > MAX_MESSAGE || bytes.length % 4 !== 0) return undefined;
  if (bytes[1] !== (0x80 | request.opcode)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const result = bytes[3]!;
  if (bytes[0] !== PCP_VERSION) {
    return result === 1 ? { kind: "error", reason: `the router speaks only PCP version ${bytes[0]}, not version 2` } : undefined;
  }
  const map = request.map;
  const payloadMatches = map !== undefined && bytes.length >= HEADER + MAP_PAYLOAD && sameMapping(bytes, map);
  // A MAP answer with its payload must be for our mapping; an error answer may come without the payload.
  if (map && bytes.length >= HEADER + MAP_PAYLOAD && !payloadMatches) return undefined;
  if (result !== 0) return { kind: "error", reason: `the router ${RESULT[result] ?? `answered PCP result code ${result}`}` };
  const common = { kind: "success" as const, opcode: request.opcode, lifetime: view.getUint32(4), epoch: view.getUint32(8) };
  if (!map) return common;
  if (!payloadMatches) return undefined;
  const ip = bytes.subarray(HEADER + 20, HEADER + 36);
  const mapped = ip.subarray(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff;
  if (!mapped) return { kind: "error", reason: "the router's PCP answer gives an IPv6 external address, not an IPv4 one" };
  return { ...common, external: { address: `${ip[12]}.${ip[13]}.${ip[14]}.${ip[15]}`, port: view.getUint16(HEADER + 18) } };
}

function sameMapping(bytes: Uint8Array, map: Omit<MapRequest, "clientAddress" | "lifetime">): boolean {
  for (let i = 0; i < 12; i++) if (bytes[HEADER + i] !== map.nonce[i]) return false;
  return bytes[HEADER + 12] === map.protocol && ((bytes[HEADER + 16]! << 8) | bytes[HEADER + 17]!) === map.internalPort;
}
