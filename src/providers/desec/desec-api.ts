import * as v from "valibot";
import { mapAnswer, ok, shaped, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { RrsetApi } from "../kit/rrset-provider.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, relativeName } from "../kit/zone-finder.ts";

/**
 * deSEC's REST API (docs/providers/desec.md): the domain responsible for a name is asked for with
 * `GET /domains/?owns_qname=…` (an array of at most one domain, with its `minimum_ttl`); one set is read by
 * `GET /domains/{domain}/rrsets/{subname}/{type}/` ("@" the apex; 404: none) and all changes of a domain go in one
 * atomic bulk `PUT /domains/{domain}/rrsets/` (every field required; "" the apex there). Errors are Django REST
 * Framework's: `{"detail": "…"}`, or per field (`{"ttl": ["…"]}`, a list of those for a bulk write).
 */
type DZone = { name: string; minimumTtl: number };
const DOMAINS = v.array(v.object({ name: v.string(), minimum_ttl: v.number() }));
const RRSET = v.object({ ttl: v.number(), records: v.array(v.string()) });

/** The field errors of a 400 answer, `ttl: "Ensure …"`, one or a bulk list of them. */
function fieldErrors(json: unknown): string | undefined {
  const parts = (Array.isArray(json) ? json : [json]).flatMap((item) =>
    item && typeof item === "object" ? Object.entries(item).map(([field, said]) => `${field}: ${quoteBody(String(Array.isArray(said) ? said.join(" ") : JSON.stringify(said)))}`) : [],
  );
  return parts.length > 0 ? parts.join("; ") : undefined;
}

function explain(f: HttpFailure): Partial<Problem> | undefined {
  const detail = (f.json as { detail?: unknown } | undefined)?.detail;
  const said = `HTTP ${f.status}${typeof detail === "string" ? `: ${quoteBody(detail)}` : ""}`;
  if (f.status === 429) return { kind: "rate-limited", reason: `deSEC is throttling this account (${said}; writes are limited per domain to 15 a minute and 100 an hour)`, ...(f.retryAfterMs ? { retryAfterMs: f.retryAfterMs } : {}) };
  if (f.reason !== "http" || f.json === undefined) return undefined;
  if (f.status === 401) return { kind: "auth", reason: `deSEC refused the token (${said}); check DDNS_PROVIDER_API_TOKEN: a valid API token, from an allowed address if the token names allowed_subnets` };
  if (f.status === 403) return { kind: "auth", reason: `deSEC refused the ${f.method} (${said}); the token in DDNS_PROVIDER_API_TOKEN needs a policy with perm_write for these record sets` };
  if (f.status === 404 && f.method !== "GET") return { kind: "config", tag: "stale-zone", reason: `deSEC no longer has the domain (${said})` };
  if (f.status === 400) return { kind: "config", reason: `deSEC refused the record set (HTTP 400${fieldErrors(f.json) ? `: ${fieldErrors(f.json)}` : ""}); check DDNS_RECORD_TTL (at least the domain's minimum TTL, usually 3600; at most 86400)` };
  return undefined;
}

export function desecApi(s: { token: string; apiUrl: string }, deps: ProviderDeps): RrsetApi<DZone> {
  const api = createRestApi(deps, { service: "deSEC", baseUrl: s.apiUrl, headers: { Authorization: `Token ${s.token}` }, secrets: [s.token], explain, errorText: (f) => (f.json as { detail?: string } | undefined)?.detail });
  return {
    service: "deSEC",
    zoneFix: "add the domain to the deSEC account the token belongs to",
    defaultTtl: (zone) => zone.minimumTtl,
    // deSEC takes TXT contents in zone-file syntax: one quoted character-string.
    txtValue: (text) => `"${text}"`,
    // Atomic bulk writes; deSEC signs once per request and counts writes per domain, so changes go together.
    maxPerWrite: 50,
    // A set written with `records: []` is deleted (deSEC docs, "Bulk operations"): DDNS_DELETE_ON_STOP.
    deletesSets: true,
    zones: createZoneFinder<DZone>({
      now: deps.now,
      lookup: async (candidate, signal) =>
        mapAnswer(shaped(await api.call("GET", "/domains/", { query: { owns_qname: candidate }, signal }), DOMAINS, "deSEC's domain list"), (found) =>
          found[0] ? { name: found[0].name.toLowerCase(), minimumTtl: found[0].minimum_ttl } : undefined),
    }),
    async read(zone, name, type, signal) {
      const answer = await api.call("GET", `/domains/${zone.name}/rrsets/${relativeName(name, zone.name)}/${type}/`, { signal, missingOk: true });
      if (answer.ok && answer.value === undefined) return ok(undefined);
      return mapAnswer(shaped(answer, RRSET, "deSEC's record set"), (set) => ({ values: set.records, ttl: set.ttl }));
    },
    async write(zone, changes, signal) {
      const body = changes.map((c) => ({ subname: relativeName(c.name, zone.name, ""), type: c.type, ttl: c.ttl, records: c.values }));
      return mapAnswer(await api.call("PUT", `/domains/${zone.name}/rrsets/`, { body, signal }), () => undefined);
    },
  };
}
