/**
 * One bounded GET for an IP answer: no redirects, a per-request timeout, and a cap on the body size so a hostile
 * or broken endpoint cannot make us buffer megabytes. Returns the body text or a reason; never throws.
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
  let response: Response;
  try {
    response = await o.fetch(url, {
      signal: AbortSignal.any([o.signal, timeout]),
      redirect: "manual",
      headers: { accept: "text/plain, */*;q=0.1", "user-agent": o.userAgent },
    });
  } catch (error) {
    if (timeout.aborted) return { ok: false, reason: `did not answer within ${o.timeoutMs / 1000}s` };
    if (o.signal.aborted) return { ok: false, reason: "aborted" };
    return { ok: false, reason: `could not be reached (${(error as Error).message ?? String(error)})` };
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
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > o.maxBytes) {
        await reader.cancel().catch(() => {});
        return { ok: false, reason: `sent more than ${o.maxBytes} bytes; an IP answer is a few dozen` };
      }
      chunks.push(value);
    }
  } catch (error) {
    if (timeout.aborted) return { ok: false, reason: `did not finish its answer within ${o.timeoutMs / 1000}s` };
    if (o.signal.aborted) return { ok: false, reason: "aborted" };
    return { ok: false, reason: `broke off its answer (${(error as Error).message ?? String(error)})` };
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  try {
    return { ok: true, body: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, reason: "sent an answer that is not UTF-8 text" };
  }
}
