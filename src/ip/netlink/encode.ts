import {
  AF_UNSPEC, HOST_LITTLE_ENDIAN as LE, IFADDRMSG_LEN, IFINFOMSG_LEN, NLMSG_HDRLEN, NLM_F_DUMP, NLM_F_REQUEST,
  RTA_HDRLEN, RTM_GETADDR, RTM_GETLINK, SOCKADDR_NL_LEN,
} from "./constants.ts";

/**
 * Encoders for the few netlink structures ddnsd sends: `sockaddr_nl`, dump requests, and (for tests and the
 * benchmark) whole messages with attributes. Pure: bytes in, bytes out.
 */

const align4 = (n: number) => (n + 3) & ~3;

export interface Attribute {
  type: number;
  value: Uint8Array;
}

export interface MessageSpec {
  type: number;
  flags: number;
  seq: number;
  pid?: number;
  /** The fixed family header (ifaddrmsg, ifinfomsg…), already encoded. */
  body: Uint8Array;
  attributes?: Attribute[];
}

/** One netlink message: nlmsghdr, the body, then 4-byte aligned rtattrs. */
export function encodeMessage(spec: MessageSpec): Uint8Array {
  const attrs = spec.attributes ?? [];
  const attrBytes = attrs.reduce((sum, a) => sum + align4(RTA_HDRLEN + a.value.length), 0);
  const total = NLMSG_HDRLEN + align4(spec.body.length) + attrBytes;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, total, LE);
  view.setUint16(4, spec.type, LE);
  view.setUint16(6, spec.flags, LE);
  view.setUint32(8, spec.seq >>> 0, LE);
  view.setUint32(12, (spec.pid ?? 0) >>> 0, LE);
  out.set(spec.body, NLMSG_HDRLEN);
  let at = NLMSG_HDRLEN + align4(spec.body.length);
  for (const a of attrs) {
    view.setUint16(at, RTA_HDRLEN + a.value.length, LE);
    view.setUint16(at + 2, a.type, LE);
    out.set(a.value, at + RTA_HDRLEN);
    at += align4(RTA_HDRLEN + a.value.length);
  }
  return out;
}

/** `struct sockaddr_nl`: family, pad, pid at 4, groups at 8. */
export function encodeSockaddrNl(groups: number, pid = 0): Uint8Array {
  const out = new Uint8Array(SOCKADDR_NL_LEN);
  const view = new DataView(out.buffer);
  view.setUint16(0, 16, LE);
  view.setUint32(4, pid >>> 0, LE);
  view.setUint32(8, groups >>> 0, LE);
  return out;
}

/** `struct ifaddrmsg`: family, prefix length, legacy u8 flags, scope, interface index (u32 at 4). */
export function encodeIfaddrmsg(family: number, prefixLen: number, flags: number, scope: number, index: number): Uint8Array {
  const out = new Uint8Array(IFADDRMSG_LEN);
  out[0] = family;
  out[1] = prefixLen;
  out[2] = flags & 0xff;
  out[3] = scope;
  new DataView(out.buffer).setUint32(4, index >>> 0, LE);
  return out;
}

/** `struct ifinfomsg`: family, pad, type u16, index i32 at 4, flags u32 at 8, change u32 at 12. */
export function encodeIfinfomsg(index: number, flags = 0): Uint8Array {
  const out = new Uint8Array(IFINFOMSG_LEN);
  const view = new DataView(out.buffer);
  view.setInt32(4, index, LE);
  view.setUint32(8, flags >>> 0, LE);
  return out;
}

export const u32Attribute = (type: number, value: number): Attribute => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value >>> 0, LE);
  return { type, value: bytes };
};

export const stringAttribute = (type: number, text: string): Attribute => ({
  type,
  value: new TextEncoder().encode(`${text}\0`),
});

/** The two dump requests a full reload sends: every link (for index → name), then every address. */
export const linkDumpRequest = (seq: number) =>
  encodeMessage({ type: RTM_GETLINK, flags: NLM_F_REQUEST | NLM_F_DUMP, seq, body: encodeIfinfomsg(0) });

export const addressDumpRequest = (seq: number) =>
  encodeMessage({ type: RTM_GETADDR, flags: NLM_F_REQUEST | NLM_F_DUMP, seq, body: encodeIfaddrmsg(AF_UNSPEC, 0, 0, 0, 0) });
