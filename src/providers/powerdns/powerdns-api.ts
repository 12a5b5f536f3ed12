import * as v from "valibot";
import { ok, shaped } from "../kit/answer.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { RrsetApi } from "../kit/rrset-provider.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder } from "../kit/zone-finder.ts";

/**
 * The PowerDNS Authoritative HTTP API (v1, https://doc.powerdns.com/authoritative/http-api/): zones from
 * `GET /servers/{server}/zones`, a set read by `GET /zones/{id}?rrset_name=&rrset_type=` (4.7 also lists comments of
 * other names there, so the answer is filtered again), and sets replaced by one `PATCH /zones/{id}` with
 * `changetype: REPLACE` per set, which the server applies atomically. Comments are stored per set.
 */
export interface PowerDnsSettings {
  token: string;
  apiUrl: string;
  serverId: string;
}

type PdnsZone = { name: string; id: string };

const q = (text: string) => JSON.stringify(text);
const ZONES = v.array(v.object({ id: v.string(), name: v.string() }));
const ZONE = v.object({
  rrsets: v.array(v.object({
    name: v.string(), type: v.string(), ttl: v.number(),
    records: v.array(v.object({ content: v.string(), disabled: v.boolean() })),
    comments: v.optional(v.array(v.object({ content: v.string() }))),
  })),
});
const fqdn = (name: string) => `${name.toLowerCase().replace(/\.$/, "")}.`;

/** `{"error": "…"}`, the body of every PowerDNS error answer. */
const errorText = (f: HttpFailure) => (typeof (f.json as { error?: unknown })?.error === "string" ? (f.json as { error: string }).error : undefined);

export function powerDnsApi(s: PowerDnsSettings, deps: ProviderDeps): RrsetApi<PdnsZone> {
  const root = s.apiUrl.replace(/\/+$/, "").replace(/\/api\/v1$/, "");
  const server = q(s.serverId);

  function explain(f: HttpFailure) {
    const said = errorText(f) ?? f.body?.trim();
    const status = `HTTP ${f.status}${said ? `: ${q(said.slice(0, 200))}` : ""}`;
    if (f.reason !== "http") return undefined;
    if (f.status === 401 || f.status === 403) return { reason: `the PowerDNS API refused the API key (${status}); check DDNS_PROVIDER_API_TOKEN against api-key in pdns.conf` };
    if (f.status === 404) {
      const zone = /\/zones\/([^/?]+)/.exec(f.url)?.[1];
      return zone === undefined
        ? { kind: "config" as const, reason: `the PowerDNS API does not know server id ${server} (${status}); check DDNS_POWERDNS_SERVER_ID (usually "localhost")` }
        : { kind: "config" as const, tag: "stale-zone" as const, reason: `the PowerDNS API does not know zone ${q(decodeURIComponent(zone))} (${status}); check that the zone exists on server ${server}` };
    }
    if (f.status === 422) {
      return { kind: "config" as const, reason: `the PowerDNS API refused the ${f.method === "PATCH" ? "change" : "request"} (${status}); fix the record or the zone on the server` };
    }
    return undefined;
  }

  const api = createRestApi(deps, {
    service: "the PowerDNS API",
    baseUrl: `${root}/api/v1/servers/${encodeURIComponent(s.serverId)}`,
    headers: { "X-API-Key": s.token },
    secrets: [s.token],
    timeoutMs: deps.timeoutMs ?? 10_000,
    errorText,
    explain,
  });
  const zonePath = (zone: PdnsZone) => `/zones/${encodeURIComponent(zone.id)}`;

  return {
    service: "PowerDNS",
    zoneFix: `create the zone on PowerDNS server ${server}, or check DDNS_PROVIDER_API_URL and DDNS_POWERDNS_SERVER_ID`,
    defaultTtl: 300,
    maxPerWrite: 100,
    deletesSets: true,
    // PowerDNS spells a TXT record's content in zone-file syntax: one quoted character-string.
    txtValue: (text) => `"${text}"`,
    zones: createZoneFinder<PdnsZone>({
      now: deps.now,
      async list(signal) {
        const zones = shaped(await api.call("GET", "/zones", { signal }), ZONES, "the PowerDNS API's zone list");
        return zones.ok ? ok(zones.value.map((z) => ({ id: z.id, name: z.name.toLowerCase().replace(/\.$/, "") }))) : zones;
      },
    }),
    async read(zone, name, type, signal) {
      const query = { rrset_name: fqdn(name), rrset_type: type };
      const read = shaped(await api.call("GET", zonePath(zone), { query, signal }), ZONE, `the PowerDNS API's zone ${q(zone.name)}`);
      if (!read.ok) return read;
      const rrset = read.value.rrsets.find((r) => fqdn(r.name) === fqdn(name) && r.type === type && r.records.length > 0);
      if (!rrset) return ok(undefined);
      // Disabled records are not served: they are neither what the name holds nor a reason to write.
      const values = rrset.records.filter((r) => !r.disabled).map((r) => r.content);
      return ok({ values, ttl: rrset.ttl, ...(rrset.comments?.[0] ? { comment: rrset.comments[0].content } : {}) });
    },
    async write(zone, changes, signal) {
      // A change with no values deletes the set (DDNS_DELETE_ON_STOP): PowerDNS's DELETE removes its records and comments.
      const rrsets = changes.map((c) => c.values.length === 0 ? { name: fqdn(c.name), type: c.type, changetype: "DELETE" } : {
        name: fqdn(c.name), type: c.type, ttl: c.ttl, changetype: "REPLACE",
        records: c.values.map((content) => ({ content, disabled: false })),
        ...(c.comment === undefined ? {} : { comments: [{ content: c.comment, account: "" }] }),
      });
      const written = await api.call("PATCH", zonePath(zone), { body: { rrsets }, signal });
      return written.ok ? ok(undefined) : written;
    },
  };
}
