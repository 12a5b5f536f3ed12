import * as dnsPacket from "dns-packet";
import type { RecordType as PacketRecordType } from "dns-packet";
import { concatBytes, encodeName, layoutOf, writeU16 } from "./wire.ts";

/**
 * The DNS messages the RFC 2136 provider sends: a plain query and the UPDATE that replaces one RRset. Pure.
 */

/** A random 16-bit message id (RFC 5452: ids must not be predictable). */
export function randomId(): number {
  return crypto.getRandomValues(new Uint16Array(1))[0] ?? 0;
}

/** A non-recursive query (RD clear: the server is asked about its own zones only). */
export function buildQuery(name: string, type: PacketRecordType, id: number): Uint8Array {
  return new Uint8Array(dnsPacket.encode({ id, flags: 0, questions: [{ name, type, class: "IN" }] }));
}

/** DNS UPDATE (RFC 2136) opcode, set through dns-packet's `flags` (it has no opcode field for encoding). */
export const UPDATE_OPCODE = 5;
const TYPE_CODES = { A: 1, AAAA: 28 } as const;
const CLASS_ANY = 255;

export interface RrsetReplacement {
  zone: string;
  name: string;
  type: keyof typeof TYPE_CODES;
  ttl: number;
  content: string;
}

/**
 * One atomic UPDATE that makes (name, type) hold exactly `content`: no prerequisites, "delete all RRsets of this
 * type at this name" (class ANY, RFC 2136 §2.5.2), then "add to an RRset" (class IN). dns-packet encodes the
 * header, zone section and the add record; the delete record (class ANY, empty RDATA, which dns-packet's A/AAAA
 * codecs cannot express) is spliced in ahead of it.
 */
export function buildReplaceUpdate(change: RrsetReplacement, id: number): Uint8Array {
  const base = new Uint8Array(
    dnsPacket.encode({
      id,
      flags: UPDATE_OPCODE << 11,
      questions: [{ name: change.zone, type: "SOA", class: "IN" }],
      authorities: [{ name: change.name, type: change.type, class: "IN", ttl: change.ttl, data: change.content }],
    }),
  );
  const deleteRrset = concatBytes(
    encodeName(change.name),
    Uint8Array.of(0, TYPE_CODES[change.type], 0, CLASS_ANY, 0, 0, 0, 0, 0, 0),
  );
  const { questionEnd } = layoutOf(base);
  const message = concatBytes(base.subarray(0, questionEnd), deleteRrset, base.subarray(questionEnd));
  writeU16(message, 8, 2);
  return message;
}

/** Opcode of a raw message (for tests and logs). */
export function opcodeOf(message: Uint8Array): number {
  return ((message[2] ?? 0) >> 3) & 0x0f;
}

