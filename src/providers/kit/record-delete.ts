import type { DeleteResult, RecordRequest, SetOptions } from "./types.ts";
import { mapLimit } from "./per-record.ts";
import { isOwned, sameAddress, type HeldRecord } from "./record-plan.ts";
import { zoneNotFound, type Zone, type ZoneFinder } from "./zone-finder.ts";
import { readOwned, unregister, type RegistryApi } from "./record-registry.ts";

/** The part of the record template's RecordApi a deletion uses. */
export interface DeleteApi<Z extends Zone> extends RegistryApi<Z> {
  readonly zones: ZoneFinder<Z>;
  readonly zoneFix: string;
}

/**
 * DDNS_DELETE_ON_STOP for the record template: per request, find the zone, read the name's records of the type and
 * delete ddnsd's own — with DDNS_MANAGED_RECORDS_COMMENT_REGEX the records whose comment matches, else only the records
 * that hold the address ddnsd published (a record the operator changed by hand since is not deleted). A record
 * already gone counts as deleted. A dry run reads and reports what it would delete.
 */
export function mine(request: RecordRequest, held: readonly HeldRecord[]): HeldRecord[] {
  return held.filter((r) => isOwned(request, r) && (request.managedComment !== undefined || sameAddress(r.content, request.content)));
}

export function createRecordDeleter<Z extends Zone>(api: DeleteApi<Z>, concurrency = 4) {
  async function one(request: RecordRequest, options: SetOptions): Promise<DeleteResult> {
    const fail = (message: string): DeleteResult => ({ ok: false, request, message });
    const found = await api.zones.find(request.name, options.signal);
    if (!found.ok) return fail(found.notFound ? zoneNotFound(api.service, request.name, found.tried, api.zoneFix).reason : `while finding the zone, ${found.problem.reason}`);
    const listed = await api.list(found.zone, request.name, request.type, options.signal);
    if (!listed.ok) return fail(`while reading the records, ${listed.problem.reason}`);
    let held = listed.value;
    if (request.ownerId !== undefined) {
      // DDNS_OWNER_ID: only the records this owner's TXT records name (nothing is adopted on the way out).
      const owned = await readOwned(api, found.zone, { ...request, ownerAdopt: false }, held, options);
      if (!owned.ok) return fail(`while reading the owner TXT records (DDNS_OWNER_ID), ${owned.problem.reason}`);
      held = owned.held;
    }
    const doomed = mine(request, held);
    if (!options.dryRun) {
      for (const record of doomed) {
        const answer = await api.remove(found.zone, record, options.signal);
        if (!answer.ok && !(answer.problem.tag === "stale-record" && !answer.problem.mayHaveArrived)) return fail(`while deleting the record, ${answer.problem.reason}`);
        await unregister(api, found.zone, record, options.signal);
      }
    }
    return { ok: true, request, deleted: doomed.map((r) => r.content) };
  }

  return (requests: RecordRequest[], options: SetOptions): Promise<DeleteResult[]> =>
    mapLimit(requests, concurrency, async (request) => {
      try {
        return await one(request, options);
      } catch (error) {
        return { ok: false, request, message: `ddnsd failed unexpectedly (${error instanceof Error ? error.message : String(error)}); please report this` } as DeleteResult;
      }
    });
}
