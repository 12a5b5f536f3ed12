import { decodePcpAnswer, encodeAnnounce, encodeMap, OPCODE_ANNOUNCE, OPCODE_MAP, PROTOCOL_UDP, type PcpAnswer } from "./pcp.ts";
import { udpExchange } from "./udp-exchange.ts";
import { laterStepMs, openSocket, type RouterAnswer, type RouterQuery } from "./router-types.ts";
import type { UdpSocket } from "./udp-types.ts";

/**
 * Learns the external address over PCP (RFC 6887): ANNOUNCE first (§14.1) — it maps nothing and tells whether the
 * router speaks PCP at all (a NAT-PMP-only router answers UNSUPP_VERSION in NAT-PMP's format, §9) — then one MAP
 * (§11) for this socket's own UDP port with a short lifetime, whose answer carries the assigned external address, and
 * at once the same MAP with lifetime 0, which deletes it (§15), so ddnsd leaves no mapping on the router. PCP has no
 * request that only reads the external address; a mapping of the port ddnsd is already using, for a minute at most
 * and deleted within milliseconds, is the least a MAP can ask for. If the deletion gets no answer, the mapping
 * expires by itself when its lifetime ends (said at debug).
 *
 * The socket is connected to the router's port 5351, so the system picks the address that reaches the router: that
 * is the client address every request must carry (§8.1; a wrong one is ADDRESS_MISMATCH).
 */
export const MAP_LIFETIME_SECONDS = 60;

export async function askPcp(q: RouterQuery): Promise<RouterAnswer> {
  const to = { address: q.router, port: q.ports.pcp };
  const socket = await openSocket(q, to);
  if ("reason" in socket) return { ok: false, reason: socket.reason };
  try {
    return await exchangeAll(q, socket);
  } finally {
    socket.close();
  }
}

async function exchangeAll(q: RouterQuery, socket: UdpSocket): Promise<RouterAnswer> {
  const where = `${q.router}:${q.ports.pcp}`;
  const client = socket.local.address;
  // ANNOUNCE takes the protocol's share of the deadline; MAP and its deletion what is left of it.
  const ask = (request: Uint8Array, expect: Parameters<typeof decodePcpAnswer>[1], budgetMs = laterStepMs(q)) =>
    udpExchange<PcpAnswer>({
      socket,
      to: { address: q.router, port: q.ports.pcp },
      request,
      accept: (bytes) => decodePcpAnswer(bytes, expect),
      signal: q.signal,
      initialMs: q.timing.initialMs,
      budgetMs,
      clock: q.clock,
      ignored: (from) => q.ignored(`a PCP datagram from ${from.address}:${from.port}`),
    });
  let announceRequest: Uint8Array;
  try {
    announceRequest = encodeAnnounce(client);
  } catch {
    return { ok: false, reason: `PCP needs this host's IPv4 address towards the router, and the system gave ${JSON.stringify(client)}` };
  }
  const announced = await ask(announceRequest, { opcode: OPCODE_ANNOUNCE }, q.openingMs);
  if (!announced.ok) return { ok: false, reason: `no PCP answer from ${where} (${announced.reason})` };
  const unusable = failure(announced.value);
  if (unusable) return unusable;

  const map = { nonce: q.randomBytes(12), protocol: PROTOCOL_UDP, internalPort: socket.local.port };
  const mapped = await ask(encodeMap({ ...map, clientAddress: client, lifetime: MAP_LIFETIME_SECONDS }), { opcode: OPCODE_MAP, map });
  if (!mapped.ok) return { ok: false, reason: `the router answered PCP ANNOUNCE but not MAP at ${where} (${mapped.reason})` };
  const bad = failure(mapped.value);
  if (bad) return bad;
  const answer = mapped.value as Extract<PcpAnswer, { kind: "success" }>;

  const deleted = await ask(encodeMap({ ...map, clientAddress: client, lifetime: 0 }), { opcode: OPCODE_MAP, map });
  if (!deleted.ok || deleted.value.kind !== "success") {
    const why = deleted.ok ? (deleted.value.kind === "error" ? deleted.value.reason : "it answered in NAT-PMP") : deleted.reason;
    q.log.debug(`PCP: the router did not confirm deleting ddnsd's short mapping (${why}); it expires by itself within ${answer.lifetime}s`);
  }
  return { ok: true, address: answer.external!.address };
}

/** The answer as a failure of this protocol, or `undefined` when it is a success. */
function failure(answer: PcpAnswer): RouterAnswer | undefined {
  if (answer.kind === "natpmp-only") return { ok: false, reason: "the router speaks NAT-PMP, not PCP (it answered PCP with NAT-PMP's unsupported version)" };
  if (answer.kind === "error") return { ok: false, reason: answer.reason };
  return undefined;
}
