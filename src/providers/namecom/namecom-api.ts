import { retryAfterOrReset } from "../kit/retry-after.ts";
import { basicAuthorization } from "../kit/basic-auth.ts";
import { mapAnswer, type Answer, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { collectPages } from "../kit/paginate.ts";
import type { HeldRecord, WrittenType } from "../kit/record-plan.ts";
import type { RecordApi } from "../kit/record-provider.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, type Zone } from "../kit/zone-finder.ts";

/**
 * Name.com API v4 (docs/providers/namecom.md): HTTP Basic auth (user name, API token); the account's domains are
 * the zones (`GET /domains`); a record has an integer id, `host` relative to the domain ("" at the apex), `answer`
 * and `ttl`; `PUT …/records/{id}` replaces a record whole. Listings page with `page`/`perPage` and say `nextPage`
 * while another follows; errors are `{ "message": "…", "details"?: "…" }`; a 429 carries `X-RateLimit-Reset`.
 */
interface NcRecord { id: number; host?: string | null; fqdn?: string; type: string; answer: string; ttl: number }
type Listing<K extends string, T> = { [key in K]?: T[] } & { nextPage?: number; totalCount?: number };

function explain(f: HttpFailure, now: () => number): Partial<Problem> | undefined {
  const e = f.json as { message?: unknown; details?: unknown } | undefined;
  const text = typeof e?.message === "string" ? `${e.message}${typeof e.details === "string" && e.details ? `: ${e.details}` : ""}` : undefined;
  const said = `HTTP ${f.status}${text === undefined ? "" : `: ${quoteBody(text)}`}`;
  if (f.status === 429) {
    const retryAfterMs = retryAfterOrReset(f, "x-ratelimit-reset", now());
    return { kind: "rate-limited", reason: `Name.com's request limit is spent (${said})`, ...(retryAfterMs ? { retryAfterMs } : {}) };
  }
  if (f.reason !== "http" || text === undefined) return undefined;
  if (f.status === 401) return { kind: "auth", reason: `Name.com refused the credentials (${said}); check DDNS_PROVIDER_API_KEY (the account's user name) and DDNS_PROVIDER_API_TOKEN (a production API token, not a test one)` };
  if (f.status === 403) return { kind: "auth", reason: `Name.com refused the ${f.method} (${said}); enable API access for the account (Account → Settings → Security), also when it uses two-step verification` };
  if (f.status === 404) return { kind: "config", reason: `Name.com no longer has it (${said})`, tag: /\/records\/\d+$/.test(f.url) ? "stale-record" : "stale-zone" };
  if (f.status === 400 || f.status === 422) return { kind: "config", reason: `Name.com refused the record (${said}); check DDNS_RECORD_TTL (at least 300 at Name.com)` };
  return undefined;
}

const held = (r: NcRecord): HeldRecord => ({ id: String(r.id), content: r.answer, ttl: r.ttl });
const relative = (name: string, zone: Zone) => (name === zone.name ? "" : name.slice(0, -(zone.name.length + 1)));
const absolute = (host: string | null | undefined, zone: Zone) => (!host || host === "@" ? zone.name : `${host}.${zone.name}`.toLowerCase());

export function namecomApi(s: { username: string; token: string; apiUrl: string }, deps: ProviderDeps): RecordApi<Zone> {
  const authorization = basicAuthorization(s.username, s.token);
  const basic = authorization.slice("Basic ".length);
  const api = createRestApi(deps, { service: "Name.com", baseUrl: s.apiUrl, headers: { Authorization: authorization }, secrets: [s.token, basic], explain: (f) => explain(f, deps.now) });
  const done = async (call: Promise<Answer<unknown>>) => mapAnswer(await call, () => undefined);
  const every = <K extends string, T>(path: string, key: K, signal: AbortSignal) =>
    collectPages<T>(async (page) => mapAnswer(await api.call<Listing<K, T>>("GET", path, { query: { page, perPage: 1000 }, signal }), (body) => ({
      items: body?.[key] ?? [],
      last: !body?.nextPage,
      ...(body?.totalCount === undefined ? {} : { total: body.totalCount }),
    })), { service: "Name.com" });
  const records = async (zone: Zone, type: WrittenType, signal: AbortSignal) =>
    mapAnswer(await every<"records", NcRecord>(`/domains/${zone.name}/records`, "records", signal), (all) => all.filter((r) => r.type === type));

  return {
    service: "Name.com",
    zoneFix: "the domain must be in the Name.com account of DDNS_PROVIDER_API_KEY, using Name.com's name servers",
    zones: createZoneFinder<Zone>({
      now: deps.now,
      list: async (signal) => mapAnswer(await every<"domains", { domainName: string }>("/domains", "domains", signal), (ds) => ds.map((d) => ({ name: d.domainName.toLowerCase() }))),
    }),
    list: async (zone, name, type, signal) => mapAnswer(await records(zone, type, signal), (found) => found.filter((r) => absolute(r.host, zone) === name).map(held)),
    listAll: async (zone, type, signal) => mapAnswer(await records(zone, type, signal), (found) => found.map((r) => ({ ...held(r), name: absolute(r.host, zone) }))),
    async create(zone, record, signal) {
      const body = { host: relative(record.name, zone), type: record.type, answer: record.content, ...(record.ttl === undefined ? {} : { ttl: record.ttl }) };
      return mapAnswer(await api.call<NcRecord>("POST", `/domains/${zone.name}/records`, { body, signal }), (r) => (r?.id ? held(r) : undefined));
    },
    // PUT replaces the record whole: its host and TTL go along unchanged.
    update: (zone, record, changes, request, signal) =>
      done(api.call("PUT", `/domains/${zone.name}/records/${record.id}`, { body: { host: relative(request.name, zone), type: request.type, answer: changes.content, ...(record.ttl === undefined ? {} : { ttl: record.ttl }) }, signal })),
    remove: (zone, record, signal) => done(api.call("DELETE", `/domains/${zone.name}/records/${record.id}`, { signal })),
  };
}
