import type { Family, FamilyAddress } from "../core/family.ts";
import type { ManagedRecord } from "../engine/desired.ts";
import type { PendingRetry } from "../engine/record-outcome.ts";
import type { RecordOutcome } from "./types.ts";

/**
 * The records behind a host name of an update: every record of that name, in every target, of the families the
 * update carries. A name may be held by several targets (the same name at two providers); the host's answer
 * speaks for all of them.
 */
export function createHostRecords(records: readonly ManagedRecord[]) {
  const byName = new Map<string, ManagedRecord[]>();
  for (const r of records) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  return {
    names: new Set(byName.keys()),
    /** Every record of the host. */
    all: (host: string): readonly ManagedRecord[] => byName.get(host) ?? [],
    /** The host's records of `family`. */
    of: (host: string, family: Family): ManagedRecord[] => (byName.get(host) ?? []).filter((r) => r.family === family),
    /** Each record of the host for an address of the update, with that address. */
    withAddresses: (host: string, addresses: readonly FamilyAddress[]) =>
      addresses.flatMap((address) => (byName.get(host) ?? []).filter((r) => r.family === address.family).map((record) => ({ record, address }))),
  };
}

/** How a record that is not confirmed fares: a refusal (auth, config) will not pass by retrying (`dnserr`). */
export const failedOutcome = (pending: PendingRetry | undefined): RecordOutcome =>
  pending?.kind === "auth" || pending?.kind === "config" ? "refused" : "transient";

/** Until the last of these records' retries is due (the answer's Retry-After), when any waits for one. */
export function retryAfterOf(retries: ReadonlyArray<PendingRetry | undefined>, now: number): number | undefined {
  const due = retries.flatMap((p) => (p && p.retryAt > now ? [p.retryAt - now] : []));
  return due.length > 0 ? Math.max(...due) : undefined;
}
