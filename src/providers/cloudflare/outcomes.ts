import type { RecordRequest, RecordResult } from "../kit/types.ts";
import type { ApiFailure } from "./api-types.ts";
import { explainFailure, quote } from "./errors.ts";
import { needsWrite, type RecordPlan } from "./plan.ts";

/**
 * The per-record results. A failure's `message` is the reason only — the step, what Cloudflare said (quoted) and
 * what to do next, e.g. `while looking up the zone, Cloudflare refused the API token (HTTP 403, code 9109 …);
 * check DDNS_PROVIDER_API_TOKEN …`. The engine writes the headline (which record, "could not confirm" for
 * `unconfirmed`) and the delay of the next attempt, once for every record that failed alike.
 */

export type Step = "zone" | "read" | "update" | "create" | "delete";

const WHILE: Record<Step, string> = {
  zone: "while looking up the zone",
  read: "while reading the records",
  update: "while updating the record",
  create: "while creating the record",
  delete: "while deleting a duplicate record",
};

/** The step a plan's writes stand for in messages. */
export const writeStep = (p: RecordPlan): Step => (p.post ? "create" : p.patch ? "update" : "delete");

export function failed(request: RecordRequest, step: Step, failure: ApiFailure): RecordResult {
  const { kind, reason, retryAfterMs } = explainFailure(failure);
  const unconfirmed = failure.mayHaveArrived && step !== "zone" && step !== "read";
  // The write may have happened: the next attempt must look before it writes (the cache entry is dropped).
  const said = unconfirmed ? `${reason}; the record is read back before it is written again` : reason;
  const result: RecordResult = { ok: false, request, kind, message: `${WHILE[step]}, ${said}` };
  if (retryAfterMs !== undefined) result.retryAfterMs = retryAfterMs;
  if (unconfirmed) result.unconfirmed = true;
  return result;
}

export function zoneNotFound(request: RecordRequest, tried: string[]): RecordResult {
  return {
    ok: false,
    request,
    kind: "config",
    message:
      `no zone of this Cloudflare account holds the name (tried ${tried.map((t) => quote(t)).join(", ")}): ` +
      `add the domain to this Cloudflare account, or give the API token the "Zone:Read" permission for it`,
  };
}

export function succeeded(plan: RecordPlan, dryRun: boolean): RecordResult {
  const outcome = !needsWrite(plan) ? "unchanged" : dryRun ? "planned" : plan.post ? "created" : "updated";
  return { ok: true, request: plan.request, outcome, previous: plan.previous };
}

/** A failure of ddnsd itself (a bug), reported per record instead of thrown across the provider boundary. */
export function internalError(request: RecordRequest, error: unknown): RecordResult {
  const detail = error instanceof Error ? error.message.split("\n")[0] ?? error.name : String(error);
  return {
    ok: false,
    request,
    kind: "transient",
    message: `internal error ${quote(detail)}; please report this as a ddnsd bug`,
  };
}
