import type { AddressCandidate } from "../address-choice.ts";
import type { Family } from "../../core/family.ts";
import type { AddressEvent, NetlinkEvent } from "./parse.ts";

/**
 * A pure mirror of the kernel state ddnsd cares about: interface names by index and addresses by index. Events are
 * applied in order; a dump replaces everything. Interfaces are looked up by name at question time, so a link that is
 * recreated with a new index (a PPP session, a VPN restart) is found again as soon as its RTM_NEWLINK arrives.
 */

export interface MirroredAddress extends AddressEvent {
  /** When the message was received (ms, the source's clock): lifetimes count down from here. */
  receivedAt: number;
}

export interface KernelMirror {
  /** Applies events in order (RTM_NEWADDR/DELADDR, RTM_NEWLINK/DELLINK). */
  apply(events: readonly NetlinkEvent[], now: number): void;
  /** Replaces the whole state with a dump's events. */
  replace(events: readonly NetlinkEvent[], now: number): void;
  /** Whether a dump has been loaded. */
  readonly loaded: boolean;
  indexOf(name: string): number | undefined;
  /** The addresses of `family` on the interface called `name` (empty when it does not exist). */
  addresses(name: string, family: Family): MirroredAddress[];
  /** The same, as candidates for address-choice.ts, with lifetimes counted down to `now`. */
  candidates(name: string, family: Family, now: number): AddressCandidate[];
}

const keyOf = (e: AddressEvent) => `${e.index}/${e.family}/${e.address}/${e.prefixLen}`;

const remaining = (seconds: number | null, receivedAt: number, now: number) =>
  seconds === null ? null : Math.max(0, seconds - Math.floor(Math.max(0, now - receivedAt) / 1000));

export function createKernelMirror(): KernelMirror {
  const names = new Map<number, string>();
  const addresses = new Map<string, MirroredAddress>();
  let loaded = false;

  const dropIndex = (index: number) => {
    names.delete(index);
    for (const [key, a] of addresses) if (a.index === index) addresses.delete(key);
  };

  const applyOne = (e: NetlinkEvent, now: number) => {
    if (e.kind === "link") {
      if (e.op === "del") return dropIndex(e.index);
      if (e.name === undefined) return;
      const previous = names.get(e.index);
      if (previous !== undefined && previous !== e.name) names.delete(e.index); // renamed: the name moves
      for (const [index, name] of names) if (name === e.name && index !== e.index) dropIndex(index); // stale twin
      names.set(e.index, e.name);
      return;
    }
    if (e.op === "del") addresses.delete(keyOf(e));
    else addresses.set(keyOf(e), { ...e, receivedAt: now });
  };

  const indexOf = (name: string) => {
    for (const [index, n] of names) if (n === name) return index;
    return undefined;
  };

  const addressesOf = (name: string, family: Family) => {
    const index = indexOf(name);
    if (index === undefined) return [];
    return [...addresses.values()].filter((a) => a.index === index && a.family === family);
  };

  return {
    apply(events, now) {
      for (const e of events) applyOne(e, now);
    },
    replace(events, now) {
      names.clear();
      addresses.clear();
      for (const e of events) applyOne(e, now);
      loaded = true;
    },
    get loaded() {
      return loaded;
    },
    indexOf,
    addresses: addressesOf,
    candidates(name, family, now) {
      return addressesOf(name, family).map((a) => ({
        address: a.address,
        flags: a.flags,
        preferredSeconds: remaining(a.preferredLft, a.receivedAt, now),
        validSeconds: remaining(a.validLft, a.receivedAt, now),
      }));
    },
  };
}
