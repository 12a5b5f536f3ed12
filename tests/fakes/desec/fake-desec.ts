import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { json, startFakeService, type FakeService, type Route } from "../kit/fake-service.ts";
import { createRrsetStore, type RrsetStore, type StoredSet } from "../kit/rrset-store.ts";

/**
 * A strict fake of deSEC's REST API (https://desec.io/api/v1), written on 2026-12-02 from deSEC's own documentation
 * and code: desec-io/desec-stack at d7ccaf7c of 2026-08-18 (docs/dns/domains.rst, docs/dns/rrsets.rst,
 * docs/auth/tokens.rst, docs/rate-limits.rst; api/desecapi/authentication.py and permissions.py for the refusals).
 * - Auth: `Authorization: Token <secret>`; none: 401 `{"detail": "Authentication credentials were not provided."}`,
 *   a wrong one 401 `{"detail": "Invalid token."}`; a token whose policy does not allow writing: 403
 *   `{"detail": "Insufficient token permissions."}` (every token may read).
 * - `GET /domains/?owns_qname=<name>`: an array with the one domain responsible for the name, or empty; a listing of
 *   more than `maxPerPage` domains without `cursor` is refused (400), as deSEC requires pagination past 500.
 * - `GET /domains/{domain}/rrsets/{subname}/{type}/` ("@" the apex): the set, or 404 `{"detail": "Not found."}`; an
 *   unknown domain is 404 too.
 * - Bulk `PUT /domains/{domain}/rrsets/`: an array of `{subname, type, ttl, records}` (all required; "" the apex, "@"
 *   not accepted), atomic: any error refuses all with 400 and a positional list of errors (`{}` for parts without);
 *   `records: []` deletes; TTL from the domain's `minimum_ttl` to 86400; a (subname, type) at most once; IPv6 values
 *   stored in canonical form. 200 with the sets written.
 * - Paths end with "/" (Django's routes); one without is 404.
 * - 429 `{"detail": "Request was throttled. …"}` with `Retry-After` in seconds.
 * Stricter than documented (the documentation is silent): unknown query parameters and body fields are refused
 * (400), an A value must be an IPv4 address and an AAAA value an IPv6 one.
 */
export interface FakeDesecOptions {
  /** Token → whether its policy allows writes. */
  tokens: Record<string, "write" | "read">;
  zones: Array<string | { name: string; minimumTtl?: number }>;
  maxPerPage?: number;
  rateLimit?: { limit: number; windowMs: number };
}

export interface FakeDesec extends FakeService {
  store: RrsetStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, values: string[], ttl?: number): void;
  set(name: string, type: string): StoredSet | undefined;
}

const detail = (status: number, message: string, headers: Record<string, string> = {}) => json(status, { detail: message }, headers);
const PART = v.strictObject({ subname: v.string(), type: v.pipe(v.string(), v.regex(/^[A-Z0-9]+$/, "must be upper case")), ttl: v.pipe(v.number(), v.integer()), records: v.pipe(v.array(v.string()), v.maxLength(4091)) });

export async function startFakeDesec(o: FakeDesecOptions): Promise<FakeDesec> {
  const zones = o.zones.map((z) => ({ minimumTtl: 3600, ...(typeof z === "string" ? { name: z } : z) }));
  const store = createRrsetStore(zones.map((z) => z.name));
  const zoneOf = (name: string) => zones.find((z) => z.name === name);
  const shown = (s: StoredSet) => {
    const subname = s.name === s.zone ? "" : s.name.slice(0, -(s.zone.length + 1));
    return { created: "2026-01-01T00:00:00.000000Z", domain: s.zone, subname, name: `${s.name}.`, type: s.type, records: s.records.map((r) => r.value), ttl: s.ttl, touched: "2026-01-01T00:00:00.000000Z" };
  };
  const domain = (z: (typeof zones)[number]) => ({ created: "2026-01-01T00:00:00.000000Z", minimum_ttl: z.minimumTtl, name: z.name, published: "2026-01-01T00:00:00.000000Z", touched: "2026-01-01T00:00:00.000000Z" });

  /** The errors of one part of a bulk write (empty: none). */
  function check(zone: (typeof zones)[number], part: v.InferOutput<typeof PART>, seen: Set<string>): Record<string, string[]> {
    const errors: Record<string, string[]> = {};
    if (part.subname === "@" || part.subname !== part.subname.toLowerCase() || part.subname.endsWith(".")) errors.subname = ["Subname can only use (lowercase) a-z, 0-9, ., -, and _, may start with a '*.', or just be '*'. Components may not exceed 63 characters."];
    if (part.ttl < zone.minimumTtl) errors.ttl = [`Ensure this value is greater than or equal to ${zone.minimumTtl}.`];
    if (part.ttl > 86_400) errors.ttl = ["Ensure this value is less than or equal to 86400."];
    const wrong = part.records.find((x) => (part.type === "A" && !isIPv4(x)) || (part.type === "AAAA" && !isIPv6(x)));
    if (wrong !== undefined) errors.records = [`Record content for type ${part.type} malformed: ${wrong}`];
    if (seen.has(`${part.subname} ${part.type}`)) errors.non_field_errors = ["Same subname and type as another RRset in this request."];
    seen.add(`${part.subname} ${part.type}`);
    return errors;
  }
  const canonical = (type: string, value: string) => (type === "AAAA" ? new URL(`http://[${value}]/`).hostname.slice(1, -1) : value);

  const routes: Route[] = [
    {
      method: "GET", path: "/domains/", query: ["owns_qname", "cursor"],
      handle: ({ query }) => {
        const qname = query.get("owns_qname");
        if (qname !== null) {
          const responsible = store.zoneOf(qname);
          return json(200, responsible ? [domain(zoneOf(responsible)!)] : []);
        }
        if (zones.length > (o.maxPerPage ?? 500) && query.get("cursor") === null) return detail(400, "Pagination required. You can query up to 500 items at a time.");
        return json(200, zones.map(domain));
      },
    },
    {
      method: "GET", path: "/domains/:domain/rrsets/:subname/:type/",
      handle: ({ params }) => {
        const zone = zoneOf(params.domain!);
        const name = params.subname === "@" ? params.domain! : `${params.subname}.${params.domain}`;
        const held = zone && store.get(zone.name, name, params.type!);
        return held ? json(200, shown(held)) : detail(404, "Not found.");
      },
    },
    {
      method: "PUT", path: "/domains/:domain/rrsets/", body: v.array(PART), invalidStatus: 400, write: true,
      handle: ({ params, body }) => {
        const zone = zoneOf(params.domain!);
        if (!zone) return detail(404, "Not found.");
        const parts = body as Array<v.InferOutput<typeof PART>>;
        const seen = new Set<string>();
        const errors = parts.map((part) => check(zone, part, seen));
        if (errors.some((e) => Object.keys(e).length > 0)) return json(400, errors);
        const written = parts.map((p) => ({ zone: zone.name, name: p.subname === "" ? zone.name : `${p.subname}.${zone.name}`, type: p.type, ttl: p.ttl, records: [...new Set(p.records.map((r) => canonical(p.type, r)))].map((value) => ({ value })) }));
        for (const set of written) store.put(set);
        return json(200, written.filter((s) => s.records.length > 0).map(shown));
      },
    },
  ];

  const fake = await startFakeService({
    name: "deSEC API v1",
    basePath: "/api/v1",
    error: (status, message) => detail(status, message),
    routes,
    rateLimit: {
      ...(o.rateLimit ?? { limit: 2000, windowMs: 86_400_000 }),
      message: "Request was throttled. Expected available in 60 seconds.",
      headers: (s): Record<string, string> => (s.remaining === 0 ? { "Retry-After": String(Math.max(1, Math.ceil((s.resetAt - Date.now()) / 1000))) } : {}),
    },
    auth(req, path) {
      if (!path.endsWith("/")) return detail(404, "Not found.");
      const header = req.headers.get("authorization");
      if (header === null) return detail(401, "Authentication credentials were not provided.", { "WWW-Authenticate": "Token" });
      const token = /^Token (\S+)$/.exec(header)?.[1];
      const grant = token === undefined ? undefined : o.tokens[token];
      if (grant === undefined) return detail(401, "Invalid token.", { "WWW-Authenticate": "Token" });
      return grant === "read" && req.method !== "GET" ? detail(403, "Insufficient token permissions.") : undefined;
    },
  });
  return {
    ...fake,
    store,
    read: (name, type) => store.read(name, type),
    edit: (name, type, values, ttl) => store.edit(name, type, values, ttl),
    set: (name, type) => {
      const zone = store.zoneOf(name);
      return zone ? store.get(zone, name, type) : undefined;
    },
  };
}
