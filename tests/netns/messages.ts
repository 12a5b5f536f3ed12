import ipaddr from "ipaddr.js";
import {
  AF_INET, AF_INET6, IFA_ADDRESS, IFA_CACHEINFO, IFA_FLAGS, IFA_LOCAL, IFLA_IFNAME, NLMSG_DONE, NLMSG_ERROR,
  RTM_DELADDR, RTM_DELLINK, RTM_NEWADDR, RTM_NEWLINK,
} from "../../src/ip/netlink/constants.ts";
import { encodeIfaddrmsg, encodeIfinfomsg, encodeMessage, stringAttribute, u32Attribute, type Attribute } from "../../src/ip/netlink/encode.ts";

/**
 * Builders for rtnetlink messages as the kernel sends them, for parser, mirror and source tests that feed bytes
 * without a kernel. Lifetimes: `null` = forever (0xFFFFFFFF).
 */

export interface AddressSpec {
  op?: "new" | "del";
  index: number;
  address: string;
  prefixLen?: number;
  /** IFA_FLAGS (u32); also written, truncated, into the legacy u8 field. */
  flags?: number;
  /** Put the address in IFA_ADDRESS only (no IFA_LOCAL), as IPv6 messages do. */
  addressOnly?: boolean;
  /** IPv4 point-to-point: IFA_ADDRESS carries this peer, IFA_LOCAL the address. */
  peer?: string;
  preferredLft?: number | null;
  validLft?: number | null;
  seq?: number;
  msgFlags?: number;
}

const bytesOf = (text: string) => new Uint8Array(ipaddr.parse(text).toByteArray());

export function addressMessage(spec: AddressSpec): Uint8Array {
  const bytes = bytesOf(spec.address);
  const family = bytes.length === 4 ? AF_INET : AF_INET6;
  const attributes: Attribute[] = [];
  if (spec.addressOnly || family === AF_INET6) attributes.push({ type: IFA_ADDRESS, value: bytes });
  else {
    attributes.push({ type: IFA_ADDRESS, value: spec.peer ? bytesOf(spec.peer) : bytes });
    attributes.push({ type: IFA_LOCAL, value: bytes });
  }
  if (spec.flags !== undefined) attributes.push(u32Attribute(IFA_FLAGS, spec.flags));
  if (spec.preferredLft !== undefined || spec.validLft !== undefined) {
    const cache = new Uint8Array(16);
    const view = new DataView(cache.buffer);
    view.setUint32(0, spec.preferredLft ?? 0xffffffff, true);
    view.setUint32(4, spec.validLft ?? 0xffffffff, true);
    attributes.push({ type: IFA_CACHEINFO, value: cache });
  }
  return encodeMessage({
    type: spec.op === "del" ? RTM_DELADDR : RTM_NEWADDR,
    flags: spec.msgFlags ?? 0,
    seq: spec.seq ?? 0,
    body: encodeIfaddrmsg(family, spec.prefixLen ?? (family === AF_INET ? 24 : 64), spec.flags ?? 0, 0, spec.index),
    attributes,
  });
}

export const linkMessage = (spec: { op?: "new" | "del"; index: number; name: string; seq?: number; msgFlags?: number }) =>
  encodeMessage({
    type: spec.op === "del" ? RTM_DELLINK : RTM_NEWLINK,
    flags: spec.msgFlags ?? 0,
    seq: spec.seq ?? 0,
    body: encodeIfinfomsg(spec.index),
    attributes: [stringAttribute(IFLA_IFNAME, spec.name)],
  });

export const doneMessage = (seq: number, msgFlags = 2) =>
  encodeMessage({ type: NLMSG_DONE, flags: msgFlags, seq, body: new Uint8Array(4) });

export function errorMessage(seq: number, errno: number): Uint8Array {
  const body = new Uint8Array(20);
  new DataView(body.buffer).setInt32(0, -errno, true);
  return encodeMessage({ type: NLMSG_ERROR, flags: 0, seq, body });
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
