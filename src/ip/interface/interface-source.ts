import type { Logger } from "../../log/logger.ts";
import type { AddressCandidate } from "../address-choice.ts";
import { createChoiceTracker, notifyChanges } from "../choice-tracker.ts";
import type { Family } from "../../core/family.ts";
import type { Detection, IpSource } from "../types.ts";

/**
 * `DDNS_IP_SOURCE_TYPE=interface`: the portable source. It reads the interface list (`os.networkInterfaces()`,
 * injected) on every `detect`, and `watch` re-reads it every `pollMs`, calling `onChange` when the chosen address
 * changes. Limitation: that list carries no kernel flags or lifetimes, so tentative, deprecated and temporary
 * (privacy) IPv6 addresses cannot be told apart from stable ones; the choice keeps the current address while it
 * exists, which avoids flapping but may publish a privacy address first. Prefer `netlink` on Linux.
 */

/** One entry of `os.networkInterfaces()[name]` (Node reports family as "IPv4"/"IPv6", older versions as 4/6). */
export interface InterfaceEntry {
  address: string;
  family: string | number;
  internal?: boolean;
}

export type NetworkInterfaces = () => Record<string, InterfaceEntry[] | undefined>;

export interface InterfaceSourceDeps {
  interfaceName: string;
  allowPrivate: boolean;
  log: Logger;
  networkInterfaces: NetworkInterfaces;
  /** Families whose changes call `onChange`. Default both. */
  families?: readonly Family[];
  /** How often `watch` re-reads the list. Default 10 s. */
  pollMs?: number;
}

const familyOfEntry = (entry: InterfaceEntry): Family | undefined =>
  entry.family === "IPv4" || entry.family === 4 ? 4 : entry.family === "IPv6" || entry.family === 6 ? 6 : undefined;

export function createInterfaceSource(deps: InterfaceSourceDeps): IpSource {
  const { interfaceName: name, log } = deps;
  let timer: ReturnType<typeof setInterval> | undefined;
  let listener: ((reason: string) => void) | undefined;

  const candidates = (family: Family): AddressCandidate[] | undefined => {
    let entries: InterfaceEntry[] | undefined;
    try {
      entries = deps.networkInterfaces()[name];
    } catch (error) {
      log.warn("Could not list the network interfaces", { error: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
    if (entries === undefined) return undefined;
    // No flags or lifetimes here: every listed address is a candidate (see the limitation above).
    return entries.filter((e) => familyOfEntry(e) === family).map((e) => ({ address: e.address.split("%")[0] ?? e.address }));
  };

  const tracker = createChoiceTracker({
    interfaceName: name,
    allowPrivate: deps.allowPrivate,
    families: deps.families ?? [4, 6],
    candidates,
    label: `interface:${name}`,
    log,
  });

  return {
    type: "interface",
    async detect(family): Promise<Detection> {
      return tracker.detect(family);
    },
    async watch(onChange) {
      listener = onChange;
      if (timer !== undefined) return;
      tracker.changes(); // the baseline: report only what changes from now on
      timer = setInterval(() => notifyChanges(listener, tracker.changes(), log), deps.pollMs ?? 10_000);
    },
    async close() {
      listener = undefined;
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
}
