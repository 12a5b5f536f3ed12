import * as v from "valibot";
import { mapAnswer, ok, shaped, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { RrsetApi } from "../kit/rrset-provider.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, relativeName, type Zone } from "../kit/zone-finder.ts";

/**
 * Hostinger's public API (docs/providers/hostinger.md): the account's domains from `GET /api/domains/v1/portfolio`;
 * a zone's record sets from `GET /api/dns/v1/zones/{domain}` (`[{name, type, ttl, records: [{content, is_disabled}]}]`,
 * names relative, "@" the apex), replaced with `PUT` on the same path and `overwrite: true` (the sets matching name and
 * type are replaced, the zone's others stay). Errors are `{message, correlation_id}`, with `errors: {field: [...]}` on 422.
 */
const SETS = v.array(v.object({ name: v.string(), type: v.string(), ttl: v.number(), records: v.array(v.object({ content: v.string() })) }));
const DOMAINS = v.array(v.object({ domain: v.nullish(v.string()), type: v.optional(v.string()) }));

function explain(f: HttpFailure): Partial<Problem> | undefined {
  const e = f.json as { message?: unknown; errors?: unknown } | undefined;
  const fields = e?.errors && typeof e.errors === "object" ? Object.entries(e.errors).map(([k, m]) => `${k}: ${quoteBody(String(Array.isArray(m) ? m[0] : m))}`).join("; ") : "";
  const said = `HTTP ${f.status}${typeof e?.message === "string" ? `: ${quoteBody(e.message)}` : ""}${fields ? ` (${fields})` : ""}`;
  if (f.status === 429) return { kind: "rate-limited", reason: `Hostinger's request limit is spent (${said})`, ...(f.retryAfterMs ? { retryAfterMs: f.retryAfterMs } : {}) };
  if (f.reason !== "http" || typeof e?.message !== "string") return undefined;
  if (f.status === 401) return { kind: "auth", reason: `Hostinger refused the token (${said}); check DDNS_PROVIDER_API_TOKEN: an API token from hPanel (Account → API) that has not expired` };
  if (f.status === 403) return { kind: "auth", reason: `Hostinger refused the ${f.method} (${said}); the token in DDNS_PROVIDER_API_TOKEN must belong to the account that holds the domain` };
  if (f.status === 404 && f.url.includes("/api/dns/")) return { kind: "config", tag: "stale-zone", reason: `Hostinger has no DNS zone for the domain (${said})` };
  if (f.status === 422) return { kind: "config", reason: `Hostinger refused the record set (${said}); check DDNS_RECORD_TTL (at least 60)` };
  return undefined;
}

export function hostingerApi(s: { token: string; apiUrl: string }, deps: ProviderDeps): RrsetApi<Zone> {
  const api = createRestApi(deps, { service: "Hostinger", baseUrl: s.apiUrl, headers: { Authorization: `Bearer ${s.token}`, Accept: "application/json" }, secrets: [s.token], explain, errorText: (f) => (f.json as { message?: string } | undefined)?.message });
  const zonePath = (zone: Zone) => `/api/dns/v1/zones/${zone.name}`;
  return {
    service: "Hostinger",
    zoneFix: "add the domain to the Hostinger account the token belongs to (and let Hostinger's name servers serve it)",
    defaultTtl: 14_400,
    maxPerWrite: 20,
    deletesSets: true,
    zones: createZoneFinder<Zone>({
      now: deps.now,
      // The account's domains, listed once (a zone lookup per suffix would put record names into URLs and messages).
      list: async (signal) => mapAnswer(shaped(await api.call("GET", "/api/domains/v1/portfolio", { signal }), DOMAINS, "Hostinger's domain list"), (all) => all.flatMap((d) => (d.domain ? [{ name: d.domain.toLowerCase() }] : []))),
    }),
    async read(zone, name, type, signal) {
      const answer = shaped(await api.call("GET", zonePath(zone), { signal }), SETS, "Hostinger's list of zone records");
      const rel = relativeName(name, zone.name);
      return mapAnswer(answer, (sets) => {
        const held = sets.find((x) => x.type === type && x.name.toLowerCase() === rel);
        return held ? { values: held.records.map((r) => r.content), ttl: held.ttl } : undefined;
      });
    },
    async write(zone, changes, signal) {
      // A change with no values deletes the set (DDNS_DELETE_ON_STOP): "Delete DNS records" filters by name and type,
      // all in one request, before the sets that are replaced (an owner TXT set rewritten beside it).
      const gone = changes.filter((c) => c.values.length === 0);
      const kept = changes.filter((c) => c.values.length > 0);
      if (gone.length > 0) {
        const filters = gone.map((c) => ({ name: relativeName(c.name, zone.name), type: c.type }));
        const deleted = await api.call("DELETE", zonePath(zone), { body: { filters }, signal });
        if (!deleted.ok || kept.length === 0) return mapAnswer(deleted, () => undefined);
      }
      if (kept.length === 0) return ok(undefined);
      const body = { overwrite: true, zone: kept.map((c) => ({ name: relativeName(c.name, zone.name), type: c.type, ttl: c.ttl, records: c.values.map((content) => ({ content })) })) };
      return mapAnswer(await api.call("PUT", zonePath(zone), { body, signal }), () => undefined);
    },
  };
}
