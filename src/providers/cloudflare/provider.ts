import { createRedactor } from "../../log/redact.ts";
import { DEFAULT_USER_AGENT } from "../kit/user-agent.ts";
import type { DnsProvider, LegacyProviderDeps, RecordRequest, RecordResult, SetOptions } from "../kit/types.ts";
import { DEFAULT_API_URL, type CloudflareTuning } from "./api-types.ts";
import { writeZone } from "./batch.ts";
import { createCloudflareClient } from "./client.ts";
import { failed, internalError, succeeded, zoneNotFound } from "./outcomes.ts";
import { createRecordCache, needsWrite, type RecordPlan } from "./plan.ts";
import { createRateLimiter } from "./rate-limiter.ts";
import { createRecordsApi } from "./records.ts";
import { planAll, type ZoneRef } from "./reconcile.ts";
import { mapLimit } from "./scheduling.ts";
import { createZoneFinder } from "./zones.ts";

/**
 * The Cloudflare provider. One `setRecords` call: find each record's zone (cached), plan each record (from the
 * id cache when the address changed, else from a read), then write zone by zone — a batch request when a zone
 * has two or more operations, single calls otherwise — with a few zones in flight at once.
 * It never throws; every record gets its own result, and one record's failure leaves the others alone.
 */

const DEFAULTS: Required<CloudflareTuning> = {
  timeoutMs: 10_000,
  concurrency: 4,
  batchLimit: 200,
  perPage: 100,
  bulkPerPage: 1000,
  maxBytes: 2 * 1024 * 1024,
  userAgent: DEFAULT_USER_AGENT,
  rateLimit: { limit: 1200, windowMs: 5 * 60_000 },
  maxQueueWaitMs: 5_000,
  batchRetryMs: 60 * 60_000,
  bulkThreshold: 10,
};

export function createCloudflareProvider(deps: LegacyProviderDeps, tuning: CloudflareTuning = {}): DnsProvider {
  const t = { ...DEFAULTS, ...tuning };
  const redact = createRedactor([deps.provider.token]);
  const limiter = createRateLimiter({ ...t.rateLimit, maxWaitMs: t.maxQueueWaitMs, now: deps.now });
  const client = createCloudflareClient({
    baseUrl: deps.provider.apiUrl ?? DEFAULT_API_URL,
    token: deps.provider.token,
    fetch: deps.fetch,
    onRequest: deps.onRequest,
    log: deps.log,
    limiter,
    timeoutMs: t.timeoutMs,
    maxBytes: t.maxBytes,
    userAgent: t.userAgent,
    now: deps.now,
  });
  const zones = createZoneFinder(client);
  const cache = createRecordCache();
  const batchState = { disabledUntil: 0 };
  const writer = {
    records: createRecordsApi(client, t.perPage, t.bulkPerPage),
    cache,
    zones,
    ttl: deps.ttl === "auto" ? 1 : deps.ttl,
    proxied: deps.proxied,
    log: deps.log,
    now: deps.now,
    limit: t.batchLimit,
    retryMs: t.batchRetryMs,
    concurrency: t.concurrency,
    state: batchState,
  };

  async function reconcileZone(items: Array<{ index: number; request: RecordRequest }>, zone: ZoneRef, options: SetOptions, results: RecordResult[]) {
    items.sort((a, b) => a.index - b.index); // input order, whatever order the zone lookups finished in
    const plans: RecordPlan[] = [];
    const indexOf = new Map<RecordPlan, number>();
    const planOptions = { dryRun: options.dryRun, bulkThreshold: t.bulkThreshold, concurrency: t.concurrency };
    const planned = await planAll(writer, items.map((i) => i.request), zone, options.signal, planOptions);
    planned.forEach((p, n) => {
      const { index, request } = items[n]!;
      if ("result" in p) return void (results[index] = p.result);
      if (!needsWrite(p.plan) || options.dryRun) {
        if (options.dryRun && needsWrite(p.plan)) deps.log.debug("Dry run: Cloudflare write skipped", { record: request.name, type: request.type, content: request.content });
        return void (results[index] = succeeded(p.plan, options.dryRun));
      }
      plans.push(p.plan);
      indexOf.set(p.plan, index);
    });
    // A record relocated to another zone (stale zone id) goes with that zone.
    const byZone = new Map<string, RecordPlan[]>();
    for (const plan of plans) byZone.set(plan.zoneId, [...(byZone.get(plan.zoneId) ?? []), plan]);
    for (const [zoneId, group] of byZone) {
      const written = await writeZone(writer, zoneId, group, options.signal);
      for (const [plan, result] of written) results[indexOf.get(plan)!] = result;
    }
  }

  async function setRecords(requests: RecordRequest[], options: SetOptions): Promise<RecordResult[]> {
    const results = new Array<RecordResult>(requests.length);
    const session = zones.session();
    await zones.prefetch(requests.map((r) => r.name), session, options.signal, t.bulkThreshold);
    const groups = new Map<string, { zone: ZoneRef; items: Array<{ index: number; request: RecordRequest }> }>();
    await mapLimit(requests, t.concurrency, async (request, index) => {
      const found = await zones.find(request.name, session, options.signal);
      if (!found.ok) return void (results[index] = found.notFound ? zoneNotFound(request, found.tried) : failed(request, "zone", found.failure));
      const group = groups.get(found.zoneId) ?? { zone: found, items: [] };
      group.items.push({ index, request });
      groups.set(found.zoneId, group);
    });
    await mapLimit([...groups.values()], t.concurrency, async ({ zone, items }) => {
      try {
        await reconcileZone(items, zone, options, results);
      } catch (error) {
        deps.log.error("Cloudflare provider bug", { zone: zone.zoneName, error: String(error) });
        for (const { index, request } of items) results[index] ??= internalError(request, error);
      }
    });
    return results.map((r, i) => {
      const result = r ?? internalError(requests[i]!, new Error("no result"));
      return result.ok ? result : { ...result, message: redact(result.message) };
    });
  }

  return {
    type: "cloudflare",
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
