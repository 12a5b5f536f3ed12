import { Buffer } from "node:buffer";
import * as dnsPacket from "dns-packet";
import type { DecodedPacket, RecordType as PacketRecordType } from "dns-packet";
import { buildQuery, randomId } from "./messages.ts";
import { DnsTimeoutError, type DnsServer, type DnsTransport } from "./transport.ts";
import { signRequest, verifyResponse, type TsigCheck, type TsigKey } from "./tsig.ts";
import { byteAt } from "./wire.ts";

/** Classic DNS over UDP without EDNS: larger messages go over TCP. */
export const UDP_LIMIT = 512;

export type ExchangeFailure = "timeout" | "aborted" | "network" | "malformed";

/** Why an exchange produced no usable answer. `timeout` and `aborted` after sending leave the outcome unknown. */
export class DnsExchangeError extends Error {
  override readonly name = "DnsExchangeError";
  readonly reason: ExchangeFailure;
  constructor(reason: ExchangeFailure, message: string) {
    super(message);
    this.reason = reason;
  }
}

export interface DnsAnswer {
  packet: DecodedPacket;
  /** Numeric RCODE (header only; this client sends no EDNS, so no extended codes). */
  rcode: number;
  raw: Uint8Array;
}

export interface SignedAnswer extends DnsAnswer {
  tsig: TsigCheck;
}

export interface DnsClientDeps {
  transport: DnsTransport;
  server: DnsServer;
  /** Per attempt (UDP, then TCP when needed). */
  timeoutMs: number;
  now: () => number;
  onRequest?: (outcome: "ok" | "error" | "timeout") => void;
}

export interface DnsClient {
  /** A plain (unsigned, non-recursive) query. */
  query(name: string, type: PacketRecordType, signal: AbortSignal): Promise<DnsAnswer>;
  /** Signs `message` with `key`, sends it, and reports whether the answer's TSIG verifies. */
  sendSigned(message: Uint8Array, key: TsigKey, signal: AbortSignal): Promise<SignedAnswer>;
}

export function createDnsClient(deps: DnsClientDeps): DnsClient {
  async function attempt(message: Uint8Array, protocol: "udp" | "tcp", signal: AbortSignal): Promise<Uint8Array> {
    try {
      const raw = await deps.transport.exchange(deps.server, message, { protocol, signal, timeoutMs: deps.timeoutMs });
      deps.onRequest?.("ok");
      return raw;
    } catch (error) {
      if (signal.aborted) throw new DnsExchangeError("aborted", "the request was cancelled");
      const timedOut = error instanceof DnsTimeoutError;
      deps.onRequest?.(timedOut ? "timeout" : "error");
      const detail = error instanceof Error ? error.message : String(error);
      throw new DnsExchangeError(timedOut ? "timeout" : "network", `${protocol.toUpperCase()}: ${detail}`);
    }
  }

  /** UDP first; TCP when the message is too big for UDP or the UDP answer came back truncated (TC). */
  async function exchange(message: Uint8Array, signal: AbortSignal): Promise<DnsAnswer> {
    let raw = await attempt(message, message.length > UDP_LIMIT ? "tcp" : "udp", signal);
    if (message.length <= UDP_LIMIT && (byteAt(raw, 2) & 0x02) !== 0) raw = await attempt(message, "tcp", signal);
    try {
      const packet = dnsPacket.decode(Buffer.from(raw));
      return { packet, rcode: byteAt(raw, 3) & 0x0f, raw };
    } catch (error) {
      throw new DnsExchangeError("malformed", `the server sent an unreadable answer (${String(error)})`);
    }
  }

  return {
    query(name, type, signal) {
      return exchange(buildQuery(name, type, randomId()), signal);
    },
    async sendSigned(message, key, signal) {
      const signed = await signRequest(message, key, deps.now() / 1000);
      const answer = await exchange(signed.bytes, signal);
      const tsig = await verifyResponse(answer.raw, key, signed, deps.now() / 1000);
      return { ...answer, tsig };
    },
  };
}
