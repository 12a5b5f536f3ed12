import type { Logger } from "../../log/logger.ts";
import type { DnsProvider, RecordRequest, RecordResult, SetOptions } from "./types.ts";
import { internalError, type Answer, type Problem } from "./answer.ts";
import { groupBy, guardedProvider, mapLimit, packChunks } from "./per-record.ts";
import { canonicalAddress, isOwned, rrsetMatches, whyNotOwned } from "./record-plan.ts";
import { failedAt } from "./record-steps.ts";
import { ownerName } from "./owner-registry.ts";
import { setVerdict } from "./rrset-ownership.ts";
import { quote } from "../../core/quote.ts";
import { abortableSleep } from "./sleep.ts";
import { zoneNotFound, type Zone } from "./zone-finder.ts";
import { createRrsetDeleter } from "./rrset-delete.ts";
import type { Rrset, RrsetApi, RrsetChange } from "./rrset-types.ts";

export type { Rrset, RrsetApi, RrsetChange } from "./rrset-types.ts";

/**
 * The template for APIs that replace a whole record set (PowerDNS, deSEC, Hetzner, Gandi, Route53, Cloud DNS, RFC
 * 2136…): find the zone, read the set, and when its values (or the TTL the operator set) differ, write the set
 * holding exactly the address. Several sets of one zone go in one write where the API takes several (`maxPerWrite`);
 * a multi-set write refused as a whole is retried set by set, so one bad record never blocks the others. A zone the
 * service no longer knows (a problem tagged `stale-zone`) is forgotten and found again once, in the same round.
 * Services that apply changes asynchronously return a handle that `confirm` polls until done, or the result says
 * "could not confirm" (a `confirm` that knows the change failed says so with `mayHaveArrived: false`). With `auto`, an
 * existing set keeps its TTL and a new one gets `defaultTtl` (a number, or the zone's own: deSEC's minimum TTL).
 * With DDNS_MANAGED_RECORDS_COMMENT_REGEX a set is ddnsd's only when its comment matches: a set that exists and is
 * not is never written (the API cannot add a record beside it without replacing it), and its request fails with a
 * configuration problem that says how to hand the set over. With DDNS_OWNER_ID the same holds for the set an owner
 * TXT set of this owner claims (rrset-ownership.ts): a set ddnsd creates is written together with its owner TXT set.
 * Failures name their step like the record template's (record-steps.ts): "while looking up the zone", "while
 * reading the record set", "while writing the record set", "while waiting for the change to be applied".
 */
export interface RrsetProviderOptions {
  id: string;
  concurrency?: number;
  /** Waits between `confirm` polls; resolves false when the signal fired (default: a timer the signal cuts short). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<boolean>;
  /** How long to poll `confirm` before "could not confirm". */
  confirmWithinMs?: number;
  confirmEveryMs?: number;
  /** Each write is logged at debug level (zone, names, TTL). */
  log?: Logger;
}

type Item = { request: RecordRequest; index: number; zone?: Zone };
/** What one request writes: its set, its owner TXT set, or both (TXT first); `adopted` names a set it adopts. */
type Unit = { index: number; request: RecordRequest; changes: RrsetChange[]; previous: string[]; adopted?: string };
/** One round's results, and the indexes whose zone turned out stale (to be found again). */
type Round = { results: RecordResult[]; stale: Map<number, string> };

const isStale = (p: Problem) => p.tag === "stale-zone" && !p.mayHaveArrived;
const CANCELLED = "the round was cancelled before this record was reached";

/** Why a set whose comment does not match DDNS_MANAGED_RECORDS_COMMENT_REGEX is left alone. */
type Written = Answer<void> & { step: "set-write" | "set-confirm" };

/** The addresses of a set that is not ddnsd's, with why, for /status (`leftAlone`). */
const leftAlone = (request: RecordRequest, values: readonly string[], comment: string | undefined) =>
  values.length > 0 ? { leftAlone: values.map((value) => ({ address: canonicalAddress(value), why: whyNotOwned(request, comment) })) } : {};

function notOwned(service: string, comment: string | undefined): Problem {
  const has = comment ? `its comment ${quote(comment)}` : "it has no comment, which";
  return {
    kind: "config",
    reason: `the record set is not ddnsd's: ${has} does not match DDNS_MANAGED_RECORDS_COMMENT_REGEX, and ${service} replaces a whole set at once, so ddnsd leaves it exactly as it is; give the set a comment the regex matches to hand it over, or delete it`,
  };
}

export function createRrsetProvider<Z extends Zone, H>(api: RrsetApi<Z, H>, tuning: RrsetProviderOptions): DnsProvider {
  const concurrency = tuning.concurrency ?? 4;

  async function confirmed(handle: H, signal: AbortSignal): Promise<Answer<void>> {
    if (!api.confirm) return { ok: true, value: undefined };
    const sleep = tuning.sleep ?? abortableSleep;
    const every = tuning.confirmEveryMs ?? 1000;
    for (let waited = 0; waited <= (tuning.confirmWithinMs ?? 30_000); waited += every) {
      const answer = await api.confirm(handle, signal);
      if (!answer.ok) return { ok: false, problem: { ...answer.problem, mayHaveArrived: answer.problem.mayHaveArrived ?? true } };
      if (answer.value === "done") return { ok: true, value: undefined };
      if (!(await sleep(every, signal))) break;
    }
    return { ok: false, problem: { kind: "transient", reason: `${api.service} accepted the change but did not report it applied in time`, mayHaveArrived: true } };
  }

  /** A whole-write refusal worth splitting: nothing arrived, and not a slow-down that every smaller write would get too. */
  const worthSplitting = (p: Problem) => !p.mayHaveArrived && p.kind !== "rate-limited" && p.tag !== "stale-zone";

  /** One write of `changes`, confirmed where the API is asynchronous; a failure says which of the two steps failed. */
  async function writeOnce(zone: Z, changes: RrsetChange[], signal: AbortSignal): Promise<Written> {
    tuning.log?.debug(`Replacing ${changes.length} record set(s) through ${api.service}`, {
      zone: zone.name, records: changes.map((change) => `${change.name} ${change.type}`).join(", "), ttl: changes.map((change) => change.ttl).join(", "),
    });
    const answer = await api.write(zone, changes, signal);
    if (!answer.ok) return { ...answer, step: "set-write" };
    return answer.value !== undefined ? { ...(await confirmed(answer.value as H, signal)), step: "set-confirm" } : { ok: true, value: undefined, step: "set-write" };
  }

  async function writeUnits(zone: Z, units: Unit[], signal: AbortSignal, round: Round): Promise<void> {
    let settled: Written = { ok: true, value: undefined, step: "set-write" };
    const changes = units.flatMap((u) => u.changes);
    if (changes.length > Math.max(1, api.maxPerWrite ?? 1)) {
      // One request's sets do not fit one write: its owner TXT set goes first, then the set it claims.
      for (const change of changes) if (settled.ok) settled = await writeOnce(zone, [change], signal);
    } else settled = await writeOnce(zone, changes, signal);
    if (!settled.ok && units.length > 1 && worthSplitting(settled.problem)) {
      for (const one of units) await writeUnits(zone, [one], signal, round);
      return;
    }
    for (const { request, index, changes: own, previous, adopted } of units) {
      if (!settled.ok && isStale(settled.problem)) round.stale.set(index, zone.name);
      const set = own.find((c) => c.type !== "TXT");
      if (settled.ok && adopted) tuning.log?.info(`Adopted ${adopted}`);
      round.results[index] = settled.ok
        ? { ok: true, request, outcome: !set ? "unchanged" : previous.length > 0 ? "updated" : "created", previous }
        : failedAt(request, settled.problem, settled.step);
    }
  }

  /** The request's unit of changes, or its result when nothing is to be written. */
  async function planOne(zone: Z, request: RecordRequest, options: SetOptions): Promise<{ unit: Unit } | { result: RecordResult; stale?: boolean }> {
    const read = await api.read(zone, request.name, request.type, options.signal);
    if (!read.ok) return { result: failedAt(request, read.problem, "set-read"), stale: isStale(read.problem) };
    const held = read.value;
    const values = held?.values ?? [];
    let txt: { values: string[]; previous?: Rrset } | undefined;
    let adopted: string | undefined;
    if (request.ownerId !== undefined) {
      const owners = await api.read(zone, ownerName(request.name, request.type), "TXT", options.signal);
      if (!owners.ok) return { result: failedAt(request, owners.problem, "registry-read"), stale: isStale(owners.problem) };
      const verdict = setVerdict(api.service, request, values, owners.value?.values ?? [], api.txtValue ?? ((text) => text));
      if (!verdict.ok) return { result: { ...failedAt(request, verdict.problem, undefined), ...leftAlone(request, values, undefined) } };
      if (verdict.txt) txt = { values: verdict.txt, ...(owners.value ? { previous: owners.value } : {}) };
      if (verdict.adopted) adopted = `the ${request.type} record ${request.name} (${values.map(canonicalAddress).join(", ")}) for DDNS_OWNER_ID ${JSON.stringify(request.ownerId)}`;
    } else if (values.length > 0 && !isOwned(request, { comment: held?.comment })) {
      return { result: { ...failedAt(request, notOwned(api.service, held?.comment), undefined), ...leftAlone(request, values, held?.comment) } };
    }
    const previous = values.map(canonicalAddress).sort();
    const matches = held !== undefined && rrsetMatches(request, held);
    if (matches && !txt) return { result: { ok: true, request, outcome: "unchanged", previous } };
    if (options.dryRun) {
      if (adopted) tuning.log?.info(`Would adopt ${adopted}`);
      return { result: { ok: true, request, outcome: "planned", previous } };
    }
    const fallback = typeof api.defaultTtl === "number" ? api.defaultTtl : api.defaultTtl(zone);
    const ttl = typeof request.ttl === "number" ? request.ttl : (held?.ttl ?? fallback);
    const changes: RrsetChange[] = [];
    if (txt) changes.push({ request, name: ownerName(request.name, request.type), type: "TXT", ttl, values: txt.values, ...(txt.previous ? { previous: txt.previous } : {}) });
    if (!matches) {
      const change: RrsetChange = { request, name: request.name, type: request.type, ttl, values: [request.content] };
      if (request.comment !== undefined) change.comment = request.comment;
      if (held) change.previous = { ...held, values: previous };
      changes.push(change);
    }
    return { unit: { index: 0, request, changes, previous, ...(adopted ? { adopted } : {}) } };
  }

  async function reconcileZone(zone: Z, items: Item[], options: SetOptions, round: Round): Promise<void> {
    const units: Unit[] = [];
    await mapLimit(items, concurrency, async ({ request, index }) => {
      const planned = await planOne(zone, request, options);
      if ("unit" in planned) return void units.push({ ...planned.unit, index });
      if (planned.stale) round.stale.set(index, zone.name);
      round.results[index] = planned.result;
    });
    units.sort((a, b) => a.index - b.index);
    const { chunks, oversized } = packChunks(units, (u) => u.changes.length, Math.max(1, api.maxPerWrite ?? 1));
    for (const chunk of chunks) await writeUnits(zone, chunk, options.signal, round);
    for (const unit of oversized) await writeUnits(zone, [unit], options.signal, round);
  }

  /** Finds the zones of `items`, then reconciles them zone by zone. */
  async function pass(items: Item[], options: SetOptions, round: Round): Promise<void> {
    await mapLimit(items, concurrency, async (item) => {
      const found = await api.zones.find(item.request.name, options.signal);
      if (found.ok) item.zone = found.zone;
      else if (found.notFound) round.results[item.index] = failedAt(item.request, zoneNotFound(api.service, item.request.name, found.tried, api.zoneFix), undefined);
      else round.results[item.index] = failedAt(item.request, found.problem, "zone");
    });
    const byZone = groupBy(items.filter((i) => i.zone), (i) => i.zone!.name);
    await mapLimit([...byZone.values()], concurrency, async (group) => {
      try {
        await reconcileZone(group[0]!.zone as Z, group, options, round);
      } catch (error) {
        for (const { index, request } of group) round.results[index] ??= internalError(request, error);
      }
    });
  }

  async function setRecords(requests: RecordRequest[], options: SetOptions, results: RecordResult[]): Promise<void> {
    if (options.signal.aborted) {
      requests.forEach((request, i) => (results[i] = { ok: false, request, kind: "transient", message: CANCELLED }));
      return;
    }
    const round: Round = { results, stale: new Map() };
    await api.zones.prefetch(requests.map((r) => r.name), options.signal);
    await pass(requests.map((request, index) => ({ request, index })), options, round);
    if (round.stale.size > 0) {
      // A zone the service no longer knows (deleted and re-created, moved): forget it, find it again, once.
      for (const zone of new Set(round.stale.values())) api.zones.forget(zone);
      const again = [...round.stale.keys()].sort((a, b) => a - b).map((index) => ({ request: requests[index]!, index }));
      round.stale.clear();
      await pass(again, options, round);
    }
  }

  const provider = guardedProvider(tuning.id, true, setRecords);
  if (!api.deletesSets) return provider;
  return { ...provider, deleteRecords: createRrsetDeleter(api, { concurrency, settle: confirmed }) };
}
