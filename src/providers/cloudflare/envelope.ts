import type { ApiAnswer, CfError, CfResultInfo } from "./api-types.ts";

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
  const num = (k: string) => (typeof v[k] === "number" ? (v[k] as number) : undefined);
  const page = num("page");
  const totalPages = num("total_pages");
  if (page === undefined || totalPages === undefined) return undefined;
  return { page, per_page: num("per_page") ?? 0, count: num("count") ?? 0, total_count: num("total_count") ?? 0, total_pages: totalPages };
}

const looksLikeHtml = (contentType: string, text: string) =>
  /html/i.test(contentType) || /^\s*<(!doctype|html|head|body|\?xml)/i.test(text);

export function readEnvelope<T>(status: number, contentType: string, text: string, isWrite: boolean): ApiAnswer<T> {
  const httpOk = status >= 200 && status < 300;
  // An unreadable 4xx was refused before anything happened; an unreadable 2xx/5xx may hide a completed write.
  const unknownOutcome = isWrite && (httpOk || status >= 500);
  if (looksLikeHtml(contentType, text)) {
    return { ok: false, failure: { reason: "html", status, errors: [], mayHaveArrived: unknownOutcome } };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const reason = text.trim() === "" && !httpOk ? "http" : "invalid-json";
    return { ok: false, failure: { reason, status, errors: [], mayHaveArrived: unknownOutcome } };
  }
  if (!body || typeof body !== "object" || typeof (body as { success?: unknown }).success !== "boolean") {
    return { ok: false, failure: { reason: "invalid-json", status, errors: [], mayHaveArrived: unknownOutcome, detail: "not an API envelope" } };
  }
  const envelope = body as { success: boolean; errors?: unknown; result?: unknown; result_info?: unknown };
  const errors = toErrors(envelope.errors);
  if (envelope.success && httpOk) {
    const resultInfo = toResultInfo(envelope.result_info);
    return { ok: true, result: envelope.result as T, ...(resultInfo ? { resultInfo } : {}) };
  }
  // A definite refusal: Cloudflare read the request and said no (or said yes with an error status, which we
  // do not trust either way).
  return { ok: false, failure: { reason: envelope.success ? "http" : "api", status, errors, mayHaveArrived: envelope.success && isWrite } };
}

/** Every code in the answer, error chains included, outermost first. */
export function allCodes(errors: CfError[]): number[] {
  return errors.flatMap((e) => [e.code, ...allCodes(e.error_chain ?? [])]);
}
