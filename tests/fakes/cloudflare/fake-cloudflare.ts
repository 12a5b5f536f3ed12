import { bombResponse, endlessResponse } from "../hostile-bodies.ts";
import { handleApi } from "./fake-api.ts";
import { handleControl, type LoggedRequest } from "./fake-control.ts";
import { E, fail, FAKE_UNDOCUMENTED, type FakeAnswer } from "./fake-errors.ts";
import { createFaults, createRng, type FaultRule, type Faults } from "./fake-faults.ts";
import type { ResultInfoField } from "./fake-lists.ts";
import { createFakeState, type FakeRecord, type FakeZone, type RecordSeed } from "./fake-state.ts";

/**
 * A fake Cloudflare v4 API: a real HTTP server on a loopback port, written from Cloudflare's documentation
 * (see fake-api.ts for what it checks), with state inspection, a request log and fault injection. Bun-only
 * (tests and the demo, never the daemon).
 *
 *   const cf = await startFakeCloudflare({ token: "t0ken", zones: ["example.com"] });
 *   // DDNS_PROVIDER_API_URL = cf.url   (http://127.0.0.1:PORT/client/v4)
 */

export interface FakeCloudflareOptions {
  token: string;
  zones: string[];
  /** Tokens accepted for reads but refused (10000) for writes. */
  readOnlyTokens?: string[];
  port?: number;
  hostname?: string;
  /** Operations allowed per batch (Free plan: 200). */
  batchLimit?: number;
  /** false: the batch endpoint does not exist (an API-compatible service without it). */
  batch?: boolean;
  /** Seed for record ids and random faults. */
  seed?: number;
  /** Server-side rate limit with `Ratelimit`/`Ratelimit-Policy` headers and 429 + `Retry-After` past it. */
  rateLimit?: { limit: number; windowSeconds: number };
  /** `result_info` fields to leave out of list answers (e.g. `total_pages`, which Cloudflare does not promise). */
  omitResultInfo?: ResultInfoField[];
  /** Serves other paths (e.g. the IP echo) from the same port; return undefined to pass. */
  extraHandler?: (req: Request) => Response | undefined | Promise<Response | undefined>;
}

export interface FakeCloudflare {
  /** The API base URL, for DDNS_PROVIDER_API_URL. */
  url: string;
  /** `http://127.0.0.1:PORT`, where `/_control/…` lives. */
  origin: string;
  port: number;
  zones(): FakeZone[];
  zoneId(name: string): string;
  records(filter?: { name?: string; type?: string }): FakeRecord[];
  /** The contents held for (name, type), in creation order. */
  contents(name: string, type: string): string[];
  seed(record: RecordSeed): FakeRecord;
  /** Removes a record behind the API's back (as a hand edit in the dashboard would). */
  remove(id: string): boolean;
  /** Deletes the zone and adds it again behind the API's back: a new id, no records, the old id answered 7003. */
  readdZone(name: string): string;
  requests(): LoggedRequest[];
  /** Requests other than GET that reached the API routes. */
  writes(): number;
  clearRequests(): void;
  /** The most API requests the fake was answering at one time. */
  maxInFlight(): number;
  faults: Pick<Faults, "add" | "clear" | "seed" | "list">;
  stop(): Promise<void>;
}

const PREFIX = "/client/v4";
const HTML_PAGE =
  "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>";

function render(answer: FakeAnswer, extra: Record<string, string> = {}): Response {
  return Response.json(answer.body, { status: answer.status, headers: { ...extra, ...answer.headers } });
}

/** A response whose body stream errors at once: Bun closes the connection without an answer. */
const resetResponse = () => new Response(new ReadableStream({ start: (c) => c.error(undefined) }));

export async function startFakeCloudflare(options: FakeCloudflareOptions): Promise<FakeCloudflare> {
  const seed = options.seed ?? 1;
  const state = createFakeState(options.zones, createRng(seed + 1));
  const faults = createFaults(seed);
  const log: LoggedRequest[] = [];
  const hanging = new Set<() => void>();
  const sent: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const apiOptions = {
    token: options.token,
    readOnlyTokens: options.readOnlyTokens ?? [],
    batchLimit: options.batchLimit ?? 200,
    batchEnabled: options.batch ?? true,
    omitResultInfo: options.omitResultInfo ?? [],
  };

  function rateHeaders(): { headers: Record<string, string>; retryAfter?: number } {
    const rl = options.rateLimit;
    if (!rl) return { headers: {} };
    const now = Date.now();
    while (sent.length && sent[0]! <= now - rl.windowSeconds * 1000) sent.shift();
    const reset = sent.length ? Math.ceil((sent[0]! + rl.windowSeconds * 1000 - now) / 1000) : rl.windowSeconds;
    const over = sent.length >= rl.limit;
    if (!over) sent.push(now);
    const headers = {
      Ratelimit: `"default";r=${Math.max(0, rl.limit - sent.length)};t=${reset}`,
      "Ratelimit-Policy": `"default";q=${rl.limit};w=${rl.windowSeconds}`,
    };
    return over ? { headers, retryAfter: reset } : { headers };
  }

  function spoil(rule: FaultRule): Response | Promise<Response> {
    switch (rule.kind) {
      case "status":
        return render(fail(rule.status ?? 500, ...(rule.errors ?? [{ code: FAKE_UNDOCUMENTED, message: "Simulated failure (fake)" }])));
      case "rate-limit":
        return render(E.rateLimited(rule.retryAfter ?? 30));
      case "html":
        return new Response(HTML_PAGE, { status: rule.status ?? 502, headers: { "Content-Type": "text/html" } });
      case "success-false":
        return Response.json({ success: false, errors: rule.errors ?? [{ code: FAKE_UNDOCUMENTED, message: "Simulated failure (fake)" }], messages: [], result: null });
      case "invalid-json":
        return new Response('{"success": tru', { status: rule.status ?? 200, headers: { "Content-Type": "application/json" } });
      case "reset":
        return resetResponse();
      case "hang":
        return new Promise<Response>((resolve) => {
          const release = () => resolve(resetResponse());
          hanging.add(release);
        });
      case "gzip-bomb":
        return bombResponse("gzip", rule.mib ?? 1024);
      case "endless":
        return endlessResponse().response;
      case "gzip": // compresses the real answer: serveApi handles it
        return new Response("gzip applies to an answer", { status: 500 });
    }
  }

  /** The answer as a compressing proxy would pass it on. */
  async function gzipped(response: Response): Promise<Response> {
    const headers = new Headers(response.headers);
    headers.set("Content-Encoding", "gzip");
    headers.delete("Content-Length");
    return new Response(Bun.gzipSync(new Uint8Array(await response.arrayBuffer())), { status: response.status, headers });
  }

  async function serveApi(req: Request, url: URL): Promise<Response> {
    const path = url.pathname.slice(PREFIX.length) || "/";
    const text = await req.text();
    let body: unknown = text === "" ? undefined : text;
    try {
      if (text !== "") body = JSON.parse(text);
    } catch {
      // keep the raw text in the log
    }
    const entry: LoggedRequest = { method: req.method, path, query: Object.fromEntries(url.searchParams), body, at: Date.now() };
    log.push(entry);
    const rule = faults.pick(req.method, path);
    if (rule) entry.fault = rule.kind;
    if (rule && rule.kind === "hang" && rule.delayMs !== undefined) {
      await new Promise((r) => setTimeout(r, rule.delayMs));
    } else if (rule && !rule.afterApply && rule.kind !== "gzip") {
      return spoil(rule);
    }
    const limits = rateHeaders();
    if (limits.retryAfter !== undefined) {
      entry.status = 429;
      return render(E.rateLimited(limits.retryAfter), limits.headers);
    }
    const answer = handleApi({ method: req.method, path, query: url.searchParams, headers: req.headers, text }, state, apiOptions);
    entry.status = answer.status;
    if (rule && rule.afterApply && rule.kind !== "gzip" && !(rule.kind === "hang" && rule.delayMs !== undefined)) return spoil(rule);
    if (rule?.kind === "gzip") return gzipped(render(answer, limits.headers));
    return render(answer, limits.headers);
  }

  const server = Bun.serve({
    port: options.port ?? 0,
    hostname: options.hostname ?? "127.0.0.1",
    idleTimeout: 0,
    async fetch(req) {
      const url = new URL(req.url);
      if (url.pathname === PREFIX || url.pathname.startsWith(`${PREFIX}/`)) {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        try {
          return await serveApi(req, url);
        } finally {
          inFlight--;
        }
      }
      const extra = await options.extraHandler?.(req);
      if (extra) return extra;
      if (url.pathname.startsWith("/_control/")) return handleControl(req, url.pathname, state, faults, log);
      return new Response("not found\n", { status: 404 });
    },
  });

  const origin = `http://${server.hostname}:${server.port}`;
  return {
    url: `${origin}${PREFIX}`,
    origin,
    port: server.port ?? 0,
    zones: () => state.zones,
    zoneId(name) {
      const zone = state.zones.find((z) => z.name === name);
      if (!zone) throw new Error(`fake Cloudflare: no zone ${JSON.stringify(name)}`);
      return zone.id;
    },
    records: (filter = {}) =>
      state.records().filter((r) => (filter.name === undefined || r.name === filter.name) && (filter.type === undefined || r.type === filter.type)),
    contents: (name, type) => state.records().filter((r) => r.name === name && r.type === type).map((r) => r.content),
    seed: (record) => state.seed(record),
    remove: (id) => state.remove(id),
    readdZone: (name) => state.readdZone(name).id,
    requests: () => log,
    writes: () => log.filter((r) => r.method !== "GET").length,
    clearRequests: () => void (log.length = 0),
    maxInFlight: () => maxInFlight,
    faults: { add: faults.add, clear: faults.clear, seed: faults.seed, list: faults.list },
    async stop() {
      for (const release of hanging) release();
      hanging.clear();
      await server.stop(true);
    },
  };
}
