import { parseRetryAfter } from "./retry-after.ts";
import type { HttpFailure, JsonResult, TextResult } from "./http-types.ts";
import { looksLikeHtml, parseRedactedJson, type Redact } from "./redact-answer.ts";

/**
 * Sorts one complete answer (its body read within the cap): a 2xx is a success; anything else is an `http`
 * failure carrying the redacted body (and, for a JSON client, the parsed error body), its `Retry-After`, and
 * whether a write may have taken effect. A JSON client also refuses HTML pages (`html`) and 2xx bodies that are
 * not JSON (`invalid-json`). An unreadable 4xx was refused before anything happened; an unreadable 2xx or 5xx may
 * hide a completed write.
 */
export interface AnswerInput {
  mode: "json" | "text";
  status: number;
  headers: Headers;
  /** The body as received (decoded as UTF-8), not yet redacted. */
  raw: string;
  redact: Redact;
  failureBase: Pick<HttpFailure, "method" | "url">;
  isWrite: boolean;
  now: number;
}

export function mayHaveArrived(isWrite: boolean, status: number): boolean {
  return isWrite && ((status >= 200 && status < 300) || status >= 500);
}

export function classifyAnswer(a: AnswerInput): TextResult | JsonResult<unknown> {
  const { status, headers } = a;
  const text = a.redact(a.raw);
  const retryAfterMs = parseRetryAfter(headers.get("retry-after"), a.now);
  const answered = { ...a.failureBase, status, headers, body: text, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  const arrived = mayHaveArrived(a.isWrite, status);
  if (a.mode === "json" && looksLikeHtml(headers.get("content-type") ?? "", a.raw)) {
    return { ok: false, failure: { ...answered, reason: "html", mayHaveArrived: arrived } };
  }
  if (status < 200 || status >= 300) {
    const failure: HttpFailure = { ...answered, reason: "http", mayHaveArrived: arrived };
    if (a.mode === "json") {
      const parsed = parseRedactedJson(a.raw, a.redact);
      if (parsed.ok && parsed.json !== undefined) failure.json = parsed.json;
    }
    return { ok: false, failure };
  }
  if (a.mode === "text") return { ok: true, status, headers, text };
  const parsed = parseRedactedJson(a.raw, a.redact);
  if (!parsed.ok) return { ok: false, failure: { ...answered, reason: "invalid-json", mayHaveArrived: a.isWrite } };
  return { ok: true, status, headers, json: parsed.json };
}
