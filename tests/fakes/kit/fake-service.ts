import * as v from "valibot";
import { createFaults, pathMatcher, type FaultRule, type Faults } from "./fake-faults.ts";
import { badInput } from "./bad-input.ts";

/**
 * A small declarative kit for strict fakes of hosted DNS APIs, so each fake is short and written from the
 * provider's own documentation: routes with path parameters, an auth check that answers the documented refusal,
 * request bodies validated strictly (unknown fields and wrong types refused with the service's error envelope, as
 * the real API refuses them), every request logged for assertions, and the shared fault injection (status, 429,
 * HTML, invalid JSON, resets, hangs, huge bodies, gzip bombs, endless bodies, redirects). Real HTTP on port 0.
 */
export interface FakeRequest {
  method: string;
  /** Path after `basePath`. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Headers;
  /** The parsed (and, with `body`, validated) JSON body, or the raw text for other content types. */
  body: unknown;
  text: string;
}

export interface Route {
  method: string;
  /** Pattern after `basePath`, with `:param` segments: `/domains/:domain/records/:id`. */
  path: string;
  /** A strict schema (v.strictObject…) for the JSON body; a body that fails it gets `error(invalidStatus)`. */
  body?: v.GenericSchema;
  /** Query parameters the service accepts; any other is refused (APIs that reject unknown parameters). */
  query?: readonly string[];
  invalidStatus?: number;
  /** Counts as a write (for "no write when unchanged"). */
  write?: boolean;
  handle(req: FakeRequest): Response | Promise<Response>;
}

export interface FakeServiceOptions {
  /** Who the fake imitates, for messages ("DigitalOcean API v2"). */
  name: string;
  /** Where the API lives below the origin, e.g. `/v2` (the provider's DDNS_PROVIDER_API_URL = origin + basePath). */
  basePath: string;
  /**
   * The documented refusal for a request without valid credentials, or undefined when it may pass. `text` is the
   * body as received (signed APIs hash it).
   */
  auth(req: Request, path: string, text: string): Response | undefined | Promise<Response | undefined>;
  /** The service's error envelope. */
  error(status: number, message: string): Response;
  routes: Route[];
  /**
   * The service's request budget per credential (the Authorization header), each request counted for `windowMs`
   * after it was made: past `limit`, the service's 429 (`error(429, …)`). `headers` says what every answer carries
   * about it (DigitalOcean: `ratelimit-limit`, `ratelimit-remaining`, `ratelimit-reset` in Unix seconds).
   */
  rateLimit?: { limit: number; windowMs: number; message?: string; headers?: (state: RateState) => Record<string, string> };
  /** Requests outside `basePath` (an IP echo on the same port). */
  extra?: (req: Request) => Response | undefined | Promise<Response | undefined>;
  seed?: number;
}

export interface RateState {
  limit: number;
  remaining: number;
  /** When the oldest counted request stops counting (epoch milliseconds). */
  resetAt: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: string;
  status: number;
}

export interface FakeService {
  /** origin + basePath: what DDNS_PROVIDER_API_URL gets. */
  url: string;
  origin: string;
  port: number;
  requests: LoggedRequest[];
  /** Writes that took effect (routes marked `write`, answered below 400); with a method, only those. */
  writes(method?: string): number;
  faults: Faults;
  fault(rule: FaultRule): void;
  stop(): Promise<void>;
}

interface Compiled extends Route {
  regex: RegExp;
  names: string[];
}

function compile(route: Route): Compiled {
  const names: string[] = [];
  const pattern = route.path.split("/").map((seg) => (seg.startsWith(":") ? (names.push(seg.slice(1)), "([^/]+)") : seg.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))).join("/");
  return { ...route, regex: new RegExp(`^${pattern}/?$`), names };
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

export async function startFakeService(o: FakeServiceOptions): Promise<FakeService> {
  const routes = o.routes.map(compile);
  const faults = createFaults(o.seed ?? 1);
  const requests: LoggedRequest[] = [];
  const releases = new Set<() => void>();
  const writes = new Map<string, number>();
  const spent = new Map<string, number[]>();

  /** Counts the request against its credential's budget; the state after it, and whether it was over. */
  function budget(req: Request): { state: RateState; over: boolean } | undefined {
    if (!o.rateLimit) return undefined;
    const { limit, windowMs } = o.rateLimit;
    const now = Date.now();
    const key = req.headers.get("authorization") ?? "";
    const times = (spent.get(key) ?? []).filter((t) => t > now - windowMs);
    const over = times.length >= limit;
    if (!over) times.push(now);
    spent.set(key, times);
    return { state: { limit, remaining: limit - times.length, resetAt: (times[0] ?? now) + windowMs }, over };
  }

  async function route(req: Request, path: string, text: string): Promise<Response> {
    const denied = await o.auth(req, path, text);
    if (denied) return denied;
    const candidates = routes.filter((r) => r.regex.test(path));
    if (candidates.length === 0) return o.error(404, `no route for ${path}`);
    const match = candidates.find((r) => r.method === req.method);
    if (!match) return o.error(405, `method ${req.method} not allowed on ${path}`);
    const url = new URL(req.url);
    const unknown = match.query ? [...url.searchParams.keys()].find((k) => !match.query!.includes(k)) : undefined;
    if (unknown !== undefined) return o.error(match.invalidStatus ?? 400, `unknown query parameter ${unknown}`);
    let body: unknown = text;
    if (match.body) {
      if (!/application\/json/i.test(req.headers.get("content-type") ?? "")) return o.error(415, "the body must be application/json");
      try {
        body = JSON.parse(text);
      } catch {
        return o.error(match.invalidStatus ?? 400, "the body is not valid JSON");
      }
      const checked = v.safeParse(match.body, body);
      if (!checked.success) return o.error(match.invalidStatus ?? 422, `${v.getDotPath(checked.issues[0]) ?? "body"}: ${checked.issues[0].message}`);
      body = checked.output;
    }
    const params = Object.fromEntries(match.names.map((n, i) => [n, decodeURIComponent(match.regex.exec(path)![i + 1]!)]));
    const response = await match.handle({ method: req.method, path, params, query: url.searchParams, headers: req.headers, body, text });
    if (match.write && response.status < 400) writes.set(req.method, (writes.get(req.method) ?? 0) + 1);
    return response;
  }

  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      const url = new URL(req.url);
      if (!url.pathname.startsWith(o.basePath)) {
        const answer = await o.extra?.(req);
        return answer ?? new Response("not found", { status: 404 });
      }
      const path = url.pathname.slice(o.basePath.length) || "/";
      const text = await req.text();
      const rule = faults.take(req.method, path);
      const rate = budget(req);
      let response: Response;
      if (rate?.over) {
        response = o.error(429, o.rateLimit?.message ?? "rate limit exceeded");
      } else if (rule && !rule.afterApply) {
        response = await badInput(rule, { error: o.error, releases, origin: url.origin, normal: () => route(req, path, text), request: { headers: req.headers, text } });
      } else {
        response = await route(req, path, text);
        if (rule) response = await badInput(rule, { error: o.error, releases, origin: url.origin, normal: async () => response, request: { headers: req.headers, text } });
      }
      // A fault's own headers (a planted `ratelimit-reset`) win over the budget's.
      for (const [name, value] of Object.entries(rate ? (o.rateLimit?.headers?.(rate.state) ?? {}) : {})) if (!response.headers.has(name)) response.headers.set(name, value);
      requests.push({ method: req.method, path, query: url.search, headers: Object.fromEntries(req.headers), body: text, status: response.status });
      return response;
    },
  });
  const origin = `http://127.0.0.1:${server.port}`;
  return {
    url: `${origin}${o.basePath}`,
    origin,
    port: server.port!,
    requests,
    writes: (method) => (method ? (writes.get(method.toUpperCase()) ?? 0) : [...writes.values()].reduce((a, b) => a + b, 0)),
    faults,
    fault: (rule) => faults.add(rule),
    async stop() {
      for (const release of releases) release();
      releases.clear();
      await server.stop(true);
    },
  };
}

/** The token of an `Authorization: Bearer …` header (the scheme in any case), or undefined. */
export function bearerToken(req: Request): string | undefined {
  return /^bearer (\S+)$/i.exec(req.headers.get("authorization") ?? "")?.[1];
}

/** An `auth` for `startFakeService`: a request with one of `tokens` passes; any other gets `refuse()`. */
export const bearerAuth = (tokens: readonly string[], refuse: () => Response) => (req: Request) => {
  const token = bearerToken(req);
  return token !== undefined && tokens.includes(token) ? undefined : refuse();
};

/** Matches a logged request's path against a pattern (`*` one segment, `**` anything). */
export const pathIs = (pattern: string) => (r: LoggedRequest) => pathMatcher(pattern).test(r.path);
