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
 * Vultr API v2 (docs/providers/vultr.md): domains are the zones, named in paths; a record has a string id, a name
 * relative to its domain ("" at the apex), `data` and `ttl`. Listings page by cursor (`per_page` up to 500,
 * `meta.links.next`, "" on the last page) and filter nothing: a name's records are picked from the domain's listing.
 * Error answers carry `{ "error": "…", "status": n }`.
 */
interface VultrRecord { id: string; type: string; name: string; data: string; ttl: number }
type Listing<K extends string, T> = { [key in K]?: T[] } & { meta?: { total?: number; links?: { next?: string } } };

/** Vultr's error text as an operator line; undefined leaves the kit's generic words. */
function explain(f: HttpFailure): Partial<Problem> | undefined {
  const text = (f.json as { error?: unknown } | undefined)?.error;
  const said = `HTTP ${f.status}${typeof text === "string" && text !== "" ? `: ${quoteBody(text)}` : ""}`;
  if (f.status === 429) return { kind: "rate-limited", reason: `Vultr's request limit is spent (${said}; 30 requests a second from one address)` };
  if (f.reason !== "http" || typeof text !== "string") return undefined;
  if (f.status === 401 || f.status === 403)
    return { kind: "auth", reason: `Vultr refused the API key (${said}); check DDNS_PROVIDER_API_TOKEN, and that the key's access control (Account → API) allows this host's address` };
  if (f.status === 404) return { kind: "config", reason: `Vultr no longer has it (${said})`, tag: /\/records\/[^/]+$/.test(f.url) ? "stale-record" : "stale-zone" };
  if (f.status === 400 || f.status === 422) return { kind: "config", reason: `Vultr refused the record (${said}); check DDNS_RECORD_TTL` };
  return undefined;
}

const held = (r: VultrRecord): HeldRecord => ({ id: r.id, content: r.data, ttl: r.ttl });
const absolute = (r: VultrRecord, zone: Zone) => (r.name === "" || r.name === "@" ? zone.name : `${r.name}.${zone.name}`.toLowerCase());

export function vultrApi(s: { token: string; apiUrl: string }, deps: ProviderDeps): RecordApi<Zone> {
  const api = createRestApi(deps, { service: "Vultr", baseUrl: s.apiUrl, headers: { Authorization: `Bearer ${s.token}` }, secrets: [s.token], explain });
  const done = async (call: Promise<Answer<unknown>>) => mapAnswer(await call, () => undefined);
  const path = (zone: Zone, id?: string) => `/domains/${encodeURIComponent(zone.name)}/records${id === undefined ? "" : `/${encodeURIComponent(id)}`}`;

  /** Every item of a listing, 500 a page, cursor after cursor until `meta.links.next` is empty. */
  const every = <K extends string, T>(at: string, key: K, signal: AbortSignal) =>
    collectPages<T>(async (_page, cursor) => mapAnswer(await api.call<Listing<K, T>>("GET", at, { query: { per_page: 500, ...(cursor ? { cursor } : {}) }, signal }), (body) => ({
      items: body?.[key] ?? [],
      next: body?.meta?.links?.next || null,
    })), { service: "Vultr", cursor: true });
  const records = async (zone: Zone, type: string, signal: AbortSignal) =>
    mapAnswer(await every<"records", VultrRecord>(path(zone), "records", signal), (found) => found.filter((r) => r.type === type));

  return {
    service: "Vultr",
    zoneFix: "add the domain under Network → DNS in the Vultr account the API key belongs to",
    zones: createZoneFinder<Zone>({
      now: deps.now,
      list: async (signal) => mapAnswer(await every<"domains", { domain: string }>("/domains", "domains", signal), (domains) => domains.map((d) => ({ name: d.domain.toLowerCase() }))),
    }),
    list: async (zone, name, type, signal) => mapAnswer(await records(zone, type, signal), (found) => found.filter((r) => absolute(r, zone) === name).map(held)),
    listAll: async (zone, type, signal) => mapAnswer(await records(zone, type, signal), (found) => found.map((r) => ({ ...held(r), name: absolute(r, zone) }))),
    async create(zone, record, signal) {
      const name = record.name === zone.name ? "" : record.name.slice(0, -(zone.name.length + 1));
      const body = { name, type: record.type, data: record.content, ...(record.ttl === undefined ? {} : { ttl: record.ttl }) };
      return mapAnswer(await api.call<{ record?: VultrRecord }>("POST", path(zone), { body, signal }), (answer) => (answer?.record ? held(answer.record) : undefined));
    },
    update: (zone, record, changes, _request, signal) => done(api.call("PATCH", path(zone, record.id), { body: { data: changes.content }, signal })),
    remove: (zone, record, signal) => done(api.call("DELETE", path(zone, record.id), { signal })),
  };
}
