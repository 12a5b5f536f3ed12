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
 * Linode API v4 (docs/providers/linode.md): domains are the zones, with integer ids; a record has an integer id, a
 * name relative to its domain ("" at the apex), `target` and `ttl_sec` (0: the domain's default). Listings are
 * `{ data, page, pages, results }` (`page_size` 25…500); a record listing is narrowed with the `X-Filter` header.
 * Errors are `{ "errors": [{ "reason": "…", "field"?: "…" }] }`.
 */
interface LinodeRecord { id: number; type: string; name: string; target: string; ttl_sec: number }
interface LinodeDomain { id: number; domain: string; type?: string }
interface Listing<T> { data?: T[]; page?: number; pages?: number; results?: number }
export interface LinodeZone extends Zone { id: number }

/** Linode's error envelope as an operator line; undefined leaves the kit's generic words. */
function explain(f: HttpFailure): Partial<Problem> | undefined {
  const errors = (f.json as { errors?: Array<{ reason?: unknown; field?: unknown }> } | undefined)?.errors;
  const first = Array.isArray(errors) ? errors[0] : undefined;
  if (f.reason !== "http" || typeof first?.reason !== "string") return undefined;
  const said = `HTTP ${f.status}${typeof first.field === "string" ? ` ${JSON.stringify(first.field)}` : ""}: ${quoteBody(first.reason)}`;
  if (f.status === 429) return { kind: "rate-limited", reason: `Linode's request limit for this token is spent (${said})` };
  if (f.status === 401) return { kind: "auth", reason: `Linode refused the token (${said}); check DDNS_PROVIDER_API_TOKEN: a personal access token, not expired or revoked` };
  if (f.status === 403) return { kind: "auth", reason: `Linode refused the ${f.method} (${said}); give the token in DDNS_PROVIDER_API_TOKEN the scope Domains: ${f.method === "GET" ? "Read Only or Read/Write" : "Read/Write"}` };
  if (f.status === 404) return { kind: "config", reason: `Linode no longer has it (${said})`, tag: /\/records\/\d+$/.test(f.url) ? "stale-record" : "stale-zone" };
  if (f.status === 400) return { kind: "config", reason: `Linode refused the record (${said}); check DDNS_RECORD_TTL (300 to 2419200 at Linode)` };
  return undefined;
}

const held = (r: LinodeRecord): HeldRecord => ({ id: String(r.id), content: r.target, ttl: r.ttl_sec });
const relative = (name: string, zone: Zone) => (name === zone.name ? "" : name.slice(0, -(zone.name.length + 1)));

export function linodeApi(s: { token: string; apiUrl: string }, deps: ProviderDeps): RecordApi<LinodeZone> {
  const api = createRestApi(deps, { service: "Linode", baseUrl: s.apiUrl, headers: { Authorization: `Bearer ${s.token}` }, secrets: [s.token], explain });
  const done = async (call: Promise<Answer<unknown>>) => mapAnswer(await call, () => undefined);

  /** Every item of a listing, 500 a page (the most Linode serves); `pages` and `results` say when it ends. */
  const every = <T>(path: string, signal: AbortSignal, filter?: object) =>
    collectPages<T>(async (page) => mapAnswer(await api.call<Listing<T>>("GET", path, { query: { page, page_size: 500 }, signal, ...(filter ? { headers: { "X-Filter": JSON.stringify(filter) } } : {}) }), (body) => ({
      items: body?.data ?? [],
      last: body?.pages === undefined || page >= body.pages,
      ...(body?.results === undefined ? {} : { total: body.results }),
    })), { service: "Linode" });

  return {
    service: "Linode",
    zoneFix: "add the domain in Cloud Manager under Domains (type master) in the account the token belongs to",
    zones: createZoneFinder<LinodeZone>({
      now: deps.now,
      // Secondary ("slave") domains are read-only copies: records cannot be written there.
      list: async (signal) => mapAnswer(await every<LinodeDomain>("/domains", signal), (domains) => domains.filter((d) => d.type !== "slave").map((d) => ({ id: d.id, name: d.domain.toLowerCase() }))),
    }),
    list: async (zone, name, type, signal) =>
      mapAnswer(await every<LinodeRecord>(`/domains/${zone.id}/records`, signal, { name: relative(name, zone) }), (found) => found.filter((r) => r.type === type).map(held)),
    listAll: async (zone, type, signal) =>
      mapAnswer(await every<LinodeRecord>(`/domains/${zone.id}/records`, signal), (found) =>
        found.filter((r) => r.type === type).map((r) => ({ ...held(r), name: (r.name === "" ? zone.name : `${r.name}.${zone.name}`).toLowerCase() }))),
    async create(zone, record, signal) {
      const body = { type: record.type, name: relative(record.name, zone), target: record.content, ...(record.ttl === undefined ? {} : { ttl_sec: record.ttl }) };
      return mapAnswer(await api.call<LinodeRecord>("POST", `/domains/${zone.id}/records`, { body, signal }), (r) => (r?.id === undefined ? undefined : held(r)));
    },
    update: (zone, record, changes, _request, signal) => done(api.call("PUT", `/domains/${zone.id}/records/${record.id}`, { body: { target: changes.content }, signal })),
    remove: (zone, record, signal) => done(api.call("DELETE", `/domains/${zone.id}/records/${record.id}`, { signal })),
  };
}
