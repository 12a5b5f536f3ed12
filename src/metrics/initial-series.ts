import type { Family, RecordType } from "../core/family.ts";
import type { RecordResult, RequestObserver } from "../providers/kit/types.ts";
import type { DaemonMetrics } from "./daemon-metrics.ts";

/**
 * Every label value each labelled counter can take, so that all series exist at 0 from the start: `increase()` and
 * `rate()` need a sample before the first event, or they miss it (the first address change, the first 429).
 * The lists are tied to the types of the values the code counts: a value listed that cannot occur, or one that can
 * occur and is not listed, fails the type check.
 */
type UpdateResult = Extract<RecordResult, { ok: true }>["outcome"] | "failed";
type ProviderOutcome = Parameters<RequestObserver>[0];
/** `true` only when `List` holds every member of `All`. */
type Covers<All, List extends readonly unknown[]> = [Exclude<All, List[number]>] extends [never] ? true : false;

export const DETECTION_RESULTS = ["ok", "failed"] as const;
export const UPDATE_RESULTS = ["created", "updated", "unchanged", "planned", "failed"] as const satisfies ReadonlyArray<UpdateResult>;
export const PROVIDER_OUTCOMES = ["ok", "error", "rate-limited", "timeout"] as const satisfies ReadonlyArray<ProviderOutcome>;
const complete: [Covers<UpdateResult, typeof UPDATE_RESULTS>, Covers<ProviderOutcome, typeof PROVIDER_OUTCOMES>] = [true, true];
void complete;
export const ROUND_RESULTS = ["ok", "partial", "failed"] as const;
export const STATE_WRITE_RESULTS = ["ok", "failed"] as const;
/** The answers each served route gives in normal operation (other codes appear when they happen). */
export const HTTP_ROUTE_CODES: ReadonlyArray<[route: string, codes: readonly number[]]> = [
  ["page", [200]],
  ["healthz", [200, 503]],
  ["readyz", [200, 503]],
  ["metrics", [200]],
  ["status", [200]],
  ["other", [404]],
];

export interface SeriesPlan {
  families: Family[];
  records: ReadonlyArray<{ type: RecordType; labels: Record<string, string> }>;
  /** The label sets of `ddns_records_not_owned`: each type, per target when there are several. */
  notOwned?: ReadonlyArray<Record<string, string>>;
  /** The label sets of `ddns_provider_requests_total` without `outcome`, one per target. */
  providers: ReadonlyArray<Record<string, string>>;
}

/** Creates the zero series. Gauges of records (`ddns_record_failing`) start at 0 too; timestamps stay absent. */
export function primeSeries(m: DaemonMetrics, plan: SeriesPlan): void {
  const types = [...new Set(plan.records.map((r) => r.type))];
  for (const f of plan.families) {
    const family = `ipv${f}`;
    for (const result of DETECTION_RESULTS) m.detections.inc({ family, result }, 0);
    m.ipChanges.inc({ family }, 0);
  }
  for (const type of types) for (const result of UPDATE_RESULTS) m.recordUpdates.inc({ type, result }, 0);
  for (const labels of plan.providers) for (const outcome of PROVIDER_OUTCOMES) m.providerRequests.inc({ ...labels, outcome }, 0);
  for (const result of ROUND_RESULTS) m.rounds.inc({ result }, 0);
  for (const result of STATE_WRITE_RESULTS) m.stateWrites.inc({ result }, 0);
  for (const [route, codes] of HTTP_ROUTE_CODES) for (const code of codes) m.httpRequests.inc({ route, code: String(code) }, 0);
  for (const r of plan.records) m.recordFailing.set(0, r.labels);
  for (const labels of plan.notOwned ?? []) m.recordsNotOwned.set(0, labels);
}
