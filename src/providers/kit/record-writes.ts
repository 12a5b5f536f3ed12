import type { Logger } from "../../log/logger.ts";
import type { RecordRequest, RecordResult } from "./types.ts";
import type { Answer, Problem } from "./answer.ts";
import type { RecordCache } from "./record-cache.ts";
import { mapLimit, packChunks } from "./per-record.ts";
import { needsWrite, notOwnedOf, operationCount, planOutcome, planRecordSet, type HeldRecord, type NewRecord, type RecordChanges, type RecordPlan } from "./record-plan.ts";
import { failedAt, writeStep, type StepProblem } from "./record-steps.ts";
import type { Zone } from "./zone-finder.ts";
import { findCreated, registerOwner, unregister, type RegistryApi } from "./record-registry.ts";

/**
 * Executes the write plans of one zone. With a batch endpoint and two or more operations, at most `batchLimit`
 * operations per request (the service runs them as one transaction); where the endpoint is refused
 * (`batch-refused`), single calls, and batching rests for `batchRetryMs`. A batch rejected as a whole for a reason
 * that is not the credentials' or the rate limit's is retried record by record, so one bad record never blocks the
 * others. Single calls: the update or create first (the name keeps answering), then the duplicates go; a stale
 * record id or a conflicting create gets one fresh read and one more try. A stale zone id is handed back
 * (`staleZone`) for the caller to look the zone up again, when it can.
 */
export interface WriteApi<Z extends Zone> extends RegistryApi<Z> {
  create(zone: Z, record: NewRecord, signal: AbortSignal): Promise<Answer<HeldRecord | undefined>>;
  /**
   * Changes a record. An API that gives a changed record a new id (NameSilo) answers with it; one without an update
   * (delete + create: Netlify) answers with the record that now holds the address; the others with nothing.
   */
  update(zone: Z, held: HeldRecord, changes: RecordChanges, request: RecordRequest, signal: AbortSignal): Promise<Answer<void | { id: string } | HeldRecord>>;
  remove(zone: Z, held: HeldRecord, signal: AbortSignal): Promise<Answer<void>>;
  /** Several plans in one request; the answer holds, per plan, the record that now holds the address (if known). */
  batch?(zone: Z, plans: RecordPlan[], signal: AbortSignal): Promise<Answer<Array<HeldRecord | undefined>>>;
  readonly batchLimit?: number;
}

/** A fresh read of what the zone holds for the name. */
export type Reread = { ok: true; held: HeldRecord[] } | ({ ok: false } & StepProblem);

export interface WriteContext {
  signal: AbortSignal;
  concurrency: number;
  cache: RecordCache;
  batchState: { disabledUntil: number };
  now: () => number;
  batchRetryMs?: number;
  /** Told once each time the service refuses the batch endpoint. */
  log?: Pick<Logger, "info">;
  service?: string;
  reread(request: RecordRequest): Promise<Reread>;
  /**
   * Told when a write (or its re-read) found the zone's id stale; true when the caller takes the record over (it
   * looks the zone up again and plans the record anew): then the result given for it here is only a placeholder.
   */
  staleZone?(request: RecordRequest): boolean;
}

const done = (plan: RecordPlan): RecordResult => ({ ok: true, request: plan.request, outcome: planOutcome(plan, false), previous: plan.previous, ...notOwnedOf(plan) });

export async function writeZonePlans<Z extends Zone>(api: WriteApi<Z>, zone: Z, plans: RecordPlan[], ctx: WriteContext): Promise<RecordResult[]> {
  const results = new Map<RecordPlan, RecordResult>();
  const singly = async (group: RecordPlan[]) =>
    void (await mapLimit(group, ctx.concurrency, async (plan) => void results.set(plan, await writeSingly(api, zone, plan, ctx, 0))));
  const total = plans.reduce((n, p) => n + operationCount(p), 0);
  // The owner TXT of DDNS_OWNER_ID names the id a create answers with: those plans go one by one.
  if (!api.batch || total < 2 || ctx.batchState.disabledUntil > ctx.now() || plans.some((p) => p.request.ownerId !== undefined)) {
    await singly(plans);
  } else {
    const { chunks, oversized } = packChunks(plans, operationCount, api.batchLimit ?? 100);
    for (const chunk of chunks) await writeBatch(api, zone, chunk, ctx, results, singly);
    await singly(oversized);
  }
  return plans.map((p) => results.get(p)!);
}

async function writeBatch<Z extends Zone>(api: WriteApi<Z>, zone: Z, chunk: RecordPlan[], ctx: WriteContext, results: Map<RecordPlan, RecordResult>, singly: (g: RecordPlan[]) => Promise<void>) {
  if (ctx.batchState.disabledUntil > ctx.now()) return singly(chunk);
  const answer = await api.batch!(zone, chunk, ctx.signal);
  if (answer.ok) {
    chunk.forEach((plan, i) => {
      results.set(plan, done(plan));
      const kept = answer.value[i];
      if (kept) ctx.cache.set(plan.request, zone.name, afterWrite(plan, kept));
      else ctx.cache.drop(plan.request);
    });
    return;
  }
  const problem = answer.problem;
  if (problem.tag === "batch-refused") {
    ctx.batchState.disabledUntil = ctx.now() + (ctx.batchRetryMs ?? 3_600_000);
    ctx.log?.info(`${ctx.service ?? "The service"} refused the batch endpoint; using single requests for a while`, { zone: zone.name });
    return singly(chunk);
  }
  if (!problem.mayHaveArrived && problem.kind !== "auth" && problem.kind !== "rate-limited") return singly(chunk);
  for (const plan of chunk) {
    if (problem.mayHaveArrived) ctx.cache.drop(plan.request);
    results.set(plan, failedAt(plan.request, problem, writeStep(plan)));
  }
}

async function writeSingly<Z extends Zone>(api: WriteApi<Z>, zone: Z, plan: RecordPlan, ctx: WriteContext, attempt: number): Promise<RecordResult> {
  const { request } = plan;
  let kept: HeldRecord | undefined = plan.keep;
  if (plan.update && plan.keep) {
    const answer = await api.update(zone, plan.keep, plan.update, request, ctx.signal);
    if (!answer.ok) return recover(api, zone, plan, { problem: answer.problem, step: "update" }, ctx, attempt);
    kept = { ...plan.keep, ...plan.update, ...(answer.value ?? {}) };
    if (request.ownerId !== undefined && kept.id !== plan.keep.id) {
      // The update gave the record a new id (delete + create APIs): its owner TXT must name the new one.
      const moved = await registerOwner(api, zone, request, kept, ctx.signal);
      if (!moved.ok) {
        ctx.cache.drop(request);
        return failedAt(request, moved.problem, "registry-move");
      }
      await unregister(api, zone, plan.keep, ctx.signal);
      kept = { ...kept, owned: true, registry: moved.value ? [moved.value] : [] };
    }
  } else if (plan.create) {
    const answer = await api.create(zone, plan.create, ctx.signal);
    if (!answer.ok) return recover(api, zone, plan, { problem: answer.problem, step: "create" }, ctx, attempt);
    kept = answer.value;
    if (request.ownerId !== undefined) {
      // The owner TXT names the new record's id: read it back when the answer did not carry it.
      kept ??= await findCreated(api, zone, request, [...plan.foreign, ...plan.deletes], ctx.signal);
      const registered = await registerCreated(api, zone, request, kept, ctx.signal);
      if (!registered.ok) {
        ctx.cache.drop(request);
        return failedAt(request, registered.problem, "registry");
      }
      kept = { ...kept!, owned: true, registry: registered.value ? [registered.value] : [] };
    }
  }
  if (kept) kept = commented(plan, kept);
  for (const duplicate of plan.deletes) {
    const answer = await api.remove(zone, duplicate, ctx.signal);
    // Already gone is what was wanted.
    if (!answer.ok && !(answer.problem.tag === "stale-record" && !answer.problem.mayHaveArrived)) {
      ctx.cache.drop(request);
      return failedAt(request, answer.problem, "delete");
    }
    await unregister(api, zone, duplicate, ctx.signal);
  }
  if (kept) ctx.cache.set(request, zone.name, afterWrite(plan, kept));
  else ctx.cache.drop(request);
  return done(plan);
}

/**
 * DDNS_OWNER_ID: the owner TXT beside a record just created, naming its id. When it cannot be written the new record
 * is deleted again (it would be nobody's: this daemon would create another one next round).
 */
async function registerCreated<Z extends Zone>(api: WriteApi<Z>, zone: Z, request: RecordRequest, created: HeldRecord | undefined, signal: AbortSignal): Promise<Answer<HeldRecord | undefined>> {
  if (!created) return { ok: false, problem: { kind: "transient", mayHaveArrived: true, reason: "the service did not answer with the new record's id, so no owner TXT record can name it; the record stays, not this daemon's" } };
  const txt = await registerOwner(api, zone, request, created, signal);
  if (txt.ok) return txt;
  const undone = await api.remove(zone, created, signal);
  const after = undone.ok ? "the record just created was deleted again" : `the record just created could not be deleted again (${undone.problem.reason}) and stays, not this daemon's`;
  return { ok: false, problem: { ...txt.problem, reason: `${txt.problem.reason}; ${after}` } };
}

/** The record written carries the comment ddnsd wrote, even where the service's answer does not echo it. */
function commented(plan: RecordPlan, kept: HeldRecord): HeldRecord {
  const wrote = plan.update?.comment ?? plan.create?.comment;
  return wrote === undefined || kept.comment !== undefined ? kept : { ...kept, comment: wrote };
}

/** What the name holds after the plan was written: the record kept, and the records that are not ddnsd's. */
const afterWrite = (plan: RecordPlan, kept: HeldRecord): HeldRecord[] => [commented(plan, kept), ...plan.foreign];

/** Failures worth one fresh read and one more try: a record id that went stale, a record someone created meanwhile. */
const REREAD: ReadonlySet<Problem["tag"]> = new Set(["stale-record", "conflict"]);

/**
 * After a failed write: the cache entry goes; a stale record id or a conflict gets one fresh read and one more
 * try; a stale zone id goes to the caller (`staleZone`), which looks the zone up again — or, when it has done so
 * already, the failure stands.
 */
async function recover<Z extends Zone>(api: WriteApi<Z>, zone: Z, plan: RecordPlan, failure: StepProblem, ctx: WriteContext, attempt: number): Promise<RecordResult> {
  ctx.cache.drop(plan.request);
  const { problem } = failure;
  if (problem.tag === "stale-zone" && !problem.mayHaveArrived) ctx.staleZone?.(plan.request);
  const worth = !problem.mayHaveArrived && REREAD.has(problem.tag);
  if (attempt > 0 || !worth) return failedAt(plan.request, problem, failure.step);
  const again = await ctx.reread(plan.request);
  if (!again.ok) {
    if (again.problem.tag === "stale-zone") ctx.staleZone?.(plan.request);
    return failedAt(plan.request, again.problem, again.step);
  }
  const next = planRecordSet(plan.request, again.held);
  if (!needsWrite(next)) return done(next);
  return writeSingly(api, zone, next, ctx, attempt + 1);
}
