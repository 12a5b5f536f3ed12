import type { HttpAddr } from "../config/types.ts";
import { describeError } from "../core/errors.ts";

/**
 * `ddnsd healthcheck`: one GET of the local `/healthz`, for container HEALTHCHECKs in images without a shell or curl.
 * Prints exactly one line and answers 0 (healthy) or 1 (anything else), always within `timeoutMs`.
 */
export type HealthcheckFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface HealthcheckDeps {
  /** The configured listener (`DDNS_HTTP_ADDR`); `undefined` when it is `off`. */
  addr: HttpAddr | undefined;
  fetch: HealthcheckFetch;
  /** The whole budget: connect, answer and body. */
  timeoutMs?: number;
  /** Receives the single result line, without a trailing newline. */
  write: (line: string) => void;
}

/** Reasons longer than this are cut: a HEALTHCHECK log keeps one short line per probe. */
const MAX_REASON = 300;

/** The address to dial for a listener address: wildcards become loopback, IPv6 goes in brackets. */
export function healthzUrl(addr: HttpAddr): string {
  const host = addr.host.replace(/^\[(.*)\]$/, "$1");
  const dial = host === "0.0.0.0" || host === "" ? "127.0.0.1" : host === "::" || host === "::0" ? "::1" : host;
  return `http://${dial.includes(":") ? `[${dial}]` : dial}:${addr.port}/healthz`;
}

const firstLine = (text: string) => {
  const line = (text.split(/\r?\n/, 1)[0] ?? "").trim();
  return line.length > MAX_REASON ? `${line.slice(0, MAX_REASON)}…` : line;
};

/** Bun puts the reason in `code` and the message; Deno says "fetch failed" and keeps the reason in `cause`. */
function connectFailure(error: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `no answer within ${timeoutMs / 1000}s`;
  const chain: string[] = [];
  for (let e = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    chain.push(`${typeof code === "string" ? code : ""} ${describeError(e)}`);
  }
  const all = chain.join(" ");
  if (/ECONNREFUSED|ConnectionRefused|connection refused/i.test(all)) return "connection refused";
  if (/EHOSTUNREACH|ENETUNREACH|unreachable/i.test(all)) return "host unreachable";
  return firstLine(describeError(error)) || "unknown error";
}

export async function runHealthcheck(deps: HealthcheckDeps): Promise<0 | 1> {
  const { addr, write } = deps;
  const timeoutMs = deps.timeoutMs ?? 3000;
  if (!addr) {
    write("HTTP endpoint is disabled (DDNS_HTTP_ADDR=off)");
    return 1;
  }
  const url = healthzUrl(addr);
  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, timeoutMs);
  let status: number;
  let body: string;
  try {
    const response = await deps.fetch(url, { method: "GET", redirect: "manual", signal: abort.signal });
    status = response.status;
    body = await response.text();
  } catch (error) {
    const reason = connectFailure(error, timedOut, timeoutMs);
    write(timedOut ? `unhealthy: ${url} gave ${reason}` : `unhealthy: could not connect to ${url} (${reason})`);
    return 1;
  } finally {
    clearTimeout(timer);
  }
  const reason = firstLine(body);
  if (status === 200) {
    write(`healthy: ${reason || "ok"}`);
    return 0;
  }
  // 503 is the daemon's own "not healthy, and here is why"; anything else is probably not ddnsd answering.
  if (status === 503 && reason) write(`unhealthy: ${reason}`);
  else write(`unhealthy: HTTP ${status} from ${url}${reason ? `: ${reason}` : ""}`);
  return 1;
}
