import type { RecordType } from "../../core/family.ts";
import type { DnsProvider, RecordRequest, RecordResult, SetOptions } from "./types.ts";
import { failed, internalError, type Answer, type Problem } from "./answer.ts";
import { createRecordCache } from "./record-cache.ts";
import { groupBy, mapLimit } from "./per-record.ts";
import { planOutcome, planRecordSet, needsWrite, type HeldRecord, type RecordPlan } from "./record-plan.ts";
import { writeZonePlans, type WriteApi } from "./record-writes.ts";
import { zoneNotFound, type Zone, type ZoneFinder } from "./zone-finder.ts";

/**
 * The template for APIs whose records have ids (Cloudflare, DigitalOcean, Linode, Vultr, Porkbun…). A provider
 * supplies its paths and bodies through `RecordApi`; the template does the rest, per `setRecords` call:
 * find each record's zone, plan each record from the id cache when the cache says a write is needed anyway (a
 * change costs no read) or else from a fresh read — one zone-wide listing when many names of one type need
 * reading —, and write only what differs, zone by zone (record-writes.ts: batches where the API has them, single
 * calls otherwise, one re-read and retry for a stale id). One result per request; one record's failure never
 * touches another's.
 */
export interface RecordApi<Z extends Zone> extends WriteApi<Z> {
  readonly service: string;
  readonly zones: ZoneFinder<Z>;
  /** What to do when no zone holds a name, in the service's words ("add the domain to the account …"). */
  readonly zoneFix: string;
  list(zone: Z, name: string, type: RecordType, signal: AbortSignal): Promise<Answer<HeldRecord[]>>;
  /** Every record of `type` in the zone (names included), when the API can list them cheaply. */
  listAll?(zone: Z, type: RecordType, signal: AbortSignal): Promise<Answer<Array<HeldRecord & { name: string }>>>;
}

export interface RecordProviderOptions {
  id: string;
  now: () => number;
  /** How long batching rests after the service refused the batch endpoint. */
  batchRetryMs?: number;
  concurrency?: number;
  /** From this many reads of one type in one zone, list the zone's records of that type once instead. */
  bulkThreshold?: number;
}

type Item = { request: RecordRequest; index: number };

export function createRecordProvider<Z extends Zone>(api: RecordApi<Z>, tuning: RecordProviderOptions): DnsProvider {
  const concurrency = tuning.concurrency ?? 4;
  const bulkThreshold = tuning.bulkThreshold ?? 10;
  const cache = createRecordCache();
  const batchState = { disabledUntil: 0 };

  async function read(zone: Z, request: RecordRequest, signal: AbortSignal): Promise<Answer<HeldRecord[]>> {
    const answer = await api.list(zone, request.name, request.type, signal);
    if (answer.ok) cache.set(request, zone.name, answer.value);
    return answer;
  }

  /** Plans of one zone, in the items' order: from the cache, a bulk listing, or a read per name. */
  async function planZone(zone: Z, items: Item[], options: SetOptions): Promise<Array<{ plan: RecordPlan } | { problem: Problem }>> {
    const out = new Array<{ plan: RecordPlan } | { problem: Problem }>(items.length);
    const toRead = new Map<RecordType, number[]>();
    items.forEach((item, i) => {
      const cached = options.dryRun ? undefined : cache.get(item.request);
      const plan = cached && cached.zone === zone.name ? planRecordSet(item.request, cached.held) : undefined;
      if (plan && needsWrite(plan)) out[i] = { plan };
      else toRead.set(item.request.type, [...(toRead.get(item.request.type) ?? []), i]);
    });
    const single: number[] = [];
    for (const [type, indexes] of toRead) {
      if (!api.listAll || indexes.length < bulkThreshold) {
        single.push(...indexes);
        continue;
      }
      const all = await api.listAll(zone, type, options.signal);
      if (!all.ok) {
        for (const i of indexes) out[i] = { problem: all.problem };
        continue;
      }
      for (const i of indexes) {
        const request = items[i]!.request;
        const held = all.value.filter((r) => r.name.toLowerCase() === request.name);
        cache.set(request, zone.name, held);
        out[i] = { plan: planRecordSet(request, held) };
      }
    }
    await mapLimit(single, concurrency, async (i) => {
      const request = items[i]!.request;
      const answer = await read(zone, request, options.signal);
      out[i] = answer.ok ? { plan: planRecordSet(request, answer.value) } : { problem: answer.problem };
    });
    return out;
  }

  async function reconcileZone(zone: Z, items: Item[], options: SetOptions, results: RecordResult[]): Promise<void> {
    const planned = await planZone(zone, items, options);
    const writes: Array<{ plan: RecordPlan; index: number }> = [];
    planned.forEach((p, n) => {
      const { index, request } = items[n]!;
      if ("problem" in p) {
        if (p.problem.tag === "stale-zone") api.zones.forget(zone.name);
        results[index] = failed(request, p.problem, false);
      } else if (!needsWrite(p.plan) || options.dryRun) {
        results[index] = { ok: true, request, outcome: planOutcome(p.plan, options.dryRun), previous: p.plan.previous };
      } else writes.push({ plan: p.plan, index });
    });
    if (writes.length === 0) return;
    const written = await writeZonePlans(api, zone, writes.map((w) => w.plan), {
      signal: options.signal,
      concurrency,
      cache,
      batchState,
      now: tuning.now,
      ...(tuning.batchRetryMs === undefined ? {} : { batchRetryMs: tuning.batchRetryMs }),
      reread: (request) => read(zone, request, options.signal),
    });
    writes.forEach((w, n) => (results[w.index] = written[n]!));
  }

  async function setRecords(requests: RecordRequest[], options: SetOptions): Promise<RecordResult[]> {
    const results = new Array<RecordResult>(requests.length);
    await api.zones.prefetch(requests.map((r) => r.name), options.signal);
    const located: Array<Item & { zone?: Z }> = requests.map((request, index) => ({ request, index }));
    await mapLimit(located, concurrency, async (item) => {
      const found = await api.zones.find(item.request.name, options.signal);
      if (found.ok) item.zone = found.zone;
      else results[item.index] = failed(item.request, found.notFound ? zoneNotFound(api.service, item.request.name, found.tried, api.zoneFix) : found.problem, false);
    });
    const byZone = groupBy(located.filter((i) => i.zone !== undefined), (i) => i.zone!.name);
    await mapLimit([...byZone.values()], concurrency, async (items) => {
      try {
        await reconcileZone(items[0]!.zone!, items, options, results);
      } catch (error) {
        for (const { index, request } of items) results[index] ??= internalError(request, error);
      }
    });
    return requests.map((request, i) => results[i] ?? internalError(request, new Error("no result")));
  }

  return {
    type: tuning.id,
    canRead: true,
    async setRecords(requests, options) {
      try {
        return await setRecords(requests, options);
      } catch (error) {
        return requests.map((request) => internalError(request, error));
      }
    },
  };
}
