import type { RecordType } from "../../core/family.ts";
import type { RecordRequest, RecordResult } from "../kit/types.ts";
import type { ApiFailure } from "./api-types.ts";
import { allCodes } from "./envelope.ts";
import { isStaleRecord, isStaleZone } from "./errors.ts";
import { failed, succeeded, zoneNotFound, type Step } from "./outcomes.ts";
import { needsWrite, planRecord, type HeldRecord, type RecordCache, type RecordPlan } from "./plan.ts";
import type { RecordsApi } from "./records.ts";
import { mapLimit } from "./scheduling.ts";
import type { ZoneFinder } from "./zones.ts";

/**
 * Planning and single-call writing. A record is planned from the id cache when the cache says a write is needed
 * anyway (a change costs no read), else from a fresh read: by exact name, or — when many records of one type in
 * a zone need reading — from one zone-wide listing. Writes with single calls; a stale id (404 / 81044, or a zone
 * id Cloudflare no longer knows) is dropped and the record read again, once.
 */

export interface ReconcileDeps {
  records: RecordsApi;
  cache: RecordCache;
  zones: ZoneFinder;
  /** Cloudflare's TTL for created records (1 = automatic). */
  ttl: number;
  proxied: boolean;
}

export interface ZoneRef {
  zoneId: string;
  zoneName: string;
}

export type Planned = { plan: RecordPlan } | { result: RecordResult };

export interface PlanOptions {
  dryRun: boolean;
  /** From this many reads of one type in one zone, list the zone's records of that type once instead. */
  bulkThreshold: number;
  concurrency: number;
}

/** A cached entry is trusted only when it says a write is needed; one that says "already right" is verified by a
 *  read, so that a record edited by hand gets repaired. A dry run always reads (it should report what is). */
function planFromCache(deps: ReconcileDeps, request: RecordRequest, zone: ZoneRef, dryRun: boolean): RecordPlan | undefined {
  const cached = dryRun ? undefined : deps.cache.get(request);
  if (!cached || cached.zoneId !== zone.zoneId) return undefined;
  const plan = planRecord(request, zone, cached.records, true);
  return needsWrite(plan) ? plan : undefined;
}

/** Plans every request of one zone; results keep the input order. */
export async function planAll(deps: ReconcileDeps, requests: RecordRequest[], zone: ZoneRef, signal: AbortSignal, o: PlanOptions): Promise<Planned[]> {
  const out = new Array<Planned>(requests.length);
  const toRead = new Map<RecordType, number[]>();
  requests.forEach((request, i) => {
    const plan = planFromCache(deps, request, zone, o.dryRun);
    if (plan) out[i] = { plan };
    else toRead.set(request.type, [...(toRead.get(request.type) ?? []), i]);
  });
  const single: number[] = [];
  for (const [type, indexes] of toRead) {
    if (indexes.length < o.bulkThreshold) {
      single.push(...indexes);
      continue;
    }
    const all = await deps.records.listAll(zone.zoneId, type, signal);
    if (!all.ok) {
      // A stale zone id: per-name reads find the zone again. Anything else would fail the same way per name.
      if (isStaleZone(all.failure)) single.push(...indexes);
      else for (const i of indexes) out[i] = { result: failed(requests[i]!, "read", all.failure) };
      continue;
    }
    for (const i of indexes) {
      const request = requests[i]!;
      const held = all.result.filter((r) => r.name.toLowerCase() === request.name).map((r) => ({ id: r.id, content: r.content }));
      deps.cache.set(request, zone.zoneId, held);
      out[i] = { plan: planRecord(request, zone, held, false) };
    }
  }
  await mapLimit(single, o.concurrency, async (i) => void (out[i] = await readPlan(deps, requests[i]!, zone, signal, true)));
  return out;
}

export async function readPlan(deps: ReconcileDeps, request: RecordRequest, zone: ZoneRef, signal: AbortSignal, mayRelocate: boolean): Promise<Planned> {
  const answer = await deps.records.list(zone.zoneId, request.name, request.type, signal);
  if (!answer.ok) {
    if (mayRelocate && isStaleZone(answer.failure)) {
      deps.zones.forget(zone.zoneName);
      deps.cache.dropZone(zone.zoneId);
      const found = await deps.zones.find(request.name, deps.zones.session(), signal);
      if (found.ok) return readPlan(deps, request, found, signal, false);
      return { result: found.notFound ? zoneNotFound(request, found.tried) : failed(request, "zone", found.failure) };
    }
    return { result: failed(request, "read", answer.failure) };
  }
  const held: HeldRecord[] = answer.result.map((r) => ({ id: r.id, content: r.content }));
  deps.cache.set(request, zone.zoneId, held);
  return { plan: planRecord(request, zone, held, false) };
}

/** Worth one fresh read and one more try: the id was stale, or someone created the record meanwhile. */
function worthRereading(failure: ApiFailure): boolean {
  if (failure.mayHaveArrived) return false;
  const codes = allCodes(failure.errors);
  return isStaleRecord(failure) || codes.includes(81057) || codes.includes(81058);
}

async function recover(deps: ReconcileDeps, plan: RecordPlan, step: Step, failure: ApiFailure, signal: AbortSignal, attempt: number): Promise<RecordResult> {
  deps.cache.drop(plan.request);
  if (attempt > 0 || !worthRereading(failure)) return failed(plan.request, step, failure);
  const again = await readPlan(deps, plan.request, plan, signal, true);
  if ("result" in again) return again.result;
  if (!needsWrite(again.plan)) return succeeded(again.plan, false);
  return writeSingly(deps, again.plan, signal, attempt + 1);
}

/** Executes a plan with single calls: PATCH or POST first (the name keeps answering), then the duplicates go. */
export async function writeSingly(deps: ReconcileDeps, plan: RecordPlan, signal: AbortSignal, attempt = 0): Promise<RecordResult> {
  const { request } = plan;
  let kept = plan.keep;
  if (plan.patch && plan.keep) {
    const answer = await deps.records.patch(plan.zoneId, plan.keep.id, request.content, signal);
    if (!answer.ok) return recover(deps, plan, "update", answer.failure, signal, attempt);
    kept = { id: plan.keep.id, content: request.content };
  } else if (plan.post) {
    const record = { type: request.type, name: request.name, content: request.content, ttl: deps.ttl, proxied: deps.proxied };
    const answer = await deps.records.create(plan.zoneId, record, signal);
    if (!answer.ok) return recover(deps, plan, "create", answer.failure, signal, attempt);
    kept = { id: answer.result.id, content: request.content };
  }
  for (const id of plan.deletes) {
    const answer = await deps.records.remove(plan.zoneId, id, signal);
    // Already gone is what we wanted.
    if (!answer.ok && !(isStaleRecord(answer.failure) && !answer.failure.mayHaveArrived)) {
      deps.cache.drop(request);
      return failed(request, "delete", answer.failure);
    }
  }
  if (kept) deps.cache.set(request, plan.zoneId, [kept]);
  return succeeded(plan, false);
}
