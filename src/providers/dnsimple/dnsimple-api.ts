import { retryAfterOrReset } from "../kit/retry-after.ts";
import { fail, mapAnswer, ok, type Answer, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { collectPages } from "../kit/paginate.ts";
import type { HeldRecord, WrittenType } from "../kit/record-plan.ts";
import type { RecordApi } from "../kit/record-provider.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, type Zone } from "../kit/zone-finder.ts";

/**
 * DNSimple API v2 (docs/providers/dnsimple.md): every path starts with the account id (`GET /whoami` names an
 * account token's account); zones are listed (`/{account}/zones`); a record has an integer id, a name relative to
 * its zone ("" at the apex), `content` and `ttl`, filtered by exact `name` and `type`. Listings are
 * `{ data, pagination: { current_page, per_page, total_entries, total_pages } }` (at most 100 a page); errors are
 * `{ "message": "…", "errors"?: { field: [reasons] } }`; the budget is `X-RateLimit-*`, reset in Unix seconds.
 */
interface DnsimpleRecord { id: number; name: string; type: string; content: string; ttl: number }
interface Listing<T> { data?: T[]; pagination?: { total_entries?: number; total_pages?: number } }
export interface DnsimpleZone extends Zone { account: string }

function explain(f: HttpFailure, now: () => number): Partial<Problem> | undefined {
  const e = f.json as { message?: unknown; errors?: Record<string, unknown> } | undefined;
  const first = e?.errors && typeof e.errors === "object" ? Object.entries(e.errors)[0] : undefined;
  const field = first && Array.isArray(first[1]) && typeof first[1][0] === "string" ? `; ${first[0]} ${first[1][0]}` : "";
  const said = `HTTP ${f.status}${typeof e?.message === "string" ? `: ${quoteBody(`${e.message}${field}`)}` : ""}`;
  if (f.status === 429) {
    const retryAfterMs = retryAfterOrReset(f, "x-ratelimit-reset", now());
    return { kind: "rate-limited", reason: `DNSimple's request limit for this token is spent (${said})`, ...(retryAfterMs ? { retryAfterMs } : {}) };
  }
  if (f.reason !== "http" || typeof e?.message !== "string") return undefined;
  if (f.status === 401) return { kind: "auth", reason: `DNSimple refused the token (${said}); check DDNS_PROVIDER_API_TOKEN: an API access token of the account, not revoked` };
  if (f.status === 403 || f.status === 402) return { kind: "auth", reason: `DNSimple refused the ${f.method} (${said}); check that the token's account (DDNS_DNSIMPLE_ACCOUNT_ID) may manage this zone's records` };
  if (f.status === 404) return { kind: "config", reason: `DNSimple no longer has it (${said})`, tag: /\/records\/\d+$/.test(f.url) ? "stale-record" : "stale-zone" };
  if (f.status === 400) return { kind: "config", reason: `DNSimple refused the record (${said}); check DDNS_RECORD_TTL (at least 60 at DNSimple)` };
  return undefined;
}

const held = (r: DnsimpleRecord): HeldRecord => ({ id: String(r.id), content: r.content, ttl: r.ttl });
const relative = (name: string, zone: Zone) => (name === zone.name ? "" : name.slice(0, -(zone.name.length + 1)));

export function dnsimpleApi(s: { token: string; account: string | undefined; apiUrl: string }, deps: ProviderDeps): RecordApi<DnsimpleZone> {
  const api = createRestApi(deps, { service: "DNSimple", baseUrl: s.apiUrl, headers: { Authorization: `Bearer ${s.token}` }, secrets: [s.token], explain: (f) => explain(f, deps.now) });
  const done = async (call: Promise<Answer<unknown>>) => mapAnswer(await call, () => undefined);
  let account = s.account;

  const every = <T>(path: string, query: Record<string, string>, signal: AbortSignal) =>
    collectPages<T>(async (page) => mapAnswer(await api.call<Listing<T>>("GET", path, { query: { ...query, page, per_page: 100 }, signal }), (body) => ({
      items: body?.data ?? [],
      ...(body?.pagination?.total_entries === undefined ? { last: true } : { total: body.pagination.total_entries }),
      ...(body?.pagination?.total_pages === undefined ? {} : { totalPages: body.pagination.total_pages }),
    })), { service: "DNSimple" });
  /** The account id: the one configured, else the one `/whoami` names for an account token. */
  async function accountId(signal: AbortSignal): Promise<Answer<string>> {
    const who = account ? undefined : await api.call<{ data?: { account?: { id?: number } | null } }>("GET", "/whoami", { signal });
    if (who && !who.ok) return who;
    const id = account ?? who?.value?.data?.account?.id;
    return id === undefined ? fail({ kind: "config", reason: "DNSimple says the token is a user token, which names no account; set DDNS_DNSIMPLE_ACCOUNT_ID to the account's id, or use an account token" }) : ok((account = String(id)));
  }
  const records = (zone: DnsimpleZone, type: WrittenType, signal: AbortSignal, name?: string) =>
    every<DnsimpleRecord>(`/${zone.account}/zones/${zone.name}/records`, { type, ...(name === undefined ? {} : { name }) }, signal);

  return {
    service: "DNSimple",
    zoneFix: "add the zone under Domains in the DNSimple account the token belongs to",
    zones: createZoneFinder<DnsimpleZone>({
      now: deps.now,
      async list(signal) {
        const id = await accountId(signal);
        if (!id.ok) return id;
        return mapAnswer(await every<{ name: string }>(`/${id.value}/zones`, {}, signal), (zones) => zones.map((z) => ({ name: z.name.toLowerCase(), account: id.value })));
      },
    }),
    list: async (zone, name, type, signal) => mapAnswer(await records(zone, type, signal, relative(name, zone)), (found) => found.map(held)),
    listAll: async (zone, type, signal) =>
      mapAnswer(await records(zone, type, signal), (found) => found.map((r) => ({ ...held(r), name: (r.name === "" ? zone.name : `${r.name}.${zone.name}`).toLowerCase() }))),
    async create(zone, record, signal) {
      const body = { name: relative(record.name, zone), type: record.type, content: record.content, ...(record.ttl === undefined ? {} : { ttl: record.ttl }) };
      return mapAnswer(await api.call<{ data?: DnsimpleRecord }>("POST", `/${zone.account}/zones/${zone.name}/records`, { body, signal }), (r) => (r?.data ? held(r.data) : undefined));
    },
    update: (zone, record, changes, _request, signal) => done(api.call("PATCH", `/${zone.account}/zones/${zone.name}/records/${record.id}`, { body: { content: changes.content }, signal })),
    remove: (zone, record, signal) => done(api.call("DELETE", `/${zone.account}/zones/${zone.name}/records/${record.id}`, { signal })),
  };
}
