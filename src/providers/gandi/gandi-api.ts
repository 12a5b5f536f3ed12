import * as v from "valibot";
import { mapAnswer, ok, shaped, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { RrsetApi } from "../kit/rrset-provider.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, relativeName, type Zone } from "../kit/zone-finder.ts";

/**
 * Gandi LiveDNS v5 (docs/providers/gandi.md): the token's domains are listed (`GET /domains`), one set read by `GET /domains/{fqdn}/records/{name}/{type}` ("@" the apex; 404: none) and replaced by
 * `PUT` on the same path with `rrset_values` and `rrset_ttl`. Errors are `{code, cause, message, object}`, with
 * `errors: [{location, name, description}]` for a refused body. Gandi has no write of several sets that leaves the
 * zone's other records alone, so each set is one request.
 */
const RRSET = v.object({ rrset_ttl: v.optional(v.number()), rrset_values: v.array(v.string()) });
const DOMAIN = v.object({ fqdn: v.string() });

function explain(f: HttpFailure): Partial<Problem> | undefined {
  const e = f.json as { message?: unknown; errors?: unknown } | undefined;
  const fields = Array.isArray(e?.errors) ? e.errors.map((x: { name?: unknown; description?: unknown }) => `${String(x?.name)}: ${quoteBody(String(x?.description))}`).join("; ") : "";
  const said = `HTTP ${f.status}${typeof e?.message === "string" ? `: ${quoteBody(e.message)}` : ""}${fields ? ` (${fields})` : ""}`;
  if (f.status === 429) return { kind: "rate-limited", reason: `Gandi's request limit is spent (${said})`, ...(f.retryAfterMs ? { retryAfterMs: f.retryAfterMs } : {}) };
  if (f.reason !== "http" || typeof e?.message !== "string") return undefined;
  // Gandi answers 403 for a personal access token that does not exist, has expired or lacks the permission alike.
  if (f.status === 401 || f.status === 403) return { kind: "auth", reason: `Gandi refused the ${f.method} (${said}); check DDNS_PROVIDER_API_TOKEN: a personal access token (pat_…) that has not expired, with the permission "Manage domain name technical configurations" for the domain` };
  if (f.status === 404 && f.method !== "GET") return { kind: "config", tag: "stale-zone", reason: `Gandi no longer has the domain on LiveDNS (${said})` };
  if (f.status === 400) return { kind: "config", reason: `Gandi refused the record set (${said}); check DDNS_RECORD_TTL (300…2592000 at Gandi)` };
  return undefined;
}

export function gandiApi(s: { token: string; apiUrl: string }, deps: ProviderDeps): RrsetApi<Zone> {
  const api = createRestApi(deps, { service: "Gandi", baseUrl: s.apiUrl, headers: { Authorization: `Bearer ${s.token}` }, secrets: [s.token], explain, errorText: (f) => (f.json as { message?: string } | undefined)?.message });
  const path = (zone: Zone, name: string, type: string) => `/domains/${zone.name}/records/${relativeName(name, zone.name)}/${type}`;
  return {
    service: "Gandi",
    zoneFix: "add the domain to LiveDNS in the Gandi organization the token belongs to (or give the token access to it)",
    defaultTtl: 10_800,
    deletesSets: true,
    // LiveDNS takes TXT values in zone-file syntax: one quoted character-string.
    txtValue: (text) => `"${text}"`,
    zones: createZoneFinder<Zone>({
      now: deps.now,
      // The token's LiveDNS domains, listed once (a lookup per suffix would put record names into URLs and messages).
      list: async (signal) => mapAnswer(shaped(await api.call("GET", "/domains", { signal }), v.array(DOMAIN), "Gandi's domain list"), (all) => all.map((d) => ({ name: d.fqdn.toLowerCase() }))),
    }),
    async read(zone, name, type, signal) {
      const answer = await api.call("GET", path(zone, name, type), { signal, missingOk: true });
      if (answer.ok && answer.value === undefined) return ok(undefined);
      return mapAnswer(shaped(answer, RRSET, "Gandi's record set"), (set) => ({ values: set.rrset_values, ttl: set.rrset_ttl ?? 10_800 }));
    },
    async write(zone, [c], signal) {
      if (!c) return ok(undefined);
      // A change with no values deletes the set (DDNS_DELETE_ON_STOP): LiveDNS's DELETE of the set, 204.
      if (c.values.length === 0) return mapAnswer(await api.call("DELETE", path(zone, c.name, c.type), { signal }), () => undefined);
      return mapAnswer(await api.call("PUT", path(zone, c.name, c.type), { body: { rrset_values: c.values, rrset_ttl: c.ttl }, signal }), () => undefined);
    },
  };
}
