import type { RecordType } from "../../core/family.ts";
import type { WrittenType } from "./record-plan.ts";
import type { Logger } from "../../log/logger.ts";
import type { DnsProvider, RecordRequest, RecordResult, SetOptions } from "./types.ts";
import { internalError, type Answer } from "./answer.ts";
import { createRecordCache } from "./record-cache.ts";
import { groupBy, guardedProvider, mapLimit } from "./per-record.ts";
import { notOwnedOf, planOutcome, planRecordSet, needsWrite, type HeldRecord, type RecordPlan } from "./record-plan.ts";
import { failedAt, type StepProblem } from "./record-steps.ts";
import { writeZonePlans, type Reread, type WriteApi } from "./record-writes.ts";
import { zoneNotFound, type Zone, type ZoneFinder } from "./zone-finder.ts";
import { createRecordDeleter } from "./record-delete.ts";
import { readOwned } from "./record-registry.ts";

/**
 * The template for APIs whose records have ids (Cloudflare, DigitalOcean, Linode, Vultr, Porkbun…). A provider
 * supplies its paths and bodies through `RecordApi`; the template does the rest, per `setRecords` call:
 * find each record's zone, plan each record from the id cache when the cache says a write is needed anyway (a
 * change costs no read) or else from a fresh read — one zone-wide listing when many names of one type need
 * reading —, and write only what differs, zone by zone (record-writes.ts: batches where the API has them, single
 * calls otherwise, one re-read and retry for a stale id). A zone id the service no longer knows (`stale-zone`: the
 * zone was deleted and added again) is forgotten with every id cached in it, and its records go through once more:
 * zones found again (one listing when many names are unknown), records read (one zone-wide listing when many)
 * and written there. One result per request; one record's failure never touches another's; a failure says the
 * step that failed (record-steps.ts).
 */
export interface RecordApi<Z extends Zone> extends WriteApi<Z> {
  readonly service: string;
  readonly zones: ZoneFinder<Z>;
  /** What to do when no zone holds a name, in the service's words ("add the domain to the account …"). */
  readonly zoneFix: string;
  /** The records of (name, type); TXT only on providers with `capabilities.ownerRegistry` (record-registry.ts). */
  list(zone: Z, name: string, type: WrittenType, signal: AbortSignal): Promise<Answer<HeldRecord[]>>;
  /** Every record of `type` in the zone (names included), when the API can list them cheaply. */
  listAll?(zone: Z, type: RecordType, signal: AbortSignal): Promise<Answer<Array<HeldRecord & { name: string }>>>;
}

export interface RecordProviderOptions {
  id: string;
  now: () => number;
  /** How long batching rests after the service refused the batch endpoint. */
  batchRetryMs?: number;
  /** Zones, reads and single writes in flight at once (default 4). */
  concurrency?: number;
  /** From this many reads of one type in one zone, list the zone's records of that type once instead (default 10). */
  bulkThreshold?: number;
  /** Where the template says what operators may want to know (the batch endpoint refused). */
  log?: Pick<Logger, "info">;
}

type Item = { request: RecordRequest; index: number };
type Located<Z> = { ok: true; zone: Z } | ({ ok: false } & StepProblem);
type Planned = { ok: true; plan: RecordPlan } | ({ ok: false } & StepProblem);

export function createRecordProvider<Z extends Zone>(api: RecordApi<Z>, tuning: RecordProviderOptions): DnsProvider {
  const concurrency = tuning.concurrency ?? 4;
  const bulkThreshold = tuning.bulkThreshold ?? 10;
  const cache = createRecordCache();
  const batchState = { disabledUntil: 0 };

  /** A zone id turned out stale: what was learned about it and in it goes. */
  function forgetZone(zone: Z): void {
    api.zones.forget(zone.name);
    cache.dropZone(zone.name);
  }

  async function locate(request: RecordRequest, signal: AbortSignal): Promise<Located<Z>> {
    const found = await api.zones.find(request.name, signal);
    if (found.ok) return found;
    if (found.notFound) return { ok: false, problem: zoneNotFound(api.service, request.name, found.tried, api.zoneFix), step: undefined };
    return { ok: false, problem: found.problem, step: "zone" };
  }

  async function read(zone: Z, request: RecordRequest, signal: AbortSignal, dryRun: boolean): Promise<Reread> {
    const answer = await api.list(zone, request.name, request.type, signal);
    if (!answer.ok) return { ok: false, problem: answer.problem, step: "read" };
    let held = answer.value;
    if (request.ownerId !== undefined) {
      // DDNS_OWNER_ID: which of them this owner's TXT records vouch for.
      const owned = await readOwned(api, zone, request, held, { signal, dryRun, ...(tuning.log ? { log: tuning.log } : {}) });
      if (!owned.ok) return owned;
      held = owned.held;
    }
    cache.set(request, zone.name, held);
    return { ok: true, held };
  }

  /** Plans of one zone, in the items' order: from the cache, a bulk listing, or a read per name. */
  async function planZone(zone: Z, items: Item[], options: SetOptions): Promise<Planned[]> {
    const out = new Array<Planned>(items.length);
    const toRead = new Map<RecordType, number[]>();
    items.forEach((item, i) => {
      const cached = options.dryRun ? undefined : cache.get(item.request);
      const plan = cached && cached.zone === zone.name ? planRecordSet(item.request, cached.held) : undefined;
      // With ownership by comment or owner TXT, a new record is planned from a fresh read only: never a second one from memory.
      if (plan && needsWrite(plan) && !(plan.create && (item.request.managedComment || item.request.ownerId))) out[i] = { ok: true, plan };
      else toRead.set(item.request.type, [...(toRead.get(item.request.type) ?? []), i]);
    });
    const single: number[] = [];
    for (const [type, indexes] of toRead) {
      // The zone-wide listing does not read the owner TXT records: with DDNS_OWNER_ID every name is read on its own.
      if (!api.listAll || indexes.length < bulkThreshold || items[indexes[0]!]!.request.ownerId !== undefined) {
        single.push(...indexes);
        continue;
      }
      const all = await api.listAll(zone, type, options.signal);
      if (!all.ok) {
        // Every name would fail the same way: once is enough.
        for (const i of indexes) out[i] = { ok: false, problem: all.problem, step: "read" };
        continue;
      }
      for (const i of indexes) {
        const request = items[i]!.request;
        const held = all.value.filter((r) => r.name.toLowerCase() === request.name);
        cache.set(request, zone.name, held);
        out[i] = { ok: true, plan: planRecordSet(request, held) };
      }
    }
    await mapLimit(single, concurrency, async (i) => {
      const request = items[i]!.request;
      const answer = await read(zone, request, options.signal, options.dryRun);
      out[i] = answer.ok ? { ok: true, plan: planRecordSet(request, answer.held) } : answer;
    });
    return out;
  }

  /** Reconciles one zone's items; returns those whose zone id went stale, when `relocate` lets them go round again. */
  async function reconcileZone(zone: Z, items: Item[], options: SetOptions, results: RecordResult[], relocate: boolean): Promise<Item[]> {
    const stale = new Set<RecordRequest>();
    const takeOver = (request: RecordRequest) => {
      if (!relocate) return false;
      stale.add(request);
      return true;
    };
    const planned = await planZone(zone, items, options);
    const writes: Array<{ plan: RecordPlan; index: number }> = [];
    planned.forEach((p, n) => {
      const { index, request } = items[n]!;
      if (!p.ok) {
        if (p.problem.tag !== "stale-zone" || !takeOver(request)) results[index] = failedAt(request, p.problem, p.step);
      } else if (!needsWrite(p.plan) || options.dryRun) {
        results[index] = { ok: true, request, outcome: planOutcome(p.plan, options.dryRun), previous: p.plan.previous, ...notOwnedOf(p.plan) };
      } else writes.push({ plan: p.plan, index });
    });
    if (writes.length > 0) {
      const written = await writeZonePlans(api, zone, writes.map((w) => w.plan), {
        signal: options.signal,
        concurrency,
        cache,
        batchState,
        now: tuning.now,
        service: api.service,
        ...(tuning.log ? { log: tuning.log } : {}),
        ...(tuning.batchRetryMs === undefined ? {} : { batchRetryMs: tuning.batchRetryMs }),
        reread: (request) => read(zone, request, options.signal, false),
        staleZone: takeOver,
      });
      writes.forEach((w, n) => void (stale.has(w.plan.request) || (results[w.index] = written[n]!)));
    }
    if (stale.size > 0) forgetZone(zone);
    return items.filter((i) => stale.has(i.request));
  }

  /** One pass: zones found, then each zone reconciled; returns the items to go round again (stale zone ids). */
  async function pass(items: Item[], options: SetOptions, results: RecordResult[], relocate: boolean): Promise<Item[]> {
    await api.zones.prefetch(items.map((i) => i.request.name), options.signal);
    const located: Array<Item & { zone?: Z }> = items.map((item) => ({ ...item }));
    await mapLimit(located, concurrency, async (item) => {
      const found = await locate(item.request, options.signal);
      if (found.ok) item.zone = found.zone;
      else results[item.index] = failedAt(item.request, found.problem, found.step);
    });
    const byZone = groupBy(located.filter((i) => i.zone !== undefined), (i) => i.zone!.name);
    const again: Item[] = [];
    await mapLimit([...byZone.values()], concurrency, async (group) => {
      try {
        again.push(...(await reconcileZone(group[0]!.zone!, group, options, results, relocate)));
      } catch (error) {
        for (const { index, request } of group) results[index] ??= internalError(request, error);
      }
    });
    return again.sort((a, b) => a.index - b.index);
  }

  async function setRecords(requests: RecordRequest[], options: SetOptions, results: RecordResult[]): Promise<void> {
    const again = await pass(requests.map((request, index) => ({ request, index })), options, results, true);
    if (again.length > 0) await pass(again, options, results, false);
  }

  const deleteRecords = createRecordDeleter(api, concurrency);
  return {
    ...guardedProvider(tuning.id, true, setRecords),
    async deleteRecords(requests, options) {
      for (const request of requests) cache.drop(request);
      return deleteRecords(requests, options);
    },
  };
}
