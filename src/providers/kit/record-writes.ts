import type { RecordRequest, RecordResult } from "./types.ts";
import { failed, type Answer, type Problem } from "./answer.ts";
import type { RecordCache } from "./record-cache.ts";
import { mapLimit, packChunks } from "./per-record.ts";
import { needsWrite, operationCount, planOutcome, planRecordSet, type HeldRecord, type NewRecord, type RecordChanges, type RecordPlan } from "./record-plan.ts";
import type { Zone } from "./zone-finder.ts";

/**
 * Executes the write plans of one zone. With a batch endpoint and two or more operations, at most `batchLimit`
 * operations per request (the service runs them as one transaction); where the endpoint is refused
 * (`batch-refused`), single calls, and batching rests for `batchRetryMs`. A batch rejected as a whole for a reason
 * that is not the credentials' or the rate limit's is retried record by record, so one bad record never blocks the
 * others. Single calls: the update or create first (the name keeps answering), then the duplicates go; a stale id
 * or a conflicting create gets one fresh read and one more try.
 */
export interface WriteApi<Z extends Zone> {
  create(zone: Z, record: NewRecord, signal: AbortSignal): Promise<Answer<HeldRecord | undefined>>;
  update(zone: Z, held: HeldRecord, changes: RecordChanges, request: RecordRequest, signal: AbortSignal): Promise<Answer<void>>;
  remove(zone: Z, held: HeldRecord, signal: AbortSignal): Promise<Answer<void>>;
  /** Several plans in one request; the answer holds, per plan, the record that now holds the address (if known). */
  batch?(zone: Z, plans: RecordPlan[], signal: AbortSignal): Promise<Answer<Array<HeldRecord | undefined>>>;
  readonly batchLimit?: number;
}

export interface WriteContext {
  signal: AbortSignal;
  concurrency: number;
  cache: RecordCache;
  batchState: { disabledUntil: number };
  now: () => number;
  batchRetryMs?: number;
  reread(request: RecordRequest): Promise<Answer<HeldRecord[]>>;
}

const done = (plan: RecordPlan): RecordResult => ({ ok: true, request: plan.request, outcome: planOutcome(plan, false), previous: plan.previous });

export async function writeZonePlans<Z extends Zone>(api: WriteApi<Z>, zone: Z, plans: RecordPlan[], ctx: WriteContext): Promise<RecordResult[]> {
  const results = new Map<RecordPlan, RecordResult>();
  const singly = async (group: RecordPlan[]) =>
    void (await mapLimit(group, ctx.concurrency, async (plan) => void results.set(plan, await writeSingly(api, zone, plan, ctx, 0))));
  const total = plans.reduce((n, p) => n + operationCount(p), 0);
  if (!api.batch || total < 2 || ctx.batchState.disabledUntil > ctx.now()) {
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
      if (kept) ctx.cache.set(plan.request, zone.name, [kept]);
      else ctx.cache.drop(plan.request);
    });
    return;
  }
  const problem = answer.problem;
  if (problem.tag === "batch-refused") {
    ctx.batchState.disabledUntil = ctx.now() + (ctx.batchRetryMs ?? 3_600_000);
    return singly(chunk);
  }
  if (!problem.mayHaveArrived && problem.kind !== "auth" && problem.kind !== "rate-limited") return singly(chunk);
  for (const plan of chunk) {
    if (problem.mayHaveArrived) ctx.cache.drop(plan.request);
    results.set(plan, failed(plan.request, problem, true));
  }
}

async function writeSingly<Z extends Zone>(api: WriteApi<Z>, zone: Z, plan: RecordPlan, ctx: WriteContext, attempt: number): Promise<RecordResult> {
  const { request } = plan;
  let kept: HeldRecord | undefined = plan.keep;
  if (plan.update && plan.keep) {
    const answer = await api.update(zone, plan.keep, plan.update, request, ctx.signal);
    if (!answer.ok) return recover(api, zone, plan, answer.problem, ctx, attempt);
    kept = { ...plan.keep, ...plan.update };
  } else if (plan.create) {
    const answer = await api.create(zone, plan.create, ctx.signal);
    if (!answer.ok) return recover(api, zone, plan, answer.problem, ctx, attempt);
    kept = answer.value;
  }
  for (const duplicate of plan.deletes) {
    const answer = await api.remove(zone, duplicate, ctx.signal);
    // Already gone is what was wanted.
    if (!answer.ok && !(answer.problem.tag === "stale-record" && !answer.problem.mayHaveArrived)) {
      ctx.cache.drop(request);
      return failed(request, answer.problem, true);
    }
  }
  if (kept) ctx.cache.set(request, zone.name, [kept]);
  else ctx.cache.drop(request);
  return done(plan);
}

/** After a failed write: the cache entry goes; a stale id or a conflict is worth one fresh read and one more try. */
async function recover<Z extends Zone>(api: WriteApi<Z>, zone: Z, plan: RecordPlan, problem: Problem, ctx: WriteContext, attempt: number): Promise<RecordResult> {
  ctx.cache.drop(plan.request);
  const worth = !problem.mayHaveArrived && (problem.tag === "stale-record" || problem.tag === "conflict");
  if (attempt > 0 || !worth) return failed(plan.request, problem, true);
  const again = await ctx.reread(plan.request);
  if (!again.ok) return failed(plan.request, again.problem, false);
  const next = planRecordSet(plan.request, again.value);
  if (!needsWrite(next)) return done(next);
  return writeSingly(api, zone, next, ctx, attempt + 1);
}
