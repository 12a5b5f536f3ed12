/**
 * Small DNS wire-format helpers that dns-packet does not offer: canonical (lower-case, uncompressed) names for
 * TSIG digests, walking a raw message to find where its last record starts, and matching a response to its query.
 * Pure functions over bytes; no I/O.
 */

export const HEADER_BYTES = 12;

/** Normalises a domain name: lower case, no trailing dot ("" is the root). */
export function normalizeName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith(".") ? lower.slice(0, -1) : lower;
}

/** Encodes a name in canonical wire form (RFC 4034 §6.2: lower case, no compression). */
export function encodeName(name: string): Uint8Array {
  const normal = normalizeName(name);
  const labels = normal === "" ? [] : normal.split(".");
  const out: number[] = [];
  for (const label of labels) {
    const bytes = new TextEncoder().encode(label);
    if (bytes.length === 0 || bytes.length > 63) throw new Error(`invalid label in name ${JSON.stringify(name)}`);
    out.push(bytes.length, ...bytes);
  }
  out.push(0);
  if (out.length > 255) throw new Error(`name ${JSON.stringify(name)} is longer than 255 octets`);
  return Uint8Array.from(out);
}

/** Reads a (possibly compressed) name at `offset`; returns it normalised and the offset just past it. */
export function readName(buf: Uint8Array, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let pos = offset;
  let next = -1;
  for (let hops = 0; hops < 128; hops++) {
    const len = byteAt(buf, pos);
    if (len === 0) {
      return { name: labels.join(".").toLowerCase(), next: next === -1 ? pos + 1 : next };
    }
    if ((len & 0xc0) === 0xc0) {
      if (next === -1) next = pos + 2;
      pos = ((len & 0x3f) << 8) | byteAt(buf, pos + 1);
      continue;
    }
    if (len > 63) throw new Error("malformed DNS name");
    if (pos + 1 + len > buf.length) throw new Error("truncated DNS name");
    labels.push(new TextDecoder().decode(buf.subarray(pos + 1, pos + 1 + len)));
    pos += 1 + len;
  }
  throw new Error("DNS name compression loop");
}

export function byteAt(buf: Uint8Array, offset: number): number {
  const value = buf[offset];
  if (value === undefined) throw new Error("truncated DNS message");
  return value;
}

export function readU16(buf: Uint8Array, offset: number): number {
  return (byteAt(buf, offset) << 8) | byteAt(buf, offset + 1);
}

export function writeU16(buf: Uint8Array, offset: number, value: number): void {
  buf[offset] = (value >>> 8) & 0xff;
  buf[offset + 1] = value & 0xff;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export interface MessageLayout {
  id: number;
  flags: number;
  counts: { qd: number; an: number; ns: number; ar: number };
  /** Offset just past the question section. */
  questionEnd: number;
  /** Offset of each additional-section record. */
  additionals: number[];
  /** Offset just past the last record. */
  end: number;
}

/** Walks a raw message: header counts, where the question section ends, where each additional record starts. */
export function layoutOf(buf: Uint8Array): MessageLayout {
  const counts = { qd: readU16(buf, 4), an: readU16(buf, 6), ns: readU16(buf, 8), ar: readU16(buf, 10) };
  let pos = HEADER_BYTES;
  for (let i = 0; i < counts.qd; i++) pos = readName(buf, pos).next + 4;
  const questionEnd = pos;
  const additionals: number[] = [];
  const records = counts.an + counts.ns + counts.ar;
  for (let i = 0; i < records; i++) {
    if (i >= counts.an + counts.ns) additionals.push(pos);
    pos = readName(buf, pos).next;
    pos += 10 + readU16(buf, pos + 8);
    if (pos > buf.length) throw new Error("truncated DNS message");
  }
  return { id: readU16(buf, 0), flags: readU16(buf, 2), counts, questionEnd, additionals, end: pos };
}

/** True when `response` answers `query`: same id, and the same question (names compared case-insensitively). */
export function matchesQuery(query: Uint8Array, response: Uint8Array): boolean {
  try {
    if (response.length < HEADER_BYTES || readU16(query, 0) !== readU16(response, 0)) return false;
    if ((byteAt(response, 2) & 0x80) === 0) return false;
    const q = questionKey(query);
    const r = questionKey(response);
    // A server may omit the question in some error answers (FORMERR); accept an empty one.
    return r === "" || q === r;
  } catch {
    return false;
  }
}

function questionKey(buf: Uint8Array): string {
  if (readU16(buf, 4) === 0) return "";
  const { name, next } = readName(buf, HEADER_BYTES);
  return `${name}/${readU16(buf, next)}/${readU16(buf, next + 2)}`;
}
