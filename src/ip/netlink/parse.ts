import ipaddr from "ipaddr.js";
import type { Family } from "../../core/family.ts";
import {
  AF_INET, AF_INET6, HOST_LITTLE_ENDIAN as LE, IFADDRMSG_LEN, IFA_ADDRESS, IFA_CACHEINFO, IFA_FLAGS, IFA_LABEL,
  IFA_LOCAL, IFINFOMSG_LEN, IFLA_IFNAME, INFINITY_LIFE_TIME, NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN, NLM_F_DUMP_INTR,
  RTA_HDRLEN, RTM_DELADDR, RTM_DELLINK, RTM_NEWADDR, RTM_NEWLINK,
} from "./constants.ts";

/**
 * The pure rtnetlink parser: bytes from the kernel in, typed events out. It never throws and always advances, so
 * random or truncated input ends in `errors`, not in an exception or an endless loop.
 */

export interface RawMessage {
  type: number;
  flags: number;
  seq: number;
  payload: Uint8Array;
}

export type AddressEvent = {
  kind: "address";
  op: "new" | "del";
  family: Family;
  index: number;
  prefixLen: number;
  scope: number;
  /** IFA_FLAGS (u32) when present, else the legacy u8 `ifa_flags`. */
  flags: number;
  /** The interface's own address: IFA_LOCAL, else IFA_ADDRESS (which is the peer on point-to-point links). */
  address: string;
  label?: string;
  /** Remaining lifetimes in seconds when the message was sent; `null` = forever. */
  preferredLft: number | null;
  validLft: number | null;
};
export type LinkEvent = { kind: "link"; op: "new" | "del"; index: number; name?: string };
export type NetlinkEvent = AddressEvent | LinkEvent;

export interface ParseResult {
  events: NetlinkEvent[];
  errors: string[];
  /** Sequence numbers of NLMSG_DONE messages (the end of a dump). */
  done: number[];
  /** NLMSG_ERROR answers: errno 0 is an acknowledgement. */
  failures: Array<{ seq: number; errno: number }>;
  /** Some message carried NLM_F_DUMP_INTR: the dump saw a change while running and must be repeated. */
  dumpInterrupted: boolean;
}

const viewOf = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const align4 = (n: number) => (n + 3) & ~3;

/** Splits a receive buffer into messages; stops with an error at the first header that does not fit. */
export function splitMessages(buf: Uint8Array): { messages: RawMessage[]; error?: string } {
  const messages: RawMessage[] = [];
  const view = viewOf(buf);
  let at = 0;
  while (at < buf.length) {
    if (buf.length - at < NLMSG_HDRLEN) return { messages, error: `truncated netlink header at byte ${at}` };
    const len = view.getUint32(at, LE);
    if (len < NLMSG_HDRLEN || len > buf.length - at) {
      return { messages, error: `netlink message at byte ${at} claims ${len} bytes, ${buf.length - at} remain` };
    }
    messages.push({
      type: view.getUint16(at + 4, LE),
      flags: view.getUint16(at + 6, LE),
      seq: view.getUint32(at + 8, LE),
      payload: buf.subarray(at + NLMSG_HDRLEN, at + len),
    });
    at += Math.min(align4(len), buf.length - at);
  }
  return { messages };
}

/** Reads the rtattrs after a fixed header; a malformed attribute ends the list with an error. */
export function parseAttributes(payload: Uint8Array, offset: number): { attrs: Map<number, Uint8Array>; error?: string } {
  const attrs = new Map<number, Uint8Array>();
  const view = viewOf(payload);
  let at = align4(offset);
  while (at + RTA_HDRLEN <= payload.length) {
    const len = view.getUint16(at, LE);
    if (len < RTA_HDRLEN || len > payload.length - at) return { attrs, error: `attribute at byte ${at} claims ${len} bytes` };
    attrs.set(view.getUint16(at + 2, LE) & 0x3fff, payload.subarray(at + RTA_HDRLEN, at + len));
    at += align4(len);
  }
  return { attrs };
}

function addressText(family: Family, bytes: Uint8Array | undefined): string | undefined {
  if (!bytes || bytes.length !== (family === 4 ? 4 : 16)) return undefined;
  return ipaddr.fromByteArray(Array.from(bytes)).toString();
}

const lifetime = (seconds: number) => (seconds === INFINITY_LIFE_TIME ? null : seconds);
const cString = (bytes: Uint8Array) => {
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
};

function parseAddress(m: RawMessage): AddressEvent | string | undefined {
  if (m.payload.length < IFADDRMSG_LEN) return `address message of ${m.payload.length} bytes is too short`;
  const p = m.payload;
  const family: Family | undefined = p[0] === AF_INET ? 4 : p[0] === AF_INET6 ? 6 : undefined;
  if (family === undefined) return undefined; // other address families are not ours
  const { attrs, error } = parseAttributes(p, IFADDRMSG_LEN);
  if (error) return error;
  const local = attrs.get(IFA_LOCAL) ?? attrs.get(IFA_ADDRESS);
  const address = addressText(family, local);
  if (!address) return `IPv${family} address message without a valid address attribute`;
  const flagsAttr = attrs.get(IFA_FLAGS);
  const cache = attrs.get(IFA_CACHEINFO);
  const label = attrs.get(IFA_LABEL);
  return {
    kind: "address",
    op: m.type === RTM_NEWADDR ? "new" : "del",
    family,
    index: viewOf(p).getUint32(4, LE),
    prefixLen: p[1] ?? 0,
    scope: p[3] ?? 0,
    flags: flagsAttr && flagsAttr.length >= 4 ? viewOf(flagsAttr).getUint32(0, LE) : (p[2] ?? 0),
    address,
    ...(label ? { label: cString(label) } : {}),
    preferredLft: cache && cache.length >= 8 ? lifetime(viewOf(cache).getUint32(0, LE)) : null,
    validLft: cache && cache.length >= 8 ? lifetime(viewOf(cache).getUint32(4, LE)) : null,
  };
}

function parseLink(m: RawMessage): LinkEvent | string {
  if (m.payload.length < IFINFOMSG_LEN) return `link message of ${m.payload.length} bytes is too short`;
  const { attrs, error } = parseAttributes(m.payload, IFINFOMSG_LEN);
  if (error) return error;
  const name = attrs.get(IFLA_IFNAME);
  return {
    kind: "link",
    op: m.type === RTM_NEWLINK ? "new" : "del",
    index: viewOf(m.payload).getInt32(4, LE),
    ...(name ? { name: cString(name) } : {}),
  };
}

/** Parses every message in `buf`: address and link events, dump ends, errors. */
export function parseMessages(buf: Uint8Array): ParseResult {
  const result: ParseResult = { events: [], errors: [], done: [], failures: [], dumpInterrupted: false };
  const { messages, error } = splitMessages(buf);
  for (const m of messages) {
    if (m.flags & NLM_F_DUMP_INTR) result.dumpInterrupted = true;
    let parsed: NetlinkEvent | string | undefined;
    if (m.type === RTM_NEWADDR || m.type === RTM_DELADDR) parsed = parseAddress(m);
    else if (m.type === RTM_NEWLINK || m.type === RTM_DELLINK) parsed = parseLink(m);
    else if (m.type === NLMSG_DONE) result.done.push(m.seq);
    else if (m.type === NLMSG_ERROR) {
      if (m.payload.length < 4) parsed = "truncated NLMSG_ERROR";
      else result.failures.push({ seq: m.seq, errno: -viewOf(m.payload).getInt32(0, LE) });
    }
    if (typeof parsed === "string") result.errors.push(parsed);
    else if (parsed) result.events.push(parsed);
  }
  if (error) result.errors.push(error);
  return result;
}
