import type { RecordType } from "../../core/family.ts";
import type { DnsProvider, RecordRequest, RecordResult, SetOptions } from "./types.ts";
import { failed, internalError, type Answer } from "./answer.ts";
import { groupBy, mapLimit, packChunks } from "./per-record.ts";
import { rrsetMatches } from "./record-plan.ts";
import { zoneNotFound, type Zone, type ZoneFinder } from "./zone-finder.ts";

/**
 * The template for APIs that replace a whole record set (PowerDNS, deSEC, Hetzner, Gandi, Route53, Cloud DNS, RFC
 * 2136…): find the zone, read the set, and when its values (or the TTL the operator set) differ, write the set
 * holding exactly the address. Several sets of one zone go in one write where the API takes several (`maxPerWrite`);
 * a multi-set write refused as a whole is retried set by set, so one bad record never blocks the others. Services
 * that apply changes asynchronously return a handle that `confirm` polls until done, or the result says "could not
 * confirm". With `auto`, an existing set keeps its TTL and a new one gets `defaultTtl`.
 */
export interface Rrset {
  values: string[];
  ttl?: number;
  comment?: string;
}

export interface RrsetChange {
  request: RecordRequest;
  name: string;
  type: RecordType;
  ttl: number;
  values: string[];
  /** What the set held before (undefined: it did not exist). */
  previous?: Rrset;
}

export interface RrsetApi<Z extends Zone, H = unknown> {
  readonly service: string;
  readonly zones: ZoneFinder<Z>;
  readonly zoneFix: string;
  readonly defaultTtl: number;
  /** Sets per write request; 1 (the default) writes each set on its own. */
  readonly maxPerWrite?: number;
  read(zone: Z, name: string, type: RecordType, signal: AbortSignal): Promise<Answer<Rrset | undefined>>;
  /** Writes the changes (all of one zone); may return a handle of an asynchronous change for `confirm`. */
  write(zone: Z, changes: RrsetChange[], signal: AbortSignal): Promise<Answer<H | void>>;
  /** Asks whether an asynchronous change has been applied. */
  confirm?(handle: H, signal: AbortSignal): Promise<Answer<"done" | "pending">>;
}

export interface RrsetProviderOptions {
  id: string;
  concurrency?: number;
  /** Waits between `confirm` polls; resolves false when the signal fired. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<boolean>;
  /** How long to poll `confirm` before "could not confirm". */
  confirmWithinMs?: number;
  confirmEveryMs?: number;
}

type Item = { request: RecordRequest; index: number; zone?: Zone };

export function createRrsetProvider<Z extends Zone, H>(api: RrsetApi<Z, H>, tuning: RrsetProviderOptions): DnsProvider {
  const concurrency = tuning.concurrency ?? 4;

  async function confirmed(handle: H, signal: AbortSignal): Promise<Answer<void>> {
    if (!api.confirm || !tuning.sleep) return { ok: true, value: undefined };
    const every = tuning.confirmEveryMs ?? 1000;
    for (let waited = 0; waited <= (tuning.confirmWithinMs ?? 30_000); waited += every) {
      const answer = await api.confirm(handle, signal);
      if (!answer.ok) return { ok: false, problem: { ...answer.problem, mayHaveArrived: true } };
      if (answer.value === "done") return { ok: true, value: undefined };
      if (!(await tuning.sleep(every, signal))) break;
    }
    return { ok: false, problem: { kind: "transient", reason: `${api.service} accepted the change but did not report it applied in time`, mayHaveArrived: true } };
  }

  async function writeChanges(zone: Z, changes: RrsetChange[], signal: AbortSignal, out: Map<RrsetChange, RecordResult>): Promise<void> {
    const answer = await api.write(zone, changes, signal);
    const settled = answer.ok && answer.value !== undefined ? await confirmed(answer.value as H, signal) : answer.ok ? { ok: true as const, value: undefined } : answer;
    if (!settled.ok && changes.length > 1 && !settled.problem.mayHaveArrived && settled.problem.kind !== "auth" && settled.problem.kind !== "rate-limited") {
      for (const change of changes) await writeChanges(zone, [change], signal, out);
      return;
    }
    for (const change of changes) {
      out.set(change, settled.ok
        ? { ok: true, request: change.request, outcome: change.previous && change.previous.values.length > 0 ? "updated" : "created", previous: change.previous?.values ?? [] }
        : failed(change.request, settled.problem, true));
    }
  }

  async function reconcileZone(zone: Z, items: Item[], options: SetOptions, results: RecordResult[]): Promise<void> {
    const changes: Array<{ change: RrsetChange; index: number }> = [];
    await mapLimit(items, concurrency, async ({ request, index }) => {
      const read = await api.read(zone, request.name, request.type, options.signal);
      if (!read.ok) return void (results[index] = failed(request, read.problem, false));
      const held = read.value;
      const previous = held?.values ?? [];
      if (held && rrsetMatches(request, held)) return void (results[index] = { ok: true, request, outcome: "unchanged", previous });
      if (options.dryRun) return void (results[index] = { ok: true, request, outcome: "planned", previous });
      const ttl = typeof request.ttl === "number" ? request.ttl : (held?.ttl ?? api.defaultTtl);
      changes.push({ index, change: { request, name: request.name, type: request.type, ttl, values: [request.content], ...(held ? { previous: held } : {}) } });
    });
    changes.sort((a, b) => a.index - b.index);
    const out = new Map<RrsetChange, RecordResult>();
    const { chunks } = packChunks(changes.map((c) => c.change), () => 1, Math.max(1, api.maxPerWrite ?? 1));
    for (const chunk of chunks) await writeChanges(zone, chunk, options.signal, out);
    for (const { change, index } of changes) results[index] = out.get(change)!;
  }

  async function setRecords(requests: RecordRequest[], options: SetOptions): Promise<RecordResult[]> {
    const results = new Array<RecordResult>(requests.length);
    await api.zones.prefetch(requests.map((r) => r.name), options.signal);
    const items: Item[] = requests.map((request, index) => ({ request, index }));
    await mapLimit(items, concurrency, async (item) => {
      const found = await api.zones.find(item.request.name, options.signal);
      if (found.ok) item.zone = found.zone;
      else results[item.index] = failed(item.request, found.notFound ? zoneNotFound(api.service, item.request.name, found.tried, api.zoneFix) : found.problem, false);
    });
    const byZone = groupBy(items.filter((i) => i.zone), (i) => i.zone!.name);
    await mapLimit([...byZone.values()], concurrency, async (group) => {
      try {
        await reconcileZone(group[0]!.zone as Z, group, options, results);
      } catch (error) {
        for (const { index, request } of group) results[index] ??= internalError(request, error);
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
