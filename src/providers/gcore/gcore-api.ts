import * as v from "valibot";
import { mapAnswer, ok, shaped, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { collectPages } from "../kit/paginate.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { RrsetApi } from "../kit/rrset-provider.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, type Zone } from "../kit/zone-finder.ts";

/**
 * Gcore's DNS API v2 (docs/providers/gcore.md): `Authorization: APIKey <token>`. The token's zones come from `GET
 * /zones?limit&offset` (`{zones, total_amount}`); one set is read by `GET /zones/{zone}/{fqdn}/{type}` (404: none),
 * created by `POST` on that path and replaced by `PUT`, both `{ttl, resource_records: [{content: ["192.0.2.1"]}]}`.
 * Errors are `{"error": "…"}`.
 */
const PAGE = 100;
const ZONES = v.object({ zones: v.array(v.object({ name: v.string() })), total_amount: v.number() });
const RRSET = v.object({ ttl: v.number(), resource_records: v.array(v.object({ content: v.array(v.union([v.string(), v.number()])) })) });

function explain(f: HttpFailure): Partial<Problem> | undefined {
  const e = (f.json as { error?: unknown; message?: unknown } | undefined);
  const message = typeof e?.error === "string" ? e.error : e?.message;
  const said = `HTTP ${f.status}${typeof message === "string" ? `: ${quoteBody(message)}` : ""}`;
  if (f.status === 429) return { kind: "rate-limited", reason: `Gcore's request limit is spent (${said})`, ...(f.retryAfterMs ? { retryAfterMs: f.retryAfterMs } : {}) };
  if (f.reason !== "http" || typeof message !== "string") return undefined;
  if (f.status === 401) return { kind: "auth", reason: `Gcore refused the API token (${said}); check DDNS_PROVIDER_API_TOKEN: a permanent API token that has not expired` };
  if (f.status === 403) return { kind: "auth", reason: `Gcore refused the ${f.method} (${said}); the token in DDNS_PROVIDER_API_TOKEN must belong to a user whose role may change the zone's DNS records` };
  if (f.status === 404 && f.method !== "GET") return { kind: "config", tag: "stale-zone", reason: `Gcore no longer has the zone (${said})` };
  if (f.status === 409) return { kind: "transient", tag: "conflict", reason: `Gcore refused to create the record set (${said}): it was created meanwhile, by hand or by another tool` };
  if (f.status === 400 || f.status === 422) return { kind: "config", reason: `Gcore refused the record set (${said}); check DDNS_RECORD_TTL` };
  return undefined;
}

export function gcoreApi(s: { token: string; apiUrl: string }, deps: ProviderDeps): RrsetApi<Zone> {
  const api = createRestApi(deps, { service: "Gcore", baseUrl: s.apiUrl, headers: { Authorization: `APIKey ${s.token}` }, secrets: [s.token], explain, errorText: (f) => (f.json as { error?: string } | undefined)?.error });
  const path = (zone: Zone, name: string, type: string) => `/zones/${zone.name}/${name}/${type}`;
  return {
    service: "Gcore",
    zoneFix: "add the zone to the Gcore account the token belongs to",
    defaultTtl: 3600,
    deletesSets: true,
    zones: createZoneFinder<Zone>({
      now: deps.now,
      // The token's zones, listed once (a lookup per suffix would put record names into URLs and messages).
      list: async (signal) => {
        const all = await collectPages(async (page) => mapAnswer(shaped(await api.call("GET", "/zones", { query: { limit: PAGE, offset: (page - 1) * PAGE }, signal }), ZONES, "Gcore's zone list"), (p) => ({ items: p.zones, perPage: PAGE, total: p.total_amount })), { service: "Gcore" });
        return mapAnswer(all, (zones) => zones.map((z) => ({ name: z.name.toLowerCase() })));
      },
    }),
    async read(zone, name, type, signal) {
      const answer = await api.call("GET", path(zone, name, type), { signal, missingOk: true });
      if (answer.ok && answer.value === undefined) return ok(undefined);
      return mapAnswer(shaped(answer, RRSET, "Gcore's record set"), (set) => ({ values: set.resource_records.map((r) => r.content.join(" ")), ttl: set.ttl }));
    },
    async write(zone, [c], signal) {
      if (!c) return ok(undefined);
      // A change with no values deletes the set (DDNS_DELETE_ON_STOP): `DELETE` on the set's path; a 404 is a set
      // already gone (lego's client treats it so: "Support DELETE idempotence").
      if (c.values.length === 0) return mapAnswer(await api.call("DELETE", path(zone, c.name, c.type), { signal, missingOk: true }), () => undefined);
      const body = { ttl: c.ttl, resource_records: c.values.map((value) => ({ content: [value] })) };
      return mapAnswer(await api.call(c.previous ? "PUT" : "POST", path(zone, c.name, c.type), { body, signal }), () => undefined);
    },
  };
}
