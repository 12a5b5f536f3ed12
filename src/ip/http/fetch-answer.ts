import { createRedactor } from "../../log/redact.ts";
import { secretsOfUrl } from "../../net/display-url.ts";
import { IDENTITY_ENCODING, RAW_BODY, readCapped } from "../../net/read-capped.ts";
import { classifyTransportError } from "../../net/transport-error.ts";

/**
 * One bounded GET for an IP answer: no redirects, a per-request timeout that covers the body too, and a cap on the
 * body size (counted while it streams; compressed bodies refused unread, see src/net/read-capped.ts) so a hostile
 * or broken endpoint cannot make us buffer megabytes. Returns the body text or a reason; never throws.
 * The body comes back with the URL's query keys redacted, before anything quotes (and shortens) it.
 */
export interface FetchAnswerOptions {
  fetch: typeof fetch;
  signal: AbortSignal;
  timeoutMs: number;
  maxBytes: number;
  userAgent: string;
}

export async function fetchAnswer(url: string, o: FetchAnswerOptions): Promise<{ ok: true; body: string } | { ok: false; reason: string }> {
  const timeout = AbortSignal.timeout(o.timeoutMs);
  const signals = { caller: o.signal, timeout };
  let response: Response;
  try {
    response = await o.fetch(url, {
      signal: AbortSignal.any([o.signal, timeout]),
      redirect: "manual",
      headers: { accept: "text/plain, */*;q=0.1", "user-agent": o.userAgent, ...IDENTITY_ENCODING },
      ...RAW_BODY,
    });
  } catch (error) {
    const t = classifyTransportError(error, signals);
    if (t.reason === "timeout") return { ok: false, reason: `did not answer within ${o.timeoutMs / 1000}s` };
    if (t.reason === "aborted") return { ok: false, reason: "aborted" };
    return { ok: false, reason: `could not be reached (${t.detail})` };
  }
  if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
    await response.body?.cancel().catch(() => {});
    return { ok: false, reason: `answered with a redirect (HTTP ${response.status}), which is not followed` };
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => {});
    return { ok: false, reason: `answered HTTP ${response.status}` };
  }
  if (!response.body) return { ok: false, reason: "answered with no body" };
  const body = await readCapped(response, o.maxBytes);
  if (!body.ok) {
    if (body.reason === "too-large") return { ok: false, reason: `sent more than ${o.maxBytes} bytes; an IP answer is a few dozen` };
    if (body.reason === "encoding") return { ok: false, reason: `sent a compressed answer (Content-Encoding ${JSON.stringify(body.encoding)}) although ddnsd asked for none` };
    const t = classifyTransportError(body.error, signals);
    if (t.reason === "timeout") return { ok: false, reason: `did not finish its answer within ${o.timeoutMs / 1000}s` };
    if (t.reason === "aborted") return { ok: false, reason: "aborted" };
    return { ok: false, reason: `broke off its answer (${t.detail})` };
  }
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(body.bytes);
    return { ok: true, body: createRedactor(secretsOfUrl(url))(text) };
  } catch {
    return { ok: false, reason: "sent an answer that is not UTF-8 text" };
  }
}
