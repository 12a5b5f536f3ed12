import { mapAnswer, ok, type Answer } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure, HttpMethod } from "../kit/http-types.ts";
import { collectPages } from "../kit/paginate.ts";
import { createRestApi, type RestCall, type ServiceReading } from "../kit/rest-api.ts";
import type { RrsetApi } from "../kit/rrset-provider.ts";
import { createSecretSet } from "../kit/secret-set.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, type Zone } from "../kit/zone-finder.ts";
import { createAzureTokens } from "./azure-token.ts";

/**
 * Azure DNS through Azure Resource Manager, api-version 2018-05-01 (docs/providers/azure.md): the DNS zones of one
 * resource group, a record set read and replaced whole (`PUT …/dnsZones/<zone>/<type>/<relative name>`) with
 * `If-Match: <etag>` (or `If-None-Match: *` for a new one), so a set changed meanwhile is refused, not overwritten.
 * Errors are `{"error": {"code": "AuthorizationFailed", "message": "…"}}`.
 */
export interface AzureSettings { key: string; token: string; tenant: string; subscription: string; resourceGroup: string; loginUrl: string; apiUrl: string }
interface RecordSet {
  etag?: string;
  properties?: { TTL?: number; metadata?: Record<string, string>; ARecords?: Array<{ ipv4Address?: string }>; AAAARecords?: Array<{ ipv6Address?: string }>; TXTRecords?: Array<{ value?: string[] }> };
}

/** The values of a set as ddnsd reads them: addresses, or (DDNS_OWNER_ID's owner records) TXT texts, strings joined. */
function valuesOf(type: string, p: RecordSet["properties"]): string[] {
  if (type === "TXT") return (p?.TXTRecords ?? []).map((r) => (r.value ?? []).join(""));
  return type === "A" ? (p?.ARecords ?? []).map((r) => r.ipv4Address ?? "") : (p?.AAAARecords ?? []).map((r) => r.ipv6Address ?? "");
}

/** The records of a set as Azure takes them: ARecords, AAAARecords, or TXTRecords (one string each). */
function recordsOf(type: string, values: readonly string[]) {
  if (type === "TXT") return { TXTRecords: values.map((text) => ({ value: [text] })) };
  return type === "A" ? { ARecords: values.map((ipv4Address) => ({ ipv4Address })) } : { AAAARecords: values.map((ipv6Address) => ({ ipv6Address })) };
}
const VERSION = { "api-version": "2018-05-01" };

function explain(f: HttpFailure): ServiceReading | undefined {
  const e = (f.json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (f.reason !== "http" || typeof e?.code !== "string") return undefined;
  const said = `HTTP ${f.status} ${e.code}${typeof e.message === "string" ? `: ${quoteBody(e.message)}` : ""}`;
  if (f.status === 429) return { kind: "rate-limited", reason: `Azure Resource Manager asked to slow down (${said})`, retryAfterMs: f.retryAfterMs ?? 5000 };
  if (f.status === 401) return { kind: "auth", reason: `Azure refused the access token (${said}); check DDNS_PROVIDER_API_KEY, DDNS_PROVIDER_API_TOKEN and DDNS_AZURE_TENANT_ID` };
  if (e.code === "AuthorizationFailed" || f.status === 403) return { kind: "auth", reason: `Azure refused the ${f.method} (${said}); assign the application the role "DNS Zone Contributor" on the zone or DDNS_AZURE_RESOURCE_GROUP` };
  if (e.code === "ResourceGroupNotFound" || e.code === "SubscriptionNotFound" || e.code === "InvalidSubscriptionId") return { kind: "config", reason: `Azure has no such resource group or subscription (${said}); check DDNS_AZURE_SUBSCRIPTION_ID and DDNS_AZURE_RESOURCE_GROUP` };
  if (e.code === "ParentResourceNotFound") return { kind: "config", reason: `Azure no longer has the DNS zone (${said})`, tag: "stale-zone" };
  // A record set that does not exist is a 404 NotFound of its own (the zone's is ParentResourceNotFound).
  if (f.status === 404 && e.code === "NotFound") return { kind: "config", reason: `Azure has no such record set (${said})`, tag: "stale-record" };
  // A DELETE with `If-Match` that no longer fits (DDNS_DELETE_ON_STOP): the set changed since it was read, and stays.
  if (f.status === 412) return { kind: "transient", reason: `Azure refused the change because the record set changed meanwhile (${said}); ddnsd reads it again`, ...(f.method === "DELETE" ? { tag: "conflict" as const } : {}) };
  if (f.status === 400) return { kind: "config", reason: `Azure refused the record set (${said}); check DDNS_RECORD_TTL and the record name` };
  return { account: said };
}

export function azureApi(s: AzureSettings, deps: ProviderDeps): RrsetApi<Zone> {
  // The access token Entra ID hands out is redacted from ARM's answers like the client secret.
  const secrets = createSecretSet([s.token, s.key]);
  const tokens = createAzureTokens({ loginUrl: s.loginUrl, tenant: s.tenant, clientId: s.key, secret: s.token }, deps, secrets);
  const api = createRestApi(deps, { service: "Azure DNS", baseUrl: s.apiUrl, secrets, explain });
  const base = `/subscriptions/${encodeURIComponent(s.subscription)}/resourceGroups/${encodeURIComponent(s.resourceGroup)}/providers/Microsoft.Network/dnsZones`;
  const origin = new URL(s.apiUrl).origin;
  const held = new Map<string, RecordSet>();
  const path = (zone: Zone, name: string, type: string) => `${base}/${zone.name}/${type}/${name === zone.name ? "@" : encodeURIComponent(name.slice(0, -(zone.name.length + 1)))}`;

  async function call<T>(method: HttpMethod, at: string, init: RestCall): Promise<Answer<T | undefined>> {
    const token = await tokens.token(init.signal);
    if (!token.ok) return token;
    const a = await api.call<T>(method, at, { ...init, headers: { ...init.headers, Authorization: `Bearer ${token.value}` } });
    if (!a.ok && a.problem.kind === "auth") tokens.forget();
    return a;
  }

  return {
    service: "Azure DNS",
    zoneFix: `create the DNS zone in resource group ${JSON.stringify(s.resourceGroup)}, or check DDNS_AZURE_RESOURCE_GROUP`,
    defaultTtl: 300,
    deletesSets: true,
    // The zones of the resource group, listed (nextLink followed only on the API's own origin).
    zones: createZoneFinder<Zone>({
      now: deps.now,
      list: (signal) =>
        collectPages<Zone>(async (_page, cursor) => {
          const a = await call<{ value?: Array<{ name: string }>; nextLink?: string }>("GET", cursor ?? base, { ...(cursor ? {} : { query: VERSION }), signal });
          return mapAnswer(a, (body) => ({ items: (body?.value ?? []).map((z) => ({ name: z.name.toLowerCase() })), next: body?.nextLink?.startsWith(`${origin}/`) ? body.nextLink : null }));
        }, { service: "Azure DNS", cursor: true }),
    }),
    async read(zone, name, type, signal) {
      const a = await call<RecordSet>("GET", path(zone, name, type), { query: VERSION, signal });
      const key = `${zone.name} ${name} ${type}`;
      if (!a.ok) {
        if (a.problem.tag !== "stale-record") return a;
        held.delete(key);
        return ok(undefined);
      }
      const set = a.value ?? {};
      held.set(key, set);
      const values = valuesOf(type, set.properties);
      return ok({ values, ...(set.properties?.TTL === undefined ? {} : { ttl: set.properties.TTL }) });
    },
    async write(zone, changes, signal) {
      const c = changes[0]!;
      const before = held.get(`${zone.name} ${c.name} ${c.type}`);
      if (c.values.length === 0) {
        // Record Sets - Delete (DDNS_DELETE_ON_STOP), only if the set is still the one read (If-Match: its etag); 204:
        // it was gone already.
        const gone = await call("DELETE", path(zone, c.name, c.type), { query: VERSION, ...(before?.etag ? { headers: { "If-Match": before.etag } } : {}), signal });
        held.delete(`${zone.name} ${c.name} ${c.type}`);
        return gone.ok ? ok(undefined) : gone;
      }
      const records = recordsOf(c.type, c.values);
      // Someone's metadata on the set stays: a PUT replaces the whole set.
      const body = { properties: { TTL: c.ttl, ...(before?.properties?.metadata ? { metadata: before.properties.metadata } : {}), ...records } };
      const condition: Record<string, string> = c.previous && before?.etag ? { "If-Match": before.etag } : { "If-None-Match": "*" };
      const a = await call("PUT", path(zone, c.name, c.type), { query: VERSION, body, headers: condition, signal });
      held.delete(`${zone.name} ${c.name} ${c.type}`);
      return a.ok ? ok(undefined) : a;
    },
  };
}
