import { secretsOfUrl } from "../../net/display-url.ts";
import { createHttpClient } from "../../providers/kit/http-client.ts";
import type { HttpFailure } from "../../providers/kit/http-types.ts";

/**
 * One bounded GET for an IP answer, through the kit's one HTTP client (src/providers/kit/http-client.ts): no
 * redirects at all, one deadline that covers the body too, and a byte cap counted while the body streams with
 * compressed bodies refused unread, so a hostile or broken endpoint cannot make us buffer megabytes. The URL's
 * query values are secrets (an API key): the client redacts them from everything before anyone quotes it.
 * What stays here is only the wording: an IP endpoint's failure in an operator's terms. Never throws.
 */
export interface FetchAnswerOptions {
  fetch: typeof fetch;
  signal: AbortSignal;
  timeoutMs: number;
  maxBytes: number;
  userAgent: string;
}

export type FetchedAnswer = { ok: true; body: string } | { ok: false; reason: string };

export async function fetchAnswer(url: string, o: FetchAnswerOptions): Promise<FetchedAnswer> {
  const client = createHttpClient({
    fetch: o.fetch,
    userAgent: o.userAgent,
    timeoutMs: o.timeoutMs,
    maxBytes: o.maxBytes,
    maxRedirects: 0,
    secrets: secretsOfUrl(url),
    now: Date.now,
  });
  const result = await client.text(url, { method: "GET", signal: o.signal });
  if (!result.ok) return { ok: false, reason: ipAnswerFailure(result.failure, o) };
  if (result.status !== 200) return { ok: false, reason: `answered HTTP ${result.status}` };
  return { ok: true, body: result.text };
}

/** Why an IP endpoint's answer could not be used, from the endpoint's side. */
function ipAnswerFailure(failure: HttpFailure, o: FetchAnswerOptions): string {
  const seconds = `${o.timeoutMs / 1000}s`;
  switch (failure.reason) {
    case "timeout":
      return failure.status === undefined ? `did not answer within ${seconds}` : `did not finish its answer within ${seconds}`;
    case "aborted":
      return "aborted";
    case "refused":
      return `could not be reached (${failure.detail ?? "connection refused"})`;
    case "network":
      return failure.status === undefined ? `could not be reached (${failure.detail ?? "network error"})` : `broke off its answer (${failure.detail ?? "connection closed"})`;
    case "too-large":
      return `sent more than ${o.maxBytes} bytes; an IP answer is a few dozen`;
    case "encoding":
      return `sent a compressed answer (Content-Encoding ${JSON.stringify(failure.encoding ?? "")}) although ddnsd asked for none`;
    case "redirect":
      return `answered with a redirect (HTTP ${failure.status ?? "3xx"}), which is not followed`;
    default:
      return `answered HTTP ${failure.status ?? "with an error"}`;
  }
}
