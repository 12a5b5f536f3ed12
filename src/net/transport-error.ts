/**
 * What a failed fetch means, in one place: the caller cancelled it, the deadline passed, nothing listened, or the
 * connection failed some other way (reset, DNS, TLS). Runtimes word these differently (Bun: `ECONNREFUSED` /
 * "Unable to connect"; Deno: "Connection refused (os error 111)"), and they put the request URL, query included,
 * into their messages, so the detail handed on has every URL query removed. Secrets beyond the query are the
 * caller's to redact.
 */
export type TransportReason = "aborted" | "timeout" | "refused" | "network";

export interface TransportFailure {
  reason: TransportReason;
  /** One line in the runtime's words (with its error code when it has one), without URL queries. */
  detail: string;
  /** `network` only: the connection was reset or closed before a whole answer came. */
  reset?: boolean;
}

export interface TransportSignals {
  /** The caller's signal (shutdown, the round's deadline). */
  caller: AbortSignal;
  /** The request's own deadline. */
  timeout: AbortSignal;
}

/** Removes the query and fragment of every URL in `text`, so that a token in a query cannot leak. */
export function stripQueries(text: string): string {
  return text.replace(/(\bhttps?:\/\/[^\s"'<>?#]*)[?#][^\s"'<>)]*/gi, "$1");
}

/** The most specific one-line reason: the runtime's error behind a wrapper (ofetch's FetchError), code included. */
export function describeCause(error: unknown): string {
  const inner = error instanceof Error && error.cause !== undefined ? error.cause : error;
  if (!(inner instanceof Error)) return String(inner).split("\n")[0] ?? "";
  const code = (inner as { code?: unknown }).code;
  const message = inner.message.split("\n")[0] ?? inner.name;
  return typeof code === "string" && !message.includes(code) ? `${code}: ${message}` : message;
}

function chainText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (!(current instanceof Error)) {
      parts.push(String(current));
      break;
    }
    parts.push(`${String((current as { code?: unknown }).code ?? "")} ${current.name} ${current.message}`);
    current = current.cause;
  }
  return parts.join(" | ");
}

const REFUSED = /ECONNREFUSED|ConnectionRefused|connection refused|unable to connect/i;
const RESET = /ECONNRESET|ConnectionClosed|closed unexpectedly|connection reset|reset by peer/i;

export function classifyTransportError(error: unknown, signals: TransportSignals): TransportFailure {
  if (signals.caller.aborted) return { reason: "aborted", detail: "cancelled" };
  if (signals.timeout.aborted) return { reason: "timeout", detail: "no answer in time" };
  const detail = stripQueries(describeCause(error));
  const chain = chainText(error);
  if (REFUSED.test(chain)) return { reason: "refused", detail };
  return { reason: "network", detail, reset: RESET.test(chain) };
}
