import { retryAfterOrReset } from "../kit/retry-after.ts";
import type { RecordType } from "../../core/family.ts";
import { mapAnswer, type Answer, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { collectPages } from "../kit/paginate.ts";
import type { HeldRecord } from "../kit/record-plan.ts";
import type { RecordApi } from "../kit/record-provider.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, type Zone } from "../kit/zone-finder.ts";

/**
 * DigitalOcean API v2 (docs/providers/digitalocean.md): domains are the zones; a record has an integer id, a name
 * relative to its domain ("@" at the apex), `data` and `ttl`. Listings page with `links.pages.next` and `meta.total`;
 * errors are `{ "id": "unauthorized", "message": "…" }`; a spent budget is a 429 with `ratelimit-reset` (Unix time).
 */
interface DoRecord { id: number; type: string; name: string; data: string; ttl: number }
type Listing<K extends string, T> = { [key in K]?: T[] } & { links?: { pages?: { next?: string } }; meta?: { total?: number } };

/** Reading needs domain:read; creating, changing and deleting records all accept domain:update. */
const scopeFor = (method: string) => (method === "GET" ? "domain:read" : "domain:update");

/** DigitalOcean's error envelope as an operator line; undefined leaves the kit's generic words. */
function explain(f: HttpFailure, now: () => number): Partial<Problem> | undefined {
  const e = f.json as { id?: unknown; message?: unknown } | undefined;
  const said = `HTTP ${f.status}${typeof e?.id === "string" ? ` ${JSON.stringify(e.id)}` : ""}${typeof e?.message === "string" ? `: ${quoteBody(e.message)}` : ""}`;
  if (f.status === 429) {
    const retryAfterMs = retryAfterOrReset(f, "ratelimit-reset", now());
    return { kind: "rate-limited", reason: `DigitalOcean's request limit for this token is spent (${said}; 5,000 an hour, 250 a minute)`, ...(retryAfterMs ? { retryAfterMs } : {}) };
  }
  if (f.reason !== "http" || typeof e?.id !== "string") return undefined;
  if (f.status === 401) return { kind: "auth", reason: `DigitalOcean refused the token (${said}); check DDNS_PROVIDER_API_TOKEN: a personal access token, not expired or revoked` };
  if (f.status === 403) return { kind: "auth", reason: `DigitalOcean refused the ${f.method} (${said}); give the token in DDNS_PROVIDER_API_TOKEN the scope ${scopeFor(f.method)}` };
  if (f.status === 404) return { kind: "config", reason: `DigitalOcean no longer has it (${said})`, tag: /\/records\/\d+$/.test(f.url) ? "stale-record" : "stale-zone" };
  if (f.status === 422) return { kind: "config", reason: `DigitalOcean refused the record (${said}); check DDNS_RECORD_TTL (at least 30 at DigitalOcean)` };
  return undefined;
}

const held = (r: DoRecord): HeldRecord => ({ id: String(r.id), content: r.data, ttl: r.ttl });
const lower = (d: Zone): Zone => ({ name: d.name.toLowerCase() });

export function digitalOceanApi(s: { token: string; apiUrl: string }, deps: ProviderDeps): RecordApi<Zone> {
  const api = createRestApi(deps, { service: "DigitalOcean", baseUrl: s.apiUrl, headers: { Authorization: `Bearer ${s.token}` }, secrets: [s.token], explain: (f) => explain(f, deps.now) });
  const done = async (call: Promise<Answer<unknown>>) => mapAnswer(await call, () => undefined);

  /** Every item of a listing (DigitalOcean serves at most 200 a page, whatever is asked: `links.pages.next` decides). */
  const every = <K extends string, T>(path: string, key: K, query: Record<string, string>, signal: AbortSignal) =>
    collectPages<T>(async (page) => mapAnswer(await api.call<Listing<K, T>>("GET", path, { query: { ...query, page, per_page: 200 }, signal }), (body) => ({
      items: body?.[key] ?? [],
      last: !body?.links?.pages?.next,
      ...(body?.meta?.total === undefined ? {} : { total: body.meta.total }),
    })), { service: "DigitalOcean" });
  const records = (zone: Zone, type: RecordType | "TXT", signal: AbortSignal, name?: string) =>
    every<"domain_records", DoRecord>(`/domains/${zone.name}/records`, "domain_records", { type, ...(name ? { name } : {}) }, signal);

  const post = (zone: Zone, record: { name: string; type: string; content: string; ttl?: number }, signal: AbortSignal) => {
    const name = record.name === zone.name ? "@" : record.name.slice(0, -(zone.name.length + 1));
    const body = { type: record.type, name, data: record.content, ...(record.ttl === undefined ? {} : { ttl: record.ttl }) };
    return api.call<{ domain_record?: DoRecord }>("POST", `/domains/${zone.name}/records`, { body, signal });
  };

  return {
    service: "DigitalOcean",
    zoneFix: "add the domain under Networking → Domains in the DigitalOcean account the token belongs to",
    // The account's domains, listed (a lookup per suffix would put record names into URLs and messages).
    zones: createZoneFinder<Zone>({
      now: deps.now,
      list: async (signal) => mapAnswer(await every<"domains", Zone>("/domains", "domains", {}, signal), (domains) => domains.map(lower)),
    }),
    list: async (zone, name, type, signal) => mapAnswer(await records(zone, type, signal, name), (found) => found.map(held)),
    listAll: async (zone, type, signal) =>
      mapAnswer(await records(zone, type, signal), (found) => found.map((r) => ({ ...held(r), name: r.name === "@" ? zone.name : `${r.name}.${zone.name}`.toLowerCase() }))),
    create: async (zone, record, signal) => mapAnswer(await post(zone, record, signal), (answer) => (answer?.domain_record ? held(answer.domain_record) : undefined)),
    update: (zone, record, changes, request, signal) =>
      done(api.call("PATCH", `/domains/${zone.name}/records/${record.id}`, { body: { type: request.type, data: changes.content }, signal })),
    remove: (zone, record, signal) => done(api.call("DELETE", `/domains/${zone.name}/records/${record.id}`, { signal })),
  };
}
