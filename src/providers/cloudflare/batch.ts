import type { Logger } from "../../log/logger.ts";
import type { RecordResult } from "../kit/types.ts";
import type { CfBatchBody } from "./api-types.ts";
import { explainFailure, isBatchRefused } from "./errors.ts";
import { failed, succeeded, writeStep } from "./outcomes.ts";
import { operationCount, type RecordPlan } from "./plan.ts";
import { writeSingly, type ReconcileDeps } from "./reconcile.ts";
import { mapLimit, packChunks } from "./scheduling.ts";

/**
 * Writes the plans of one zone. Two or more operations go through `POST /zones/{id}/dns_records/batch`
 * (Cloudflare runs deletes, patches, puts, posts in one transaction), at most `limit` operations per request.
 * Where the endpoint is refused (404/405/"no route": an API-compatible service), the plans fall back to single
 * calls and batching rests for `retryMs`. A batch Cloudflare rejected as a whole is retried record by record,
 * so that one bad record never blocks the others.
 */

export interface BatchDeps extends ReconcileDeps {
  log: Logger;
  now: () => number;
  limit: number;
  retryMs: number;
  concurrency: number;
  /** Shared across calls: when the batch endpoint may be tried again. */
  state: { disabledUntil: number };
}

function bodyOf(plans: RecordPlan[], deps: BatchDeps): CfBatchBody {
  const body: CfBatchBody = {};
  const deletes = plans.flatMap((p) => p.deletes.map((id) => ({ id })));
  const patches = plans.filter((p) => p.patch && p.keep).map((p) => ({ id: p.keep!.id, content: p.request.content }));
  const posts = plans
    .filter((p) => p.post)
    .map((p) => ({ type: p.request.type, name: p.request.name, content: p.request.content, ttl: deps.ttl, proxied: deps.proxied }));
  if (deletes.length) body.deletes = deletes;
  if (patches.length) body.patches = patches;
  if (posts.length) body.posts = posts;
  return body;
}

async function singly(deps: BatchDeps, plans: RecordPlan[], signal: AbortSignal, out: Map<RecordPlan, RecordResult>): Promise<void> {
  await mapLimit(plans, deps.concurrency, async (plan) => void out.set(plan, await writeSingly(deps, plan, signal)));
}

async function sendChunk(deps: BatchDeps, zoneId: string, chunk: RecordPlan[], signal: AbortSignal, out: Map<RecordPlan, RecordResult>): Promise<void> {
  if (deps.state.disabledUntil > deps.now()) return singly(deps, chunk, signal, out);
  const answer = await deps.records.batch(zoneId, bodyOf(chunk, deps), signal);
  if (answer.ok) {
    const created = answer.result.posts ?? [];
    let postIndex = 0;
    for (const plan of chunk) {
      out.set(plan, succeeded(plan, false));
      const id = plan.post ? created[postIndex++]?.id : plan.keep?.id;
      if (id) deps.cache.set(plan.request, plan.zoneId, [{ id, content: plan.request.content }]);
      else deps.cache.drop(plan.request);
    }
    return;
  }
  const failure = answer.failure;
  if (isBatchRefused(failure)) {
    deps.state.disabledUntil = deps.now() + deps.retryMs;
    deps.log.info("Cloudflare refused the batch endpoint; using single requests", { zone: zoneId, status: failure.status });
    return singly(deps, chunk, signal, out);
  }
  const { kind } = explainFailure(failure);
  const definite = !failure.mayHaveArrived && (failure.reason === "api" || failure.reason === "http");
  if (definite && kind !== "auth" && kind !== "rate-limited") {
    // One operation spoiled the transaction (a stale id, a refused value): find it by going one by one.
    deps.log.debug("Cloudflare rejected a batch; retrying its records one by one", { zone: zoneId, status: failure.status });
    return singly(deps, chunk, signal, out);
  }
  for (const plan of chunk) {
    if (failure.mayHaveArrived) deps.cache.drop(plan.request);
    out.set(plan, failed(plan.request, writeStep(plan), failure));
  }
}

export async function writeZone(deps: BatchDeps, zoneId: string, plans: RecordPlan[], signal: AbortSignal): Promise<Map<RecordPlan, RecordResult>> {
  const out = new Map<RecordPlan, RecordResult>();
  const total = plans.reduce((n, p) => n + operationCount(p), 0);
  if (total < 2) {
    await singly(deps, plans, signal, out);
    return out;
  }
  const { chunks, oversized } = packChunks(plans, operationCount, deps.limit);
  for (const chunk of chunks) await sendChunk(deps, zoneId, chunk, signal, out);
  await singly(deps, oversized, signal, out);
  return out;
}
