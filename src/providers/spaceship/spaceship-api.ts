import * as v from "valibot";
import { fail, mapAnswer, ok, shaped, type Answer, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { collectPages } from "../kit/paginate.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { RrsetApi } from "../kit/rrset-provider.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, relativeName, type Zone } from "../kit/zone-finder.ts";

/**
 * Spaceship's API v1 (docs/providers/spaceship.md): `X-API-Key` and `X-API-Secret` headers. The key's domains come
 * from `GET /domains?take&skip` (pages of at most 100), a domain's records from `GET /dns/records/{domain}?take&skip`
 * (pages of at most 500; names relative, "@" the apex). Records have no ids: `PUT /dns/records/{domain}` with
 * `{force, items}` saves records (A/AAAA with `address`, TXT with `value`) and `DELETE` with an array of records removes them. So a set is written as one PUT
 * of the new addresses, then one DELETE of the old ones (never the other way round, so the name never goes dark);
 * all sets of a domain go in the same two requests. Errors are `{detail, data: [{field, details}]}`.
 */
const PAGE = <T extends v.GenericSchema>(item: T) => v.object({ items: v.array(item), total: v.number() });
const DOMAIN = v.object({ name: v.string() });
// A and AAAA records carry `address`, TXT records (the owner TXT of DDNS_OWNER_ID) `value` (lego; Posh-ACME).
const RECORD = v.object({ type: v.string(), name: v.string(), address: v.optional(v.string()), value: v.optional(v.string()), ttl: v.optional(v.number()) });
type SRecord = v.InferOutput<typeof RECORD>;

function explain(f: HttpFailure): Partial<Problem> | undefined {
  const e = f.json as { detail?: unknown; data?: unknown } | undefined;
  const fields = Array.isArray(e?.data) ? e.data.map((x: { field?: unknown; details?: unknown }) => `${String(x?.field ?? "body")}: ${quoteBody(String(x?.details))}`).join("; ") : "";
  const said = `HTTP ${f.status}${typeof e?.detail === "string" ? `: ${quoteBody(e.detail)}` : ""}${fields ? ` (${fields})` : ""}`;
  if (f.status === 429) return { kind: "rate-limited", reason: `Spaceship's request limit is spent (${said})`, ...(f.retryAfterMs ? { retryAfterMs: f.retryAfterMs } : {}) };
  if (f.reason !== "http" || typeof e?.detail !== "string") return undefined;
  if (f.status === 401) return { kind: "auth", reason: `Spaceship refused the credentials (${said}); check DDNS_PROVIDER_API_KEY (the API key) and DDNS_PROVIDER_API_TOKEN (its secret)` };
  if (f.status === 403) return { kind: "auth", reason: `Spaceship refused the ${f.method} (${said}); the API key in DDNS_PROVIDER_API_KEY needs the permissions domains:read, dnsrecords:read and dnsrecords:write` };
  if (f.status === 404) return { kind: "config", tag: "stale-zone", reason: `Spaceship does not host the domain's DNS (${said}); the domain must use Spaceship's name servers` };
  if (f.status === 400 || f.status === 422) return { kind: "config", reason: `Spaceship refused the records (${said}); check DDNS_RECORD_TTL (60…3600 at Spaceship)` };
  return undefined;
}

export function spaceshipApi(s: { key: string; token: string; apiUrl: string }, deps: ProviderDeps): RrsetApi<Zone> {
  const api = createRestApi(deps, { service: "Spaceship", baseUrl: s.apiUrl, headers: { "X-API-Key": s.key, "X-API-Secret": s.token }, secrets: [s.key, s.token], explain, errorText: (f) => (f.json as { detail?: string } | undefined)?.detail });
  async function listing<T>(path: string, take: number, item: v.GenericSchema<unknown, T>, what: string, signal: AbortSignal): Promise<Answer<T[]>> {
    return collectPages<T>(async (page) => mapAnswer(shaped(await api.call("GET", path, { query: { take, skip: (page - 1) * take }, signal }), PAGE(item), what), (p) => ({ items: p.items, perPage: take, total: p.total })), { service: "Spaceship" });
  }
  const wire = (zone: Zone, name: string, type: string, value: string, ttl?: number) => ({ type, name: relativeName(name, zone.name), ...(type === "TXT" ? { value } : { address: value }), ...(ttl === undefined ? {} : { ttl }) });
  const valueOf = (r: SRecord) => (r.type === "TXT" ? r.value : r.address);
  return {
    service: "Spaceship",
    zoneFix: "add the domain to the Spaceship account the API key belongs to, with Spaceship's name servers",
    defaultTtl: 3600,
    maxPerWrite: 50,
    deletesSets: true,
    zones: createZoneFinder<Zone>({
      now: deps.now,
      list: async (signal) => mapAnswer(await listing("/domains", 100, DOMAIN, "Spaceship's domain list", signal), (all) => all.map((d) => ({ name: d.name.toLowerCase() }))),
    }),
    async read(zone, name, type, signal) {
      const all = await listing<SRecord>(`/dns/records/${zone.name}`, 500, RECORD, "Spaceship's record list", signal);
      if (!all.ok) return all;
      const held = all.value.filter((r) => r.type === type && r.name.toLowerCase() === relativeName(name, zone.name) && valueOf(r) !== undefined);
      if (held.length === 0) return ok(undefined);
      return ok({ values: held.map((r) => valueOf(r)!), ttl: held[0]!.ttl ?? 3600 });
    },
    async write(zone, changes, signal) {
      const items = changes.flatMap((c) => c.values.map((value) => wire(zone, c.name, c.type, value, c.ttl)));
      const stale = changes.flatMap((c) => (c.previous?.values ?? []).filter((old) => !c.values.includes(old)).map((old) => wire(zone, c.name, c.type, old)));
      // Only deletions (DDNS_DELETE_ON_STOP: a change with no values): no save, the DELETE of the set's addresses alone.
      if (items.length === 0) return stale.length === 0 ? ok(undefined) : mapAnswer(await api.call("DELETE", `/dns/records/${zone.name}`, { body: stale, signal, missingOk: true }), () => undefined);
      const saved = await api.call("PUT", `/dns/records/${zone.name}`, { body: { force: true, items }, signal });
      if (!saved.ok || stale.length === 0) return mapAnswer(saved, () => undefined);
      // A record already gone (removed by hand, or replaced by the save) is what the DELETE wanted.
      const removed = await api.call("DELETE", `/dns/records/${zone.name}`, { body: stale, signal, missingOk: true });
      return removed.ok ? ok(undefined) : fail({ ...removed.problem, mayHaveArrived: true, reason: `the new address was saved, but removing the old one failed: ${removed.problem.reason}` });
    },
  };
}
