import { ConfigError } from "../../core/errors.ts";
import { parseAddress } from "../../core/address-rules.ts";
import type { DnsProvider, LegacyProviderDeps, RecordRequest, RecordResult, SetOptions } from "../kit/types.ts";
import { createPowerDnsApi, type PdnsZone } from "./powerdns-api.ts";
import { apiFailure, type Failure } from "./powerdns-failures.ts";

/** TTL for records the provider creates when `DDNS_RECORD_TTL=auto` (an existing rrset keeps its own TTL). */
export const DEFAULT_TTL = 300;
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface PowerDnsProviderDeps extends LegacyProviderDeps {
  timeoutMs?: number;
  userAgent?: string;
}

const q = (value: string) => JSON.stringify(value);
const canonical = (name: string) => `${name.toLowerCase().replace(/\.$/, "")}.`;

/** The zone with the longest name that `fqdn` (canonical, trailing dot) falls in. */
export function longestZoneMatch(zones: PdnsZone[], fqdn: string): PdnsZone | undefined {
  const holding = zones.filter((z) => {
    const zone = canonical(z.name);
    return fqdn === zone || fqdn.endsWith(`.${zone}`);
  });
  return holding.sort((a, b) => b.name.length - a.name.length)[0];
}

/**
 * PowerDNS Authoritative through its HTTP API: find the zone (zone list, longest suffix, cached), read the rrset,
 * and when it differs PATCH one REPLACE of that rrset. Throws ConfigError at construction without an API URL.
 */
export function createPowerDnsProvider(deps: PowerDnsProviderDeps): DnsProvider {
  const baseUrl = deps.provider.apiUrl;
  if (!baseUrl) {
    throw new ConfigError("DDNS_PROVIDER_API_URL", "DDNS_PROVIDER_API_URL is required when DDNS_PROVIDER_TYPE=powerdns (e.g. http://127.0.0.1:8081).");
  }
  const serverId = deps.provider.powerdns?.serverId || "localhost";
  const api = createPowerDnsApi({
    fetch: deps.fetch, baseUrl, apiKey: deps.provider.token, serverId,
    timeoutMs: deps.timeoutMs ?? DEFAULT_TIMEOUT_MS, onRequest: deps.onRequest, now: deps.now,
    ...(deps.userAgent === undefined ? {} : { userAgent: deps.userAgent }),
  });
  const zoneOf = new Map<string, PdnsZone>();

  async function findZone(fqdn: string, signal: AbortSignal): Promise<{ ok: true; zone: PdnsZone } | Failure> {
    const cached = zoneOf.get(fqdn);
    if (cached) return { ok: true, zone: cached };
    const listed = await api.listZones(signal);
    if (!listed.ok) return apiFailure(listed.failure, { what: "listing zones", api: baseUrl as string });
    const zone = longestZoneMatch(listed.value, fqdn);
    if (!zone) {
      return {
        ok: false,
        kind: "config",
        message: `no zone on PowerDNS server ${q(serverId)} holds this name; create the zone or check DDNS_PROVIDER_API_URL and DDNS_POWERDNS_SERVER_ID`,
      };
    }
    zoneOf.set(fqdn, zone);
    return { ok: true, zone };
  }

  async function setOne(request: RecordRequest, options: SetOptions): Promise<RecordResult> {
    const fqdn = canonical(request.name);
    const found = await findZone(fqdn, options.signal);
    if (!found.ok) return { request, ...found };
    const zone = found.zone;
    const action = { api: baseUrl as string, zone: zone.name };
    const read = await api.getRrsets(zone.id, fqdn, request.type, options.signal);
    if (!read.ok) {
      if (read.failure.reason === "http" && read.failure.status === 404) zoneOf.delete(fqdn);
      return { request, ...apiFailure(read.failure, { ...action, what: "reading the rrset" }) };
    }
    const rrset = read.value.find((r) => canonical(r.name) === fqdn && r.type === request.type);
    const records = rrset?.records ?? [];
    const previous = records.filter((r) => !r.disabled).map((r) => parseAddress(r.content)?.address ?? r.content).sort();
    const ttl = deps.ttl === "auto" ? (rrset?.ttl ?? DEFAULT_TTL) : deps.ttl;
    if (records.length === 1 && previous.length === 1 && previous[0] === request.content && rrset?.ttl === ttl) {
      return { ok: true, request, outcome: "unchanged", previous };
    }
    if (options.dryRun) return { ok: true, request, outcome: "planned", previous };

    deps.log.debug("Replacing rrset through the PowerDNS API", { record: request.name, type: request.type, zone: zone.name, ttl });
    const written = await api.replaceRrset(
      zone.id,
      { name: fqdn, type: request.type, ttl, records: [{ content: request.content, disabled: false }] },
      options.signal,
    );
    if (!written.ok) return { request, ...apiFailure(written.failure, { ...action, what: "replacing the rrset", write: true }) };
    return { ok: true, request, outcome: previous.length === 0 ? "created" : "updated", previous };
  }

  return {
    type: "powerdns",
    canRead: true,
    async setRecords(requests, options) {
      const results: RecordResult[] = [];
      for (const request of requests) results.push(await setOne(request, options));
      return results;
    },
  };
}
