import { gzipSync } from "node:zlib";
import type { FaultRule } from "./fake-faults.ts";

/**
 * The bad answers a fault rule produces. Everything a real service or a proxy in front of it has been seen to
 * send: error statuses in the service's envelope, 429 with Retry-After, HTML pages, bodies that are not JSON or
 * are JSON of the wrong shape, resets, hangs, huge and endless bodies, gzip bombs, redirects to another origin.
 */
export interface BadInputContext {
  error(status: number, message: string): Response;
  /** Hanging answers register here and are released (reset) when the fake stops. */
  releases: Set<() => void>;
  origin: string;
  /** The answer the request would have had. */
  normal(): Promise<Response>;
  /** The request as received (for `echo`). */
  request: { headers: Headers; text: string };
}

/** A response whose body stream errors at once: Bun closes the connection without an answer. */
export const resetResponse = () => new Response(new ReadableStream({ start: (c) => c.error(undefined) }));

let bombCache: { bytes: number; body: Uint8Array } | undefined;

/** A gzip member that inflates to `bytes` zero bytes (built once: 1 GiB of zeros compresses to ~1 MiB). */
function gzipBomb(bytes: number): Uint8Array {
  if (bombCache?.bytes === bytes) return bombCache.body;
  const chunk = new Uint8Array(Math.min(bytes, 16 * 1024 * 1024));
  const parts: Uint8Array[] = [];
  for (let left = bytes; left > 0; left -= chunk.length) parts.push(gzipSync(left >= chunk.length ? chunk : chunk.subarray(0, left), { level: 9 }));
  // Concatenated gzip members are one valid gzip stream (RFC 1952 §2.2).
  const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    body.set(p, offset);
    offset += p.length;
  }
  bombCache = { bytes, body };
  return body;
}

function endless(): ReadableStream<Uint8Array> {
  const block = new TextEncoder().encode(`${"x".repeat(1023)}\n`);
  return new ReadableStream({ pull: (c) => c.enqueue(block) });
}

export async function badInput(rule: FaultRule, ctx: BadInputContext): Promise<Response> {
  const response = await answerOf(rule, ctx);
  for (const [name, value] of Object.entries(rule.headers ?? {})) response.headers.set(name, value);
  return response;
}

async function answerOf(rule: FaultRule, ctx: BadInputContext): Promise<Response> {
  switch (rule.kind) {
    case "status": {
      const echoed = rule.echo === "authorization" ? ctx.request.headers.get("authorization") : rule.echo === "body" ? ctx.request.text : rule.echo?.(ctx.request);
      return ctx.error(rule.status ?? 500, `${rule.message ?? "internal error"}${echoed == null ? "" : ` (the request was: ${echoed})`}`);
    }
    case "rate-limit": {
      const r = ctx.error(429, rule.message ?? "too many requests");
      if (rule.retryAfter !== null) r.headers.set("Retry-After", String(rule.retryAfter ?? 1));
      return r;
    }
    case "html":
      return new Response("<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>bad gateway</body></html>", { status: rule.status ?? 502, headers: { "Content-Type": "text/html" } });
    case "invalid-json":
      return new Response("{\"result\": [unterminated", { status: 200, headers: { "Content-Type": "application/json" } });
    case "wrong-json":
      return new Response(JSON.stringify({ unexpected: ["shape"] }), { status: 200, headers: { "Content-Type": "application/json" } });
    case "reset":
      return resetResponse();
    case "hang":
      if (rule.delayMs !== undefined) {
        await Bun.sleep(rule.delayMs);
        return ctx.normal();
      }
      return new Promise<Response>((resolve) => ctx.releases.add(() => resolve(resetResponse())));
    case "huge": {
      const size = rule.bytes ?? 64 * 1024 * 1024;
      return new Response(new Uint8Array(size).fill(0x20), { status: 200, headers: { "Content-Type": "application/json" } });
    }
    case "gzip-bomb":
      return new Response(gzipBomb(rule.bytes ?? 1024 * 1024 * 1024), { status: 200, headers: { "Content-Type": "application/json", "Content-Encoding": "gzip" } });
    case "endless":
      return new Response(endless(), { status: 200, headers: { "Content-Type": "application/json" } });
    case "redirect":
      return new Response(null, { status: rule.status ?? 307, headers: { Location: rule.location ?? "http://192.0.2.1:9/elsewhere" } });
  }
}
