import type { Family, FamilyAddress } from "../core/family.ts";
import type { PushSource } from "../ip/push/push-source.ts";
import { contentOf, type ManagedRecord } from "../engine/desired.ts";
import type { PendingRetry, RecordAnswer } from "../engine/record-outcome.ts";
import type { RoundOptions } from "../engine/reconciler.ts";
import type { RecordResult } from "../providers/kit/types.ts";
import { combineOutcomes, type HostOutcome, type HostUpdate, type RecordOutcome, type UpdateBackend } from "./types.ts";
import { createHostRecords, failedOutcome, retryAfterOf } from "./host-records.ts";

/**
 * The update endpoint's backend in the Worker: the daemon's engine without its scheduler. Each accepted update
 * runs one round for the hosts it names, with the addresses it carries (held by the push source for that round),
 * so backoff and Retry-After apply as in the daemon: a record whose update failed is not sent again before its
 * retry is due, and the answer says when (`911` with Retry-After). Unlike the daemon, only the named hosts are
 * written (a Worker serves many routers, each pushing its own address), and each host is rate-limited on its own.
 *
 * The engine's state (a memory store, for the isolate's life) is the short cut: a record confirmed at the
 * address and not due for the periodic re-read (DDNS_VERIFY_INTERVAL) is `nochg` without a request; after that, or
 * in a fresh isolate, the provider is asked again and stays the source of truth (`unchanged` → `nochg`).
 */
export interface RoundEngine {
  runRound(reason: string, signal: AbortSignal, options: RoundOptions): Promise<{ answers: readonly RecordAnswer[] }>;
  holds(record: ManagedRecord, content: string): boolean;
  pending(record: ManagedRecord): PendingRetry | undefined;
}

export interface RoundBackendDeps {
  source: PushSource;
  engine: RoundEngine;
  records: readonly ManagedRecord[];
  families: readonly Family[];
  /** DDNS_ALLOW_PRIVATE_ADDRESSES, for addresses derived with a record's ipv6_suffix. */
  allowPrivate: boolean;
  now: () => number;
}

/** A provider result as the endpoint reports it. */
function answered(result: RecordResult): RecordOutcome {
  if (result.ok) return result.outcome === "unchanged" ? "unchanged" : result.outcome === "planned" ? "transient" : "changed";
  return failedOutcome({ kind: result.kind, content: result.request.content, retryAt: 0 });
}

export function createRoundBackend(deps: RoundBackendDeps): UpdateBackend {
  const hosts = createHostRecords(deps.records);
  // The record's own content: the pushed address, or its prefix + the record's ipv6_suffix.
  const holds = (record: ManagedRecord, address: FamilyAddress) => {
    const content = contentOf(record, address, deps);
    return content !== undefined && deps.engine.holds(record, content);
  };
  // Rounds never overlap: the push source holds one address per family, for the round running now.
  let queue: Promise<unknown> = Promise.resolve();

  async function round(updates: HostUpdate[], signal: AbortSignal): Promise<HostOutcome[]> {
    const byFamily = new Map<Family, FamilyAddress>();
    for (const u of updates) for (const a of u.addresses) byFamily.set(a.family, a);
    deps.source.hold([...byFamily.values()]);
    const scope = { names: new Set(updates.map((u) => u.host)), families: [...byFamily.keys()] };
    const report = await deps.engine.runRound("push", signal, { final: true, scope });
    const results = new Map(report.answers.map((a) => [a.record.key, a.result]));
    return updates.map((u) =>
      combineOutcomes(
        hosts.withAddresses(u.host, u.addresses).map(({ record, address }): RecordOutcome => {
          const result = results.get(record.key);
          if (result) return answered(result);
          if (holds(record, address)) return "unchanged";
          return failedOutcome(deps.engine.pending(record));
        }),
      ),
    );
  }

  return {
    families: deps.families,
    allows: (host) => hosts.names.has(host),
    // Each update writes only the hosts it names: each host is limited on its own.
    rateLimitKey: (host) => host,
    confirmed: (update) => hosts.withAddresses(update.host, update.addresses).every(({ record, address }) => holds(record, address)),
    apply(updates, signal) {
      const run = queue.then(() => round(updates, signal));
      queue = run.catch(() => {});
      return run;
    },
    retryAfterMs: (host) => retryAfterOf(hosts.all(host).map((r) => deps.engine.pending(r)), deps.now()),
  };
}
