import * as dnsPacket from "dns-packet";
import type { RecordType as PacketRecordType } from "dns-packet";
import { concatBytes, encodeName, layoutOf, writeU16 } from "./wire.ts";

/**
 * The DNS messages the RFC 2136 provider sends: a plain query and the UPDATE that replaces RRsets. Pure.
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
/** A and AAAA, and TXT for the owner records of DDNS_OWNER_ID (each value one character-string). */
const TYPE_CODES = { A: 1, AAAA: 28, TXT: 16 } as const;
const CLASS_ANY = 255;

export interface RrsetReplacement {
  zone: string;
  name: string;
  type: keyof typeof TYPE_CODES;
  ttl: number;
  content: string;
}

/** One RRset of a multi-set UPDATE: (name, type) is to hold exactly `values`. */
export interface RrsetValues {
  name: string;
  type: keyof typeof TYPE_CODES;
  ttl: number;
  values: readonly string[];
}

/** One atomic UPDATE that makes (name, type) hold exactly `content` (see buildReplaceSetsUpdate). */
export function buildReplaceUpdate(change: RrsetReplacement, id: number): Uint8Array {
  return buildReplaceSetsUpdate(change.zone, [{ name: change.name, type: change.type, ttl: change.ttl, values: [change.content] }], id);
}

/**
 * One atomic UPDATE that makes each (name, type) of `sets` hold exactly its values — the server applies all of it
 * or none: no prerequisites, for every set "delete all RRsets of this type at this name" (class ANY, RFC 2136
 * §2.5.2), then "add to an RRset" (class IN) for every value. dns-packet encodes the header, zone section and the add
 * records; the delete records (class ANY, empty RDATA, which dns-packet's A/AAAA codecs cannot express) are spliced
 * in ahead of them. The sets must be distinct (name, type) pairs: all deletes come before all adds.
 */
export function buildReplaceSetsUpdate(zone: string, sets: readonly RrsetValues[], id: number): Uint8Array {
  const adds = sets.flatMap((set) => set.values.map((data) => ({ name: set.name, type: set.type, class: "IN" as const, ttl: set.ttl, data })));
  const base = new Uint8Array(
    dnsPacket.encode({ id, flags: UPDATE_OPCODE << 11, questions: [{ name: zone, type: "SOA", class: "IN" }], authorities: adds }),
  );
  const deletes = sets.map((set) => concatBytes(encodeName(set.name), Uint8Array.of(0, TYPE_CODES[set.type], 0, CLASS_ANY, 0, 0, 0, 0, 0, 0)));
  const { questionEnd } = layoutOf(base);
  const message = concatBytes(base.subarray(0, questionEnd), ...deletes, base.subarray(questionEnd));
  writeU16(message, 8, deletes.length + adds.length);
  return message;
}

/**
 * One atomic UPDATE that makes each (name, type) of `sets` hold exactly its values (none: the set is deleted), only
 * if each RRset of `expect` still holds exactly its values: the prerequisite "RRset exists (value dependent)" (RFC
 * 2136 §2.4.2: class IN, TTL 0, every value) for each, then for every set "delete an RRset" (class ANY, §2.5.2) and
 * "add to an RRset" for its values. A set changed since it was read fails the whole UPDATE with NXRRSET, and nothing
 * changes (DDNS_DELETE_ON_STOP never removes a set someone else changed, nor rewrites an owner TXT set meanwhile
 * changed). dns-packet writes no name compression, so the prerequisites' bytes end where they would alone.
 */
export function buildConditionalUpdate(zone: string, expect: readonly RrsetValues[], sets: readonly RrsetValues[], id: number): Uint8Array {
  const prerequisites = expect.flatMap((set) => set.values.map((data) => ({ name: set.name, type: set.type, class: "IN" as const, ttl: 0, data })));
  const adds = sets.flatMap((set) => set.values.map((data) => ({ name: set.name, type: set.type, class: "IN" as const, ttl: set.ttl, data })));
  const header = { id, flags: UPDATE_OPCODE << 11, questions: [{ name: zone, type: "SOA" as const, class: "IN" as const }], answers: prerequisites };
  const split = dnsPacket.encode(header).length;
  const base = new Uint8Array(dnsPacket.encode({ ...header, authorities: adds }));
  const deletes = sets.map((set) => concatBytes(encodeName(set.name), Uint8Array.of(0, TYPE_CODES[set.type], 0, CLASS_ANY, 0, 0, 0, 0, 0, 0)));
  const message = concatBytes(base.subarray(0, split), ...deletes, base.subarray(split));
  writeU16(message, 8, deletes.length + adds.length);
  return message;
}

/** One atomic UPDATE that deletes each RRset of `sets` only if it still holds exactly its values. */
export function buildDeleteSetsUpdate(zone: string, sets: readonly RrsetValues[], id: number): Uint8Array {
  return buildConditionalUpdate(zone, sets, sets.map((set) => ({ ...set, values: [] })), id);
}

/** Opcode of a raw message (for tests and logs). */
export function opcodeOf(message: Uint8Array): number {
  return ((message[2] ?? 0) >> 3) & 0x0f;
}

