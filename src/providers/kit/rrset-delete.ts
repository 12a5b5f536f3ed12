import type { RecordType } from "../../core/family.ts";
import type { DeleteResult, RecordRequest, SetOptions } from "./types.ts";
import type { Answer } from "./answer.ts";
import { mapLimit } from "./per-record.ts";
import { canonicalAddress, isOwned, sameAddress } from "./record-plan.ts";
import { quote } from "../../core/quote.ts";
import { zoneNotFound, type Zone, type ZoneFinder } from "./zone-finder.ts";

/**
 * DDNS_DELETE_ON_STOP for the set-replacing template: per request, find the zone, read the set and delete it when it
 * is ddnsd's — with DDNS_MANAGED_RECORDS_COMMENT_REGEX when its comment matches, without it only when it holds exactly
 * the address ddnsd published (a set someone changed since stays, and the result says why). The deletion goes through
 * the API's own `write` (a change with no values, `previous` = the set as read), so an API that can make it
 * conditional does (RFC 2136's prerequisite, Route53's DELETE of the exact set): a set changed between the read and
 * the write answers `conflict` and stays. A set already gone counts as deleted. A dry run reads and reports.
 */
interface HeldSet {
  values: string[];
  ttl?: number;
  comment?: string;
}

/** The part of the set template's RrsetApi a deletion uses (named here: no import cycle with rrset-provider.ts). */
export interface DeleteSetApi<Z extends Zone, H> {
  readonly service: string;
  readonly zones: ZoneFinder<Z>;
  readonly zoneFix: string;
  readonly defaultTtl: number | ((zone: Z) => number);
  read(zone: Z, name: string, type: RecordType, signal: AbortSignal): Promise<Answer<HeldSet | undefined>>;
  write(zone: Z, changes: Array<{ request: RecordRequest; name: string; type: RecordType; ttl: number; values: string[]; previous?: HeldSet }>, signal: AbortSignal): Promise<Answer<H | void>>;
}

export interface RrsetDeleteOptions<H> {
  concurrency: number;
  /** Polls an asynchronous change until it is applied (the template's `confirm` loop). */
  settle(handle: H, signal: AbortSignal): Promise<Answer<void>>;
}

/** Why a held set is not this daemon's to delete, or undefined when it is. */
export function notMine(request: RecordRequest, held: HeldSet): string | undefined {
  // The owner TXT registry of sets is not read here: rather keep a set than delete one that may be another owner's.
  if (request.ownerId !== undefined) return "ddnsd does not check DDNS_OWNER_ID's owner records of sets when deleting yet";
  if (request.managedComment !== undefined) {
    if (isOwned(request, { comment: held.comment })) return undefined;
    const has = held.comment ? `its comment ${quote(held.comment)}` : "it has no comment, which";
    return `the set is not ddnsd's: ${has} does not match DDNS_MANAGED_RECORDS_COMMENT_REGEX`;
  }
  const values = held.values.map(canonicalAddress).sort();
  if (request.content === "") return `this daemon published no address there since it started (the set holds ${values.join(", ")})`;
  if (values.length === 1 && sameAddress(values[0]!, request.content)) return undefined;
  return `the set holds ${values.join(", ")}, not only the address this daemon published (${canonicalAddress(request.content)}); someone changed it since`;
}

export function createRrsetDeleter<Z extends Zone, H>(api: DeleteSetApi<Z, H>, options: RrsetDeleteOptions<H>) {
  async function one(request: RecordRequest, set: SetOptions): Promise<DeleteResult> {
    const fail = (message: string): DeleteResult => ({ ok: false, request, message });
    const found = await api.zones.find(request.name, set.signal);
    if (!found.ok) return fail(found.notFound ? zoneNotFound(api.service, request.name, found.tried, api.zoneFix).reason : `while finding the zone, ${found.problem.reason}`);
    const read = await api.read(found.zone, request.name, request.type, set.signal);
    if (!read.ok) return fail(`while reading the record set, ${read.problem.reason}`);
    const held = read.value;
    if (!held || held.values.length === 0) return { ok: true, request, deleted: [] };
    const kept = notMine(request, held);
    if (kept) return { ok: true, request, deleted: [], kept };
    const deleted = held.values.map(canonicalAddress).sort();
    if (set.dryRun) return { ok: true, request, deleted };
    const fallback = typeof api.defaultTtl === "number" ? api.defaultTtl : api.defaultTtl(found.zone);
    const change = { request, name: request.name, type: request.type, ttl: held.ttl ?? fallback, values: [] as string[], previous: { ...held, values: deleted } };
    const written = await api.write(found.zone, [change], set.signal);
    const settled = written.ok && written.value !== undefined ? await options.settle(written.value as H, set.signal) : written.ok ? undefined : written;
    if (settled && !settled.ok) {
      if (settled.problem.tag === "conflict" && !settled.problem.mayHaveArrived) {
        return { ok: true, request, deleted: [], kept: `the set changed while ddnsd was deleting it (${settled.problem.reason})` };
      }
      return fail(`while deleting the record set, ${settled.problem.reason}`);
    }
    return { ok: true, request, deleted };
  }

  return (requests: RecordRequest[], set: SetOptions): Promise<DeleteResult[]> =>
    mapLimit(requests, options.concurrency, async (request) => {
      try {
        return await one(request, set);
      } catch (error) {
        return { ok: false, request, message: `ddnsd failed unexpectedly (${error instanceof Error ? error.message : String(error)}); please report this` } as DeleteResult;
      }
    });
}
