import type { Logger } from "../log/logger.ts";
import type { DeleteResult, DnsProvider, RecordRequest } from "../providers/kit/types.ts";
import { groupBy, mapLimit } from "../providers/kit/per-record.ts";
import type { ManagedRecord } from "./desired.ts";
import type { RecordNaming } from "./record-naming.ts";
import { TARGET_CONCURRENCY } from "./target-calls.ts";

/**
 * DDNS_DELETE_ON_STOP: on a clean stop (SIGTERM/SIGINT), each target's provider deletes exactly the records this
 * daemon manages (kit/record-delete.ts says which). Every outcome is one line; a failure is logged and does not
 * change the exit code (the lifecycle's shutdown budget still bounds the whole). Returns the keys of the records that
 * are gone, so the state forgets them (a restart then creates them again instead of trusting the state).
 */
export interface DeleteOnStopDeps {
  records: readonly ManagedRecord[];
  providers: ReadonlyMap<string, DnsProvider>;
  /** The content ddnsd last confirmed for a record, if any. */
  published(record: ManagedRecord): string | undefined;
  request(record: ManagedRecord, content: string): RecordRequest;
  log: Logger;
  naming: RecordNaming;
  dryRun: boolean;
}

export async function deleteOnStop(deps: DeleteOnStopDeps, signal: AbortSignal): Promise<string[]> {
  const { log, naming } = deps;
  log.info(`Deleting the ${deps.records.length} record(s) this daemon manages (DDNS_DELETE_ON_STOP)`);
  const gone: string[] = [];
  const report = (record: ManagedRecord, result: DeleteResult | undefined) => {
    const subject = naming.subject(record);
    if (!result) return log.error(`Could not delete the ${subject}: the provider returned no result; it stays in place`);
    if (!result.ok) return log.error(`Could not delete the ${subject}: ${result.message}; it stays in place`);
    gone.push(record.key);
    if (result.kept) return log.warn(`Not deleting the ${subject}: ${result.kept}; it stays in place`);
    if (result.deleted.length === 0) return log.info(`No ${subject} of this daemon to delete`);
    log.info(`${deps.dryRun ? "Would delete" : "Deleted"} ${subject} (${result.deleted.join(", ")})`);
  };
  await mapLimit([...groupBy(deps.records, (r) => r.target)], TARGET_CONCURRENCY, async ([target, records]) => {
    const provider = deps.providers.get(target);
    if (!provider?.deleteRecords) {
      log.warn(`The ${provider?.type ?? target} provider cannot delete records: ${records.map((r) => naming.item(r)).join(", ")} stay(s) in place`);
      return;
    }
    const requests = records.map((r) => deps.request(r, deps.published(r) ?? ""));
    let results: DeleteResult[];
    try {
      results = await provider.deleteRecords(requests, { signal, dryRun: deps.dryRun });
    } catch (error) {
      results = requests.map((request) => ({ ok: false, request, message: `the ${provider.type} provider failed unexpectedly: ${error instanceof Error ? error.message : String(error)}` }));
    }
    records.forEach((record, i) => report(record, results[i]));
  });
  return deps.dryRun ? [] : gone;
}
