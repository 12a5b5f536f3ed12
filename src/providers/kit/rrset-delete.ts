import type { DeleteResult, RecordRequest, SetOptions } from "./types.ts";
import type { Answer } from "./answer.ts";
import { mapLimit } from "./per-record.ts";
import { canonicalAddress, isOwned, sameAddress } from "./record-plan.ts";
import { ownerName } from "./owner-registry.ts";
import { ownerOnStop, type OwnerOnStop } from "./rrset-ownership.ts";
import { quote } from "../../core/quote.ts";
import { zoneNotFound, type Zone } from "./zone-finder.ts";
import type { Rrset, RrsetApi, RrsetChange } from "./rrset-types.ts";

/**
 * DDNS_DELETE_ON_STOP for the set-replacing template: per request, find the zone, read the set and delete it when it
 * is ddnsd's — with DDNS_MANAGED_RECORDS_COMMENT_REGEX when its comment matches, without it only when it holds exactly
 * the address ddnsd published (a set someone changed since stays, and the result says why). With DDNS_OWNER_ID the
 * owner TXT set at `_ddnsd-a.<name>` is read too: the set goes only when this owner's TXT claims it (and it holds
 * the published address), and this owner's text leaves the TXT set (the TXT set is deleted when nothing else is left
 * in it; other owners' and foreign texts stay) — in the same write where the API writes several sets at once, after
 * the set otherwise (a TXT left behind by a failed second write claims a name that holds nothing: harmless, and the
 * next start removes nothing of anyone else's). The deletion goes through the API's own `write` (a change with no
 * values, `previous` = the set as read), so an API that can make it conditional does (RFC 2136's prerequisite,
 * Route53's DELETE of the exact set): a set changed between the read and the write answers `conflict` and stays. A
 * set already gone counts as deleted. A dry run reads and reports.
 */
/** The part of the set template's API a deletion uses. */
export type DeleteSetApi<Z extends Zone, H> = Pick<RrsetApi<Z, H>, "service" | "zones" | "zoneFix" | "defaultTtl" | "maxPerWrite" | "read" | "write">;
type HeldSet = Rrset;
type Change = RrsetChange;

export interface RrsetDeleteOptions<H> {
  concurrency: number;
  /** Polls an asynchronous change until it is applied (the template's `confirm` loop). */
  settle(handle: H, signal: AbortSignal): Promise<Answer<void>>;
}

/** Why a held set is not this daemon's to delete, or undefined when it is (DDNS_OWNER_ID's claim is checked before). */
export function notMine(request: RecordRequest, held: HeldSet): string | undefined {
  if (request.managedComment !== undefined && request.ownerId === undefined) {
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
  const together = (api.maxPerWrite ?? 1) > 1;

  /** One write, settled where the API is asynchronous. */
  async function written(zone: Z, changes: Change[], signal: AbortSignal): Promise<Answer<void>> {
    const answer = await api.write(zone, changes, signal);
    if (!answer.ok) return answer;
    return answer.value !== undefined ? options.settle(answer.value as H, signal) : { ok: true, value: undefined };
  }

  async function one(request: RecordRequest, set: SetOptions): Promise<DeleteResult> {
    const fail = (message: string): DeleteResult => ({ ok: false, request, message });
    const found = await api.zones.find(request.name, set.signal);
    if (!found.ok) return fail(found.notFound ? zoneNotFound(api.service, request.name, found.tried, api.zoneFix).reason : `while finding the zone, ${found.problem.reason}`);
    const zone = found.zone;
    const read = await api.read(zone, request.name, request.type, set.signal);
    if (!read.ok) return fail(`while reading the record set, ${read.problem.reason}`);
    const held = read.value && read.value.values.length > 0 ? read.value : undefined;
    const fallback = typeof api.defaultTtl === "number" ? api.defaultTtl : api.defaultTtl(zone);
    let owner: OwnerOnStop | undefined;
    let txtChange: Change | undefined;
    if (request.ownerId !== undefined) {
      const at = ownerName(request.name, request.type);
      const txts = await api.read(zone, at, "TXT", set.signal);
      if (!txts.ok) return fail(`while reading the owner TXT records (DDNS_OWNER_ID), ${txts.problem.reason}`);
      owner = ownerOnStop(request, txts.value?.values ?? []);
      if (owner.kept && held) return { ok: true, request, deleted: [], kept: owner.kept };
      if (owner.left && txts.value) txtChange = { request, name: at, type: "TXT", ttl: txts.value.ttl ?? fallback, values: owner.left, previous: txts.value };
    }
    const kept = held ? notMine(request, held) : undefined;
    // A set this daemon does not delete keeps its owner TXT: the set is still this owner's.
    if (kept) return { ok: true, request, deleted: [], kept };
    const deleted = held ? held.values.map(canonicalAddress).sort() : [];
    if (set.dryRun || (!held && !txtChange)) return { ok: true, request, deleted };
    const changes: Change[] = held ? [{ request, name: request.name, type: request.type, ttl: held.ttl ?? fallback, values: [], previous: { ...held, values: deleted } }] : [];
    if (txtChange) changes.push(txtChange);
    const first = together || changes.length === 1 ? changes : changes.slice(0, 1);
    const settled = await written(zone, first, set.signal);
    if (!settled.ok) {
      if (settled.problem.tag === "conflict" && !settled.problem.mayHaveArrived) {
        return { ok: true, request, deleted: [], kept: `the set changed while ddnsd was deleting it (${settled.problem.reason})` };
      }
      return fail(`${held ? "while deleting the record set" : "while removing this daemon's owner TXT record (DDNS_OWNER_ID)"}, ${settled.problem.reason}`);
    }
    if (first.length < changes.length) {
      const txt = await written(zone, changes.slice(1), set.signal);
      if (!txt.ok) return fail(`the record set is deleted, but its owner TXT record (DDNS_OWNER_ID) at ${JSON.stringify(txtChange!.name)} could not be removed: ${txt.problem.reason}`);
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
