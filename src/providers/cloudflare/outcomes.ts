import type { RecordRequest, RecordResult } from "../types.ts";
import type { ApiFailure } from "./api-types.ts";
import { explainFailure, quote } from "./errors.ts";
import { needsWrite, type RecordPlan } from "./plan.ts";

/**
 * The per-record results, and the one line an operator reads for a failure: which record, which step, what
 * Cloudflare said (quoted), what to do next. "Could not confirm" when a write was sent and its answer lost.
 */

export type Step = "zone" | "read" | "update" | "create" | "delete";

function headline(r: RecordRequest, step: Step, unconfirmed: boolean): string {
  const what = `the ${r.type} record of ${quote(r.name)}`;
  if (unconfirmed) {
    if (step === "create") return `Could not confirm the creation of ${what} with ${quote(r.content)}`;
    if (step === "delete") return `Could not confirm the deletion of a duplicate ${r.type} record of ${quote(r.name)}`;
    return `Could not confirm the update of ${what} to ${quote(r.content)}`;
  }
  switch (step) {
    case "zone":
      return `Could not find the Cloudflare zone of ${quote(r.name)}`;
    case "read":
      return `Could not read the ${r.type} records of ${quote(r.name)}`;
    case "create":
      return `Could not create ${what} with ${quote(r.content)}`;
    case "delete":
      return `Could not delete a duplicate ${r.type} record of ${quote(r.name)}`;
    default:
      return `Could not update ${what} to ${quote(r.content)}`;
  }
}

/** The step a plan's writes stand for in messages. */
export const writeStep = (p: RecordPlan): Step => (p.post ? "create" : p.patch ? "update" : "delete");

export function failed(request: RecordRequest, step: Step, failure: ApiFailure): RecordResult {
  const { kind, reason, retryAfterMs } = explainFailure(failure);
  const unconfirmed = failure.mayHaveArrived && step !== "zone" && step !== "read";
  // The write may have happened: the next attempt must look before it writes (the cache entry is dropped).
  const said = unconfirmed ? `${reason.replace(/; ddnsd will retry$/, "")}; ddnsd will read the record back and retry` : reason;
  const result: RecordResult = { ok: false, request, kind, message: `${headline(request, step, unconfirmed)}: ${said}.` };
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
      `No Cloudflare zone holds ${quote(request.name)} (tried ${tried.map((t) => quote(t)).join(", ")}): ` +
      `add the domain to this Cloudflare account, or give the API token the "Zone:Read" permission for it.`,
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
    message: `Could not update the ${request.type} record of ${quote(request.name)}: internal error ${quote(detail)}; please report this as a ddnsd bug.`,
  };
}
