import * as v from "valibot";
import type { FailureKind, RecordRequest, RecordResult } from "./types.ts";

/**
 * What a provider's API functions hand back to the kit's templates: a value, or a problem already sorted into a
 * failure kind and worded for the operator. HTTP-free on purpose, so that a DNS-protocol provider (RFC 2136) runs
 * through the same templates as the REST ones.
 */
export interface Problem {
  kind: FailureKind;
  /** The reason, one operator line without the headline ("… refused the API token (HTTP 401); check …"). */
  reason: string;
  /** The delay the service asked for (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  /** A write was sent and its answer was lost or unreadable: the change may have happened. */
  mayHaveArrived?: boolean;
  /**
   * What the templates must know beyond the kind: an id used is gone (`stale-record`), a zone id is gone
   * (`stale-zone`), someone created the record meanwhile (`conflict`), the batch endpoint is not offered here
   * (`batch-refused`). Set by a provider's error explanation; the kit never guesses it.
   */
  tag?: "stale-record" | "stale-zone" | "conflict" | "batch-refused";
}

export type Answer<T> = { ok: true; value: T } | { ok: false; problem: Problem };

export const ok = <T>(value: T): Answer<T> => ({ ok: true, value });
export const fail = (problem: Problem): { ok: false; problem: Problem } => ({ ok: false, problem });
/** The value turned by `fn`, or the same problem: `mapAnswer(await api.call(…), (body) => body.records)`. */
export const mapAnswer = <T, U>(answer: Answer<T>, fn: (value: T) => U): Answer<U> => (answer.ok ? ok(fn(answer.value)) : answer);

/**
 * A successful answer checked against the shape the service documents (a valibot schema; unknown keys are fine).
 * An answer in another shape is a transient problem naming what was read and where it differs, never a crash.
 */
export function shaped<T>(answer: Answer<unknown>, schema: v.GenericSchema<unknown, T>, what: string): Answer<T> {
  if (!answer.ok) return answer;
  const parsed = v.safeParse(schema, answer.value);
  if (parsed.success) return ok(parsed.output);
  const at = v.getDotPath(parsed.issues[0]);
  return fail({ kind: "transient", reason: `${what} is not in the documented shape${at ? ` (at ${JSON.stringify(at)})` : ""}; if this persists, check DDNS_PROVIDER_API_URL` });
}

/** A failed result for `request`; `write` says whether the failed step was a write (then it may be unconfirmed). */
export function failed(request: RecordRequest, problem: Problem, write: boolean): RecordResult {
  const result: RecordResult = { ok: false, request, kind: problem.kind, message: problem.reason };
  if (problem.retryAfterMs !== undefined) result.retryAfterMs = problem.retryAfterMs;
  if (write && problem.mayHaveArrived) result.unconfirmed = true;
  return result;
}

/** A bug in ddnsd itself, reported per record instead of thrown across the provider boundary. */
export function internalError(request: RecordRequest, error: unknown): RecordResult {
  const detail = error instanceof Error ? (error.message.split("\n")[0] ?? error.name) : String(error);
  return {
    ok: false,
    request,
    kind: "transient",
    message: `internal error ${JSON.stringify(detail.slice(0, 200))}; please report this as a ddnsd bug`,
  };
}
