import { describeError } from "../core/errors.ts";
import { groupBy, mapLimit } from "../providers/kit/per-record.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../providers/kit/types.ts";
import type { ManagedRecord } from "./desired.ts";
import type { RecordAnswer } from "./record-outcome.ts";

/** One record the round asks its target to set. */
export interface RecordWork {
  record: ManagedRecord;
  request: RecordRequest;
}

export interface TargetCallOptions {
  signal: AbortSignal;
  dryRun: boolean;
  /** How many targets are asked at the same time. */
  concurrency: number;
  /** Called with each target's answers as soon as that target has answered. */
  answered: (answers: RecordAnswer[]) => void;
}

/** Targets asked at once by default: enough for a handful of accounts, few enough to stay polite on one host. */
export const TARGET_CONCURRENCY = 4;

/**
 * Sends a round's work to the targets: one `setRecords` per target with that target's requests (a provider batches
 * per zone itself), targets in parallel up to `concurrency`. A target that fails, throws or answers short never
 * holds up another: its answers are recorded the moment it answers, and every request gets exactly one result.
 */
export async function callTargets(work: readonly RecordWork[], providers: ReadonlyMap<string, DnsProvider>, options: TargetCallOptions): Promise<void> {
  const groups = [...groupBy(work, (w) => w.record.target)];
  await mapLimit(groups, options.concurrency, async ([target, items]) => {
    const requests = items.map((w) => w.request);
    const results = await ask(providers.get(target), target, requests, options);
    options.answered(
      items.map((w, i): RecordAnswer => ({
        record: w.record,
        result: results[i] ?? { ok: false, request: w.request, kind: "transient", message: "the provider returned no result for this record" },
      })),
    );
  });
}

async function ask(provider: DnsProvider | undefined, target: string, requests: RecordRequest[], options: TargetCallOptions): Promise<RecordResult[]> {
  if (!provider) {
    return requests.map((request) => ({ ok: false, request, kind: "config", message: `no provider is set up for target ${JSON.stringify(target)}; please report this` }));
  }
  try {
    return await provider.setRecords(requests, { signal: options.signal, dryRun: options.dryRun });
  } catch (error) {
    // A provider must not throw; if one does, treat every request as a transient failure and keep going.
    const message = `the ${provider.type} provider failed unexpectedly: ${describeError(error)}`;
    return requests.map((request) => ({ ok: false, request, kind: "transient", message }));
  }
}
