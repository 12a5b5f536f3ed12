import * as v from "valibot";
import { mapAnswer, shaped, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { collectPages } from "../kit/paginate.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { RrsetApi, RrsetChange } from "../kit/rrset-provider.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, relativeName, type Zone } from "../kit/zone-finder.ts";

/**
 * Scaleway Domains and DNS v2beta1 (docs/providers/scaleway.md): `X-Auth-Token` (an API key's secret); zones from
 * `GET /dns-zones` (`subdomain` + `domain`, pages of 100 with `total_count`); a set read with `GET
 * /dns-zones/{zone}/records?type=…&name=…` (names relative, "" the apex) and all changes of a zone in one `PATCH
 * /dns-zones/{zone}/records`: `add` for a new set, `set` by `id_fields` {name, type} for an existing one. Records
 * carry a `comment`. Errors are `{message, type, details?}` (`denied_authentication`, `permissions_denied`…).
 */
const RECORD = v.object({ data: v.string(), name: v.string(), ttl: v.number(), type: v.string(), comment: v.nullish(v.string()) });
const RECORDS = v.object({ records: v.array(RECORD), total_count: v.number() });
const ZONES = v.object({ dns_zones: v.array(v.object({ domain: v.string(), subdomain: v.string() })), total_count: v.number() });
const PAGE = 100;

function explain(f: HttpFailure): Partial<Problem> | undefined {
  const e = f.json as { message?: unknown; type?: unknown; details?: unknown } | undefined;
  const details = Array.isArray(e?.details) ? e.details.map((d: Record<string, unknown>) => [d.argument_name ?? d.action, d.help_message ?? d.reason ?? d.resource].filter(Boolean).join(": ")).join("; ") : "";
  const said = `HTTP ${f.status}${typeof e?.type === "string" ? ` ${JSON.stringify(e.type)}` : ""}${typeof e?.message === "string" ? `: ${quoteBody(e.message)}` : ""}${details ? ` (${quoteBody(details)})` : ""}`;
  if (f.status === 429) return { kind: "rate-limited", reason: `Scaleway's request limit is spent (${said})`, ...(f.retryAfterMs ? { retryAfterMs: f.retryAfterMs } : {}) };
  if (f.reason !== "http" || typeof e?.message !== "string") return undefined;
  if (f.status === 401) return { kind: "auth", reason: `Scaleway refused the API key (${said}); check DDNS_PROVIDER_API_TOKEN: the secret key of an API key, not its access key, not expired` };
  if (f.status === 403) return { kind: "auth", reason: `Scaleway refused the ${f.method} (${said}); the API key in DDNS_PROVIDER_API_TOKEN needs an IAM policy with DomainsDNSFullAccess on the project of the zone` };
  if (f.status === 404) return { kind: "config", tag: "stale-zone", reason: `Scaleway no longer has the DNS zone (${said})` };
  if (f.status === 400) return { kind: "config", reason: `Scaleway refused the records (${said}); check DDNS_RECORD_TTL` };
  if (f.status === 409) return { kind: "transient", reason: `Scaleway refused the change for now (${said}); the zone was being changed at the same time` };
  return undefined;
}

/** One change of the PATCH: a new set is added, an existing one replaced by name and type. */
function change(zone: Zone, c: RrsetChange): object {
  const name = relativeName(c.name, zone.name, "");
  const comment = c.comment ?? c.previous?.comment;
  const records = c.values.map((data) => ({ data, name, priority: 0, ttl: c.ttl, type: c.type, ...(comment ? { comment } : {}) }));
  // A change with no values deletes the set (DDNS_DELETE_ON_STOP): `delete` by name and type.
  if (c.values.length === 0) return { delete: { id_fields: { name, type: c.type } } };
  return c.previous ? { set: { id_fields: { name, type: c.type }, records } } : { add: { records } };
}

export function scalewayApi(s: { token: string; apiUrl: string }, deps: ProviderDeps): RrsetApi<Zone> {
  const api = createRestApi(deps, { service: "Scaleway", baseUrl: s.apiUrl, headers: { "X-Auth-Token": s.token }, secrets: [s.token], explain, errorText: (f) => (f.json as { message?: string } | undefined)?.message });
  return {
    service: "Scaleway",
    zoneFix: "add the DNS zone in the Scaleway console (Domains and DNS) of the project the API key may use",
    defaultTtl: 3600,
    // Scaleway takes TXT data in zone-file syntax: one quoted character-string.
    txtValue: (text) => `"${text}"`,
    maxPerWrite: 50,
    deletesSets: true,
    zones: createZoneFinder<Zone>({
      now: deps.now,
      list: (signal) =>
        collectPages<Zone>(async (page) => mapAnswer(shaped(await api.call("GET", "/dns-zones", { query: { page, page_size: PAGE }, signal }), ZONES, "Scaleway's DNS zone list"), (b) => ({
          items: b.dns_zones.map((z) => ({ name: (z.subdomain ? `${z.subdomain}.${z.domain}` : z.domain).toLowerCase() })), total: b.total_count,
        })), { service: "Scaleway" }),
    }),
    async read(zone, name, type, signal) {
      const rel = relativeName(name, zone.name, "");
      // The apex ("") cannot be asked for by name: its records come with the type's, and are picked here.
      const all = await collectPages(async (page) => mapAnswer(shaped(await api.call("GET", `/dns-zones/${zone.name}/records`, { query: { type, ...(rel ? { name: rel } : {}), page, page_size: PAGE }, signal }), RECORDS, "Scaleway's record list"), (b) => ({
        items: b.records, total: b.total_count,
      })), { service: "Scaleway" });
      return mapAnswer(all, (records) => {
        const mine = records.filter((r) => r.name === rel && r.type === type);
        return mine.length === 0 ? undefined : { values: mine.map((r) => r.data), ttl: mine[0]!.ttl, ...(mine[0]!.comment ? { comment: mine[0]!.comment } : {}) };
      });
    },
    async write(zone, changes, signal) {
      const body = { changes: changes.map((c) => change(zone, c)), return_all_records: false, disallow_new_zone_creation: true };
      return mapAnswer(await api.call("PATCH", `/dns-zones/${zone.name}/records`, { body, signal }), () => undefined);
    },
  };
}
