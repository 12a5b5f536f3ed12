import type { HttpFailure, JsonResult } from "../kit/http-types.ts";
import type { ApiAnswer, ApiFailure, CfError, CfResultInfo } from "./api-types.ts";

/**
 * Reads one Cloudflare answer. Cloudflare's word is the envelope's `success`, not the HTTP status: a 200 can carry
 * `success: false`, and an edge error page is HTML. Anything that is not an envelope is a failure; for a write,
 * such an answer leaves its outcome unknown (`mayHaveArrived`).
 */

function toErrors(value: unknown): CfError[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((e): CfError[] => {
    if (!e || typeof e !== "object") return [];
    const code = Number((e as { code?: unknown }).code);
    const message = (e as { message?: unknown }).message;
    const chain = toErrors((e as { error_chain?: unknown }).error_chain);
    return [{ code: Number.isFinite(code) ? code : 0, message: typeof message === "string" ? message : "", ...(chain.length ? { error_chain: chain } : {}) }];
  });
}

function toResultInfo(value: unknown): CfResultInfo | undefined {
  if (!value || typeof value !== "object") return undefined;
  const v = value as Record<string, unknown>;
  const info: CfResultInfo = {};
  for (const key of ["page", "per_page", "count", "total_count", "total_pages"] as const) {
    if (typeof v[key] === "number" && Number.isFinite(v[key])) info[key] = v[key];
  }
  return Object.keys(info).length === 0 ? undefined : info;
}

const isEnvelope = (body: unknown): body is { success: boolean; errors?: unknown; result?: unknown; result_info?: unknown } =>
  !!body && typeof body === "object" && typeof (body as { success?: unknown }).success === "boolean";

/** A JSON body (from a 2xx, or the error body of another status) read as an envelope. */
function fromBody<T>(status: number, body: unknown, isWrite: boolean, unknownOutcome: boolean): ApiAnswer<T> {
  if (!isEnvelope(body)) {
    return { ok: false, failure: { reason: "invalid-json", status, errors: [], mayHaveArrived: unknownOutcome, detail: "not an API envelope" } };
  }
  const errors = toErrors(body.errors);
  if (body.success && status >= 200 && status < 300) {
    const resultInfo = toResultInfo(body.result_info);
    return { ok: true, result: body.result as T, ...(resultInfo ? { resultInfo } : {}) };
  }
  // A definite refusal: Cloudflare read the request and said no (or said yes with an error status, which we
  // do not trust either way).
  return { ok: false, failure: { reason: body.success ? "http" : "api", status, errors, mayHaveArrived: body.success && isWrite } };
}

function fromFailure<T>(f: HttpFailure, isWrite: boolean, timeoutMs: number): ApiAnswer<T> {
  const base = { errors: [], mayHaveArrived: f.mayHaveArrived, ...(f.status === undefined ? {} : { status: f.status }) };
  switch (f.reason) {
    case "timeout":
      return { ok: false, failure: { ...base, reason: "timeout", detail: `no answer within ${timeoutMs / 1000} s` } };
    case "aborted":
      return { ok: false, failure: { ...base, reason: "aborted", detail: "cancelled" } };
    case "refused":
      return { ok: false, failure: { ...base, reason: "refused", detail: "connection refused" } };
    case "network":
      return { ok: false, failure: { ...base, reason: "network", detail: f.reset ? "connection reset" : "connection failed" } };
    case "too-large":
    case "encoding":
    case "redirect":
      return { ok: false, failure: { ...base, reason: f.reason, http: f } };
    case "html":
    case "invalid-json":
      return { ok: false, failure: { ...base, reason: f.reason } };
    case "http": {
      const status = f.status ?? 0;
      if (f.json !== undefined) {
        const answer = fromBody<T>(status, f.json, isWrite, f.mayHaveArrived);
        if (!answer.ok && status === 429 && f.retryAfterMs !== undefined) answer.failure.retryAfterMs = f.retryAfterMs;
        return answer;
      }
      const reason = (f.body ?? "").trim() === "" ? "http" : "invalid-json";
      const failure: ApiFailure = { ...base, reason };
      if (status === 429 && f.retryAfterMs !== undefined) failure.retryAfterMs = f.retryAfterMs;
      return { ok: false, failure };
    }
  }
}

/**
 * One answer, as the kit's client sorted it, read as Cloudflare means it. An unreadable 4xx was refused before
 * anything happened; an unreadable 2xx/5xx may hide a completed write (the client's `mayHaveArrived`).
 */
export function readEnvelope<T>(result: JsonResult<unknown>, isWrite: boolean, timeoutMs: number): ApiAnswer<T> {
  if (!result.ok) return fromFailure<T>(result.failure, isWrite, timeoutMs);
  if (result.json === undefined) return { ok: false, failure: { reason: "invalid-json", status: result.status, errors: [], mayHaveArrived: isWrite } };
  return fromBody<T>(result.status, result.json, isWrite, isWrite);
}

/** Every code in the answer, error chains included, outermost first. */
export function allCodes(errors: CfError[]): number[] {
  return errors.flatMap((e) => [e.code, ...allCodes(e.error_chain ?? [])]);
}
