import type { Logger } from "../log/logger.ts";
import { recordTypeOf, type Family } from "../core/family.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../providers/kit/types.ts";
import { stateKey } from "../state/types.ts";
import { combineOutcomes, type HostUpdate, type RecordOutcome, type UpdateBackend } from "./types.ts";
import { reportFailures, type FailedRecord } from "../engine/failure-report.ts";

/**
 * The update endpoint's backend in the Worker: each host gets the addresses its request carries, written through
 * the provider directly (no engine, no scheduler). The provider is the source of truth: it reads each record and
 * writes only what differs, so `nochg` is its answer `unchanged`, and `good` its `created`/`updated`.
 * What the isolate confirmed is remembered for `verifyMs` (DDNS_VERIFY_INTERVAL): a repeat within that time is
 * answered `nochg` without a request; after it, or in a fresh isolate, the provider is asked again.
 */
export interface ProviderBackendDeps {
  provider: DnsProvider;
  records: readonly string[];
  families: readonly Family[];
  verifyMs: number;
  now: () => number;
  log: Logger;
}

/** A provider result as the endpoint reports it. A refusal (auth, config) will not pass by retrying: `dnserr`. */
export function recordOutcome(result: RecordResult): RecordOutcome {
  if (result.ok) return result.outcome === "unchanged" ? "unchanged" : result.outcome === "planned" ? "transient" : "changed";
  return result.kind === "auth" || result.kind === "config" ? "refused" : "transient";
}

export function createProviderBackend(deps: ProviderBackendDeps): UpdateBackend {
  const allowed = new Set(deps.records);
  const memory = new Map<string, { content: string; at: number }>();

  const fresh = (name: string, family: Family, address: string) => {
    const m = memory.get(stateKey(name, recordTypeOf(family)));
    return m !== undefined && m.content === address && deps.now() - m.at < deps.verifyMs;
  };

  return {
    families: deps.families,
    allows: (host) => allowed.has(host),
    // Each request writes only the hosts it names: each host is limited on its own.
    rateLimitKey: (host) => host,
    confirmed: (update) => update.addresses.every((a) => fresh(update.host, a.family, a.address)),
    async apply(updates: HostUpdate[], signal) {
      const requests: RecordRequest[] = updates.flatMap((u) =>
        u.addresses.map((a) => ({ name: u.host, type: recordTypeOf(a.family), content: a.address })),
      );
      let results: RecordResult[];
      try {
        results = await deps.provider.setRecords(requests, { signal, dryRun: false });
      } catch (error) {
        // A provider must not throw; if one does, every record failed for now.
        const message = `the ${deps.provider.type} provider failed unexpectedly: ${String(error)}`;
        results = requests.map((request) => ({ ok: false, request, kind: "transient", message }));
      }
      const outcomes = new Map<string, RecordOutcome[]>();
      const failed: FailedRecord[] = [];
      requests.forEach((request, i) => {
        const result = results[i] ?? { ok: false, request, kind: "transient", message: "the provider returned no result for this record" };
        const key = stateKey(request.name, request.type);
        if (result.ok && result.outcome !== "planned") memory.set(key, { content: request.content, at: deps.now() });
        else memory.delete(key);
        if (!result.ok) {
          failed.push({ request, kind: result.kind, message: result.message, unconfirmed: result.unconfirmed === true, final: result.final === true, attempt: 1, delayMs: 0 });
        } else if (result.outcome !== "unchanged") deps.log.info(`${result.outcome === "created" ? "Created" : "Updated"} ${request.type} record ${request.name} → ${request.content}`);
        outcomes.set(request.name, [...(outcomes.get(request.name) ?? []), recordOutcome(result)]);
      });
      // The provider gives the reason; the line names the records, once per distinct failure. No retry of its own
      // follows here (the client pushes again), so none is promised.
      for (const line of reportFailures(failed, { dryRun: false, promiseRetry: false })) deps.log[line.level](line.text, { kind: line.fields.kind });
      return updates.map((u) => combineOutcomes(outcomes.get(u.host) ?? ["transient"]));
    },
  };
}
