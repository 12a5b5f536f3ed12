import { checkPublishable } from "../core/address-rules.ts";
import type { Family } from "../core/family.ts";

/**
 * The one rule for which of an interface's addresses ddnsd publishes (netlink and interface sources alike).
 * Pure: candidates in, one address or the reasons none qualifies out. Range classification is address-rules.ts's
 * job; this module adds what only the interface knows — kernel flags and lifetimes — and stability.
 */

/** Kernel interface-address flags (IFA_F_*, include/uapi/linux/if_addr.h). */
export const AddressFlag = {
  /** IPv6: a temporary (privacy, RFC 8981) address. IPv4: the same bit means SECONDARY. */
  TEMPORARY: 0x01,
  SECONDARY: 0x01,
  NODAD: 0x02,
  OPTIMISTIC: 0x04,
  DADFAILED: 0x08,
  DEPRECATED: 0x20,
  TENTATIVE: 0x40,
  PERMANENT: 0x80,
} as const;

export interface AddressCandidate {
  address: string;
  /** IFA_F_* flags; `undefined` when the source cannot know them (os.networkInterfaces()). */
  flags?: number;
  /** Remaining preferred / valid lifetime in seconds; `null` = forever; `undefined` = unknown. */
  preferredSeconds?: number | null;
  validSeconds?: number | null;
}

export interface ChoiceOptions {
  family: Family;
  /** The address chosen last time: kept while it stays eligible, so that two valid addresses never flap. */
  current?: string;
  allowPrivate: boolean;
}

export type Choice = { ok: true; address: string } | { ok: false; skipped: string[] };

type Eligible = { address: string; candidate: AddressCandidate };

/** Why a candidate may not be published, or its canonical text when it may. */
function rejection(c: AddressCandidate, family: Family, allowPrivate: boolean): string | { address: string } {
  const verdict = checkPublishable(c.address, family, { allowPrivate });
  if (!verdict.ok) return verdict.reason;
  const flags = c.flags ?? 0;
  const quoted = JSON.stringify(verdict.address);
  if (flags & AddressFlag.DADFAILED) return `${quoted} failed duplicate address detection`;
  if (flags & AddressFlag.TENTATIVE) return `${quoted} is tentative (duplicate address detection is still running)`;
  if (family === 6 && flags & AddressFlag.TEMPORARY) return `${quoted} is a temporary (privacy) address`;
  if (flags & AddressFlag.DEPRECATED || c.preferredSeconds === 0) return `${quoted} is deprecated`;
  if (typeof c.validSeconds === "number" && c.validSeconds <= 0) return `${quoted} has expired`;
  return { address: verdict.address };
}

const preferred = (c: AddressCandidate) => (typeof c.preferredSeconds === "number" ? c.preferredSeconds : Infinity);

/** Orders eligible addresses, most stable first: permanent, longest preferred lifetime, IPv4 primary, then text. */
function compareStability(a: Eligible, b: Eligible, family: Family): number {
  const permanent = (e: Eligible) => ((e.candidate.flags ?? 0) & AddressFlag.PERMANENT ? 1 : 0);
  if (permanent(a) !== permanent(b)) return permanent(b) - permanent(a);
  const pa = preferred(a.candidate);
  const pb = preferred(b.candidate);
  if (pa !== pb) return pb > pa ? 1 : -1;
  if (family === 4) {
    const secondary = (e: Eligible) => ((e.candidate.flags ?? 0) & AddressFlag.SECONDARY ? 1 : 0);
    if (secondary(a) !== secondary(b)) return secondary(a) - secondary(b);
  }
  return a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
}

/**
 * Picks the address to publish: only public (or, with `allowPrivate`, private) addresses that are not tentative,
 * DAD-failed, deprecated, expired, or IPv6 temporary; keeps `current` while it stays eligible; otherwise the most
 * stable candidate. `skipped` lists one reason per rejected candidate, for debug logs.
 */
export function chooseAddress(candidates: readonly AddressCandidate[], options: ChoiceOptions): Choice {
  const eligible: Eligible[] = [];
  const skipped: string[] = [];
  for (const candidate of candidates) {
    const verdict = rejection(candidate, options.family, options.allowPrivate);
    if (typeof verdict === "string") skipped.push(verdict);
    else eligible.push({ address: verdict.address, candidate });
  }
  if (eligible.length === 0) return { ok: false, skipped };
  const kept = options.current === undefined ? undefined : eligible.find((e) => e.address === options.current);
  if (kept) return { ok: true, address: kept.address };
  eligible.sort((a, b) => compareStability(a, b, options.family));
  return { ok: true, address: (eligible[0] as Eligible).address };
}

/**
 * The interface's settled, non-public addresses of `family` (private, CGNAT, ULA — not link-local, loopback,
 * tentative or DAD-failed), canonical and sorted. When nothing is publishable (behind NAT), a change here — a DHCP
 * renewal or a new PPPoE session — is the hint to ask the http source at once.
 */
export function settledPrivateAddresses(candidates: readonly AddressCandidate[], family: Family): string[] {
  const out: string[] = [];
  for (const c of candidates) {
    if ((c.flags ?? 0) & (AddressFlag.TENTATIVE | AddressFlag.DADFAILED)) continue;
    const verdict = checkPublishable(c.address, family, { allowPrivate: true });
    if (verdict.ok && !checkPublishable(c.address, family, { allowPrivate: false }).ok) out.push(verdict.address);
  }
  return out.sort();
}

/** The error a source returns when the interface holds no publishable address (marked `wantsFallback`, so that
 * the daemon can ask the http source for the public address behind NAT: `DDNS_IP_SOURCE_HTTP_FALLBACK`). */
export const noPublicAddressError = (family: Family, interfaceName: string) =>
  `no public IPv${family} address on ${interfaceName}`;
