import type { Logger } from "../log/logger.ts";
import { chooseAddress, noPublicAddressError, settledPrivateAddresses, type AddressCandidate } from "./address-choice.ts";
import type { Family } from "../core/family.ts";
import type { Detection } from "./types.ts";

/**
 * The state both interface-based sources (netlink, interface) keep on top of the pure choice rule: the address
 * chosen last per family (kept while it stays eligible), the Detection answer, and the list of changes since the
 * last look — so that `onChange` fires only when the published address would really change, or, while nothing is
 * publishable (behind NAT), when the interface's private addresses change (the hint for DDNS_IP_SOURCE_HTTP_FALLBACK).
 */

export interface ChoiceTrackerOptions {
  interfaceName: string;
  allowPrivate: boolean;
  /** Families whose changes are reported by `changes()`. */
  families: readonly Family[];
  /** The interface's current addresses of `family`, or `undefined` when the interface does not exist. */
  candidates: (family: Family) => AddressCandidate[] | undefined;
  /** Detection.source, e.g. `netlink:eth0`. */
  label: string;
  log: Logger;
}

export interface ChoiceTracker {
  /** The current choice for `family`, as a Detection; remembers it. */
  detect(family: Family): Detection;
  /** Re-runs the choice for every family; one phrase per family whose choice (or, with none, whose private
   * addresses) changed; remembers the new state. */
  changes(): string[];
}

export function createChoiceTracker(options: ChoiceTrackerOptions): ChoiceTracker {
  const chosen = new Map<Family, string | undefined>();
  const behindNat = new Map<Family, string>();
  const { interfaceName: name } = options;

  const choose = (family: Family) => {
    const candidates = options.candidates(family);
    if (candidates === undefined) return undefined;
    return chooseAddress(candidates, { family, current: chosen.get(family), allowPrivate: options.allowPrivate });
  };

  return {
    detect(family) {
      const result = choose(family);
      chosen.set(family, result?.ok ? result.address : undefined);
      if (result === undefined) return { ok: false, family, error: `interface ${JSON.stringify(name)} does not exist` };
      if (result.ok) return { ok: true, family, address: result.address, source: options.label };
      if (result.skipped.length > 0) {
        options.log.debug(`No publishable IPv${family} address on ${name}`, { skipped: result.skipped.join("; ") });
      }
      // Behind NAT: the http source may know the public address (DDNS_IP_SOURCE_HTTP_FALLBACK).
      return { ok: false, family, error: noPublicAddressError(family, name), wantsFallback: true };
    },
    changes() {
      const out: string[] = [];
      for (const family of options.families) {
        const result = choose(family);
        const next = result?.ok ? result.address : undefined;
        const previous = chosen.get(family);
        const privateNow = next === undefined ? settledPrivateAddresses(options.candidates(family) ?? [], family).join(", ") : "";
        const privateBefore = behindNat.get(family) ?? "";
        behindNat.set(family, privateNow);
        if (next !== previous) {
          chosen.set(family, next);
          out.push(`IPv${family} address on ${name}: ${previous ?? "none"} → ${next ?? "none"}`);
        } else if (next === undefined && privateNow !== privateBefore) {
          out.push(`IPv${family} on ${name} has no public address; its private addresses changed: ${privateBefore || "none"} → ${privateNow || "none"}`);
        }
      }
      return out;
    },
  };
}

/** Calls `listener` with the changes joined, if any; a throwing listener is logged, never propagated. */
export function notifyChanges(listener: ((reason: string) => void) | undefined, changes: string[], log: Logger): void {
  if (changes.length === 0 || !listener) return;
  try {
    listener(changes.join("; "));
  } catch (error) {
    log.error("The IP change handler failed", { error: error instanceof Error ? error.message : String(error) });
  }
}
